import ArgumentParser
import Foundation
import RadiomicsCore
import RadiomicsFeatures
import RadiomicsIO
import RadiomicsPipeline
import RadiomicsSynthetic

@main
struct Radiomics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "radiomics",
        abstract: "CT radiomics for liver tumours: read DICOM/NIfTI images and RTSTRUCT/SEG/NIfTI masks, extract features.",
        version: "0.1.0",
        subcommands: [Extract.self, Batch.self, Merge.self, Series.self, Convert.self, Filter.self, Snapshot.self, IBSICheck.self, Vasc.self, Model.self,
                      Review.self, MakeSamples.self, BatchWorkerCommand.self])
}

/// Runs `body`, turning project errors into one line on stderr and exit code 1.
@discardableResult
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as RadiomicsError {
        FileHandle.standardError.write(Data("radiomics: \(e)\n".utf8))
        throw ExitCode(1)
    }
}

func warn(_ message: String) {
    FileHandle.standardError.write(Data("radiomics: warning: \(message)\n".utf8))
}

/// The image and ROI of a one-image case, as extract and snapshot take them.
struct CaseOptions: ParsableArguments {
    @Argument(help: "DICOM directory or file, or NIfTI file.") var image: String
    @Argument(help: "RTSTRUCT, DICOM SEG or NIfTI label file.") var mask: String
    @Option(help: "RTSTRUCT ROI name (needed when the file holds several).") var roi: String?
    @Option(help: "SEG segment number, or NIfTI label value (default: any non-zero voxel).") var label: Int?
    @Option(help: "SeriesInstanceUID, when the DICOM directory holds several series.") var series: String?

    func input(caseID: String? = nil) -> CaseInput {
        CaseInput(caseID: caseID, image: ImageInput(path: image, seriesUID: series), mask: MaskInput(path: mask, roi: roi, label: label))
    }
}

/// The memory limit every command that reads images takes.
struct ResourceOptions: ParsableArguments {
    @Option(name: .customLong("max-memory"),
            help: "Refuse work that would need more memory than this (e.g. 4G, 500M; default 80% of the machine's, or RADIOMICS_MAX_MEMORY).")
    var maxMemory: String?

    func apply() throws {
        guard let maxMemory else { return }
        guard let bytes = ResourceLimits.parseBytes(maxMemory) else {
            throw RadiomicsError("--max-memory needs a size such as 4G or 500M, got '\(maxMemory)'")
        }
        ResourceLimits.memoryBytes = bytes
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case json, csv
}

struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Extract diagnostics and features of one ROI.",
        discussion: """
        IMAGE is a DICOM directory or file, or a NIfTI file (.nii, .nii.gz). MASK is an RTSTRUCT, a DICOM SEG
        or a NIfTI label image; a mask on another grid is resampled onto the image grid by nearest neighbour.
        """)

    @OptionGroup var source: CaseOptions
    @OptionGroup var resources: ResourceOptions
    @Option(help: "YAML parameter file: this tool's (IBSI names) or PyRadiomics' (setting:, imageType:, featureClass:).") var params: String?
    @Option(help: "Feature names and definitions: ibsi, or pyradiomics (PyRadiomics 3.1's keys and definitions; the default for a PyRadiomics parameter file).") var naming: ExtractionPlan.Naming?
    @Option(help: "Output format.") var format: OutputFormat = .json
    @Option(help: "Write to FILE instead of standard output.") var output: String?
    @Option(name: .customLong("case-id"), help: "Case identifier for the output (default: the image's name).")
    var caseID: String?

    func run() throws {
        try reportingErrors {
            try resources.apply()
            let plan = try ExtractionPlan.load(parameterFile: params, naming: naming)
            let outcome = try CaseExtractor.run(CaseRequest(
                imagePath: source.image, maskPath: source.mask, roi: source.roi, label: source.label, seriesUID: source.series,
                settings: plan.settings, pyradiomics: plan.pyradiomics, caseID: caseID))
            outcome.warnings.forEach(warn)
            let text = format == .json ? ResultFormatter.json([outcome.result]) : ResultFormatter.csv([outcome.result])
            if let output {
                do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch {
                    throw RadiomicsError(file: output, "cannot write output: \(error.localizedDescription)")
                }
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }
}

extension ExtractionPlan.Naming: ExpressibleByArgument {}

struct Series: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the DICOM image series under a directory.")
    @Argument(help: "DICOM directory or file.") var path: String

    func run() throws {
        try reportingErrors {
            for s in try DicomSeriesReader.listSeries(path: path) { print(s) }
        }
    }
}

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert an image (DICOM series or NIfTI) to NIfTI, keeping its patient geometry.")
    @Argument(help: "DICOM directory or file, or NIfTI file.") var image: String
    @Argument(help: "Output .nii or .nii.gz.") var output: String
    @Option(help: "SeriesInstanceUID, when the DICOM directory holds several series.") var series: String?
    @OptionGroup var resources: ResourceOptions

    func run() throws {
        try reportingErrors {
            try resources.apply()
            let loaded = try ImageReader.read(path: image, seriesUID: series)
            try Nifti.write(loaded.image, to: output)
        }
    }
}

