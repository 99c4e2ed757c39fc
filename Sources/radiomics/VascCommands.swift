import ArgumentParser
import Foundation
import RadiomicsCore
import RadiomicsPipeline
import Vascularization

struct Vasc: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Vascularization type (1-4) of HCC from the CT phases: measure, classify, re-tune.",
        subcommands: [VascClassify.self, VascFit.self, VascRules.self, VascSynthetic.self])
}

/// Options every vasc command shares: the rule file and the output.
struct VascOutputOptions: ParsableArguments {
    @Option(help: "Rule file (YAML; default: the shipped rules, params/vascularization-rules.yaml).") var rules: String?
    @Option(help: "Output format.") var format: OutputFormat = .json
    @Option(help: "Write to FILE instead of standard output.") var output: String?

    func loadRules() throws -> VascularizationRules {
        try rules.map { try VascularizationRules.load(path: $0) } ?? VascularizationRules()
    }

    func write(_ text: String) throws {
        guard let output else { FileHandle.standardOutput.write(Data(text.utf8)); return }
        do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch {
            throw RadiomicsError(file: output, "cannot write output: \(error.localizedDescription)")
        }
    }
}

struct VascClassify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Measure a tumour's enhancement pattern and call its vascularization type.",
        discussion: """
        One case: --arterial IMAGE --mask MASK, with --portal, --precontrast and --liver-mask when available (each a
        DICOM series folder or file, or NIfTI; masks RTSTRUCT, SEG or NIfTI). Phases on other grids are resampled onto
        the arterial grid through patient coordinates. Several cases: --manifest FILE.csv with the columns
        case_id,image,mask and optionally portal,precontrast,liver_mask,roi,label,series (image = arterial phase,
        paths relative to the manifest). A case that fails is a row with its error; the others go on.
        """)

    @Option(help: "Arterial-phase image.") var arterial: String?
    @Option(help: "Tumour mask (RTSTRUCT, SEG or NIfTI label).") var mask: String?
    @Option(help: "Portal-venous-phase image.") var portal: String?
    @Option(help: "Pre-contrast image.") var precontrast: String?
    @Option(name: .customLong("liver-mask"), help: "Liver mask (optional; without it the liver reference is found by intensity).")
    var liverMask: String?
    @Option(help: "RTSTRUCT ROI name of the tumour.") var roi: String?
    @Option(help: "SEG segment number or NIfTI label value of the tumour.") var label: Int?
    @Option(name: .customLong("case-id"), help: "Case identifier (default: the arterial image's name).") var caseID: String?
    @Option(help: "CSV list of cases (instead of the single-case options).") var manifest: String?
    @OptionGroup var out: VascOutputOptions
    @OptionGroup var resources: ResourceOptions

    func validate() throws {
        if manifest != nil {
            guard arterial == nil, mask == nil, portal == nil, precontrast == nil, liverMask == nil else {
                throw ValidationError("--manifest replaces --arterial, --mask, --portal, --precontrast and --liver-mask")
            }
        } else if arterial == nil || mask == nil {
            throw ValidationError("give --arterial and --mask (or --manifest)")
        }
    }

    func run() throws {
        try reportingErrors {
            try resources.apply()
            let rules = try out.loadRules()
            let results: [VascularizationResult]
            if let manifest {
                let cases = try CaseManifest.read(path: manifest)
                results = cases.map { VascularizationTyping.classifyReportingErrors($0, rules: rules) }
                let failed = results.filter { $0.error != nil }
                for r in failed { warn("case \(r.caseID): \(r.error!)") }
                if !failed.isEmpty { warn("\(failed.count) of \(results.count) cases failed (rows with their error)") }
            } else {
                var images: [CasePhase: ImageInput] = [.arterial: ImageInput(path: arterial!)]
                if let portal { images[.portal] = ImageInput(path: portal) }
                if let precontrast { images[.precontrast] = ImageInput(path: precontrast) }
                var masks: [MaskRole: MaskInput] = [.tumour: MaskInput(path: mask!, roi: roi, label: label)]
                if let liverMask { masks[.liver] = MaskInput(path: liverMask) }
                results = [try VascularizationTyping.classify(CaseInput(caseID: caseID, images: images, masks: masks), rules: rules)]
            }
            results.flatMap(\.warnings).forEach(warn)
            try out.write(out.format == .csv ? VascularizationOutput.csv(results) : VascularizationOutput.json(results))
        }
    }
}