struct Filter: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a filter's response map (IBSI 2 filters) on the image's grid as float32 NIfTI.",
        discussion: "PARAMS is a parameter file with a `filters` list (README: Parameter files); the filter runs on the whole image as read, extended beyond its edges by the filter's boundary condition.")
    @Argument(help: "DICOM directory or file, or NIfTI file.") var image: String
    @Option(name: [.short, .long], help: "Parameter file with a `filters` list.") var params: String
    @Option(name: [.short, .long], help: "Output .nii or .nii.gz.") var output: String
    @Option(help: "Which filter of the list (1-based).") var filter: Int = 1
    @Option(help: "SeriesInstanceUID, when the DICOM directory holds several series.") var series: String?
    @OptionGroup var resources: ResourceOptions

    func run() throws {
        try reportingErrors {
            try resources.apply()
            let name = try FilterResponse.write(image: image, series: series, parameters: params, index: filter - 1, to: output)
            FileHandle.standardError.write(Data("filter: \(name) -> \(output)\n".utf8))
        }
    }
}

struct MakeSamples: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make-samples",
        abstract: "Write the synthetic sample cases (DICOM + RTSTRUCT + SEG, NIfTI + label) into a directory.")
    @Argument(help: "Output directory.") var directory: String = "sample-scans"

    func run() throws {
        try reportingErrors { try SyntheticCT.writeSampleScans(to: directory) }
    }
}

struct Snapshot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write one slice as a PNG with the ROI outlined, to check that image and mask line up.")
    @OptionGroup var source: CaseOptions
    @OptionGroup var resources: ResourceOptions
    @Option(help: "Output PNG file.") var output: String
    @Option(help: "Slice index k (default: the ROI's largest slice).") var slice: Int?
    @Option(help: "Window centre,width in HU.") var window: String = "60,400"
    @Option(help: "Draw each voxel as SCALE x SCALE pixels (1-8).") var scale: Int = 1
    @Option(help: "Show only the ROI's box grown by this many mm (default: the whole slice).") var around: Double?
    @Flag(inversion: .prefixedNo, help: "Outline the ROI in red.") var outline = true

    func run() throws {
        try reportingErrors {
            try resources.apply()
            let parts = window.split(separator: ",").compactMap { Double($0) }
            guard parts.count == 2, parts[1] > 0 else { throw RadiomicsError("--window needs CENTRE,WIDTH, e.g. 60,400") }
            try CaseSnapshot.write(source.input(), slice: slice, windowCentre: parts[0], windowWidth: parts[1], scale: scale,
                                   around: around, outline: outline, to: output).forEach(warn)
        }
    }
}