struct VascSynthetic: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthetic",
        abstract: "Type generated three-phase cases of known type and print the confusion matrix.",
        discussion: "Cases are drawn by the synthetic multiphase generator (RadiomicsSynthetic), one per type and seed.")

    @Option(help: "Seeds, as FIRST-LAST.") var seeds: String = "1-10"
    @Option(help: "Types, comma-separated.") var types: String = "1,2,3,4"
    @Option(help: "Noise SD range in HU, as LOW-HIGH.") var noise: String = "8-25"
    @Option(help: "Slice thickness range in mm, as LOW-HIGH.") var thickness: String = "1.25-5"
    @Option(help: "In-plane pixel size range in mm, as LOW-HIGH.") var pixel: String = "0.7-1.0"
    @Flag(name: .customLong("arterial-only"), help: "Image the arterial phase alone.") var arterialOnly = false
    @OptionGroup var out: VascOutputOptions

    func run() throws {
        try reportingErrors {
            func range(_ text: String, _ name: String) throws -> ClosedRange<Double> {
                let parts = text.split(separator: "-").compactMap { Double($0) }
                guard parts.count == 2, parts[0] <= parts[1], parts.allSatisfy(\.isFinite) else {
                    throw RadiomicsError("--\(name) needs LOW-HIGH, got '\(text)'")
                }
                return parts[0]...parts[1]
            }
            var cohort = SyntheticEvaluation.Cohort()
            let s = try range(seeds, "seeds")
            guard s.lowerBound >= 0, s.upperBound - s.lowerBound < 100_000 else { throw RadiomicsError("--seeds: at most 100000 seeds from 0") }
            cohort.seeds = Array(UInt64(s.lowerBound)...UInt64(s.upperBound))
            cohort.types = try types.split(separator: ",").map {
                guard let t = Int($0), (1...4).contains(t) else { throw RadiomicsError("--types: '\($0)' is not a type 1-4") }
                return t
            }
            cohort.noise = try range(noise, "noise")
            cohort.sliceThickness = try range(thickness, "thickness")
            cohort.pixel = try range(pixel, "pixel")
            guard cohort.pixel.lowerBound >= 0.3, cohort.sliceThickness.lowerBound >= 0.5 else {
                throw RadiomicsError("--pixel must be at least 0.3 mm and --thickness at least 0.5 mm")
            }
            if arterialOnly { cohort.phases = [.arterial] }
            let rows = SyntheticEvaluation.run(cohort, rules: try out.loadRules())
            let results = rows.map(\.result)
            try out.write(out.format == .csv ? VascularizationOutput.csv(results) : VascularizationOutput.json(results))
            for r in rows where r.result.call?.type != r.truth {
                let call = r.result.call.map { "type \($0.type)" } ?? "error: \(r.result.error ?? "")"
                FileHandle.standardError.write(Data("\(r.result.caseID) (noise \(String(format: "%.1f", r.noiseSD)) HU, \(String(format: "%.0f", r.diameter)) mm, \(r.sliceThickness) mm slices): \(call); \(r.result.call?.rule ?? "")\n".utf8))
            }
            FileHandle.standardError.write(Data((SyntheticEvaluation.agreement(rows).report + "\n").utf8))
        }
    }
}

struct VascRules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Print a rule file with every key explained (the shipped rules, or --rules FILE checked and re-written).")
    @Option(help: "Rule file to check and print (default: the shipped rules).") var rules: String?

    func run() throws {
        try reportingErrors {
            let r = try rules.map { try VascularizationRules.load(path: $0) } ?? VascularizationRules()
            print(r.yaml(comment: VascularizationRules.fileComment), terminator: "")
        }
    }
}
