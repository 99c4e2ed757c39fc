import Foundation
import RadiomicsCore
import RadiomicsFeatures
import RadiomicsPipeline
import Vascularization

/// What one case of a batch computes, as handed to a worker (process or thread).
public struct CaseJob: Codable, Sendable {
    public var caseID: String
    public var input: CaseInput
    /// Parameter file (nil: the default IBSI settings, or PyRadiomics' defaults with naming pyradiomics).
    public var parameterFile: String?
    public var naming: ExtractionPlan.Naming?
    /// Vascularization rule file (nil: the shipped rules).
    public var rulesFile: String?
    /// Type the tumour's vascularization too (the case has a portal or pre-contrast phase).
    public var typing: Bool

    public init(caseID: String, input: CaseInput, parameterFile: String?, naming: ExtractionPlan.Naming?, rulesFile: String?, typing: Bool) {
        self.caseID = caseID
        self.input = input
        self.parameterFile = parameterFile
        self.naming = naming
        self.rulesFile = rulesFile
        self.typing = typing
    }
}

/// One cell of the feature table: a diagnostic (`diagnostics_<key>`) or a feature. `text` is the cell as
/// `radiomics extract --format csv` writes it; `number` the value when it is a finite number (for queries).
/// `rank` orders the columns the same way for every case run with the same parameters.
public struct FeatureCell: Codable, Sendable, Equatable {
    public var name: String
    public var rank: Int
    public var number: Double?
    public var text: String
}

/// The vascularization type of a case, with its CSV row (`VascularizationOutput`) as written.
public struct TypingRecord: Codable, Sendable, Equatable {
    public var type: Int?
    public var confidence: Double?
    public var rule: String?
    public var error: String?
    public var csvRow: String
}

public enum CaseStatus: String, Codable, Sendable {
    /// Everything asked for was computed.
    case ok
    /// The features were computed, the vascularization typing failed (its error is in `error`).
    case partial
    /// Nothing was computed.
    case error
}

/// What a worker reports for one case.
public struct CaseReport: Codable, Sendable {
    public var caseID: String
    public var status: CaseStatus
    public var error: String?
    public var seconds: Double
    public var warnings: [String]
    public var features: [FeatureCell]
    public var typing: TypingRecord?

    public static func failed(_ caseID: String, _ error: String, seconds: Double = 0) -> CaseReport {
        CaseReport(caseID: caseID, status: .error, error: error, seconds: seconds, warnings: [], features: [], typing: nil)
    }
}

/// Runs one case in this process: features, then (when asked) the vascularization type. Never throws: a
/// failure is a report with status `error`.
public enum CaseComputation {
    public static func run(_ job: CaseJob) -> CaseReport {
        let clock = ContinuousClock.now
        var report: CaseReport
        do {
            let plan = try ExtractionPlan.load(parameterFile: job.parameterFile, naming: job.naming)
            let outcome = try CaseExtractor.run(plan.request(for: job.input))
            report = CaseReport(caseID: job.caseID, status: .ok, error: nil, seconds: 0, warnings: outcome.warnings,
                                features: cells(outcome.result), typing: nil)
        } catch {
            return .failed(job.caseID, "\(error)", seconds: (ContinuousClock.now - clock).seconds)
        }
        if job.typing {
            do {
                let rules = try job.rulesFile.map { try VascularizationRules.load(path: $0) } ?? VascularizationRules()
                let r = VascularizationTyping.classifyReportingErrors(job.input, rules: rules)
                report.typing = TypingRecord(type: r.call?.type, confidence: r.call?.confidence, rule: r.call?.rule, error: r.error,
                                             csvRow: VascularizationOutput.csvRow(r))
                report.warnings += r.warnings
                if let e = r.error {
                    report.status = .partial
                    report.error = "vascularization typing: \(e)"
                }
            } catch {
                report.status = .partial
                report.error = "vascularization typing: \(error)"
            }
        }
        report.seconds = (ContinuousClock.now - clock).seconds
        return report
    }

    /// The result's cells in column order. Ranks: input diagnostics by `CaseExtractor.inputDiagnosticKeys`
    /// (whether or not the case has each one), then the other diagnostics and the features in the order the
    /// engine gives them, which the parameters fix.
    static func cells(_ r: ExtractionResult) -> [FeatureCell] {
        var out: [FeatureCell] = []
        let inputKeys = CaseExtractor.inputDiagnosticKeys
        var later = 0
        for (key, value) in r.diagnostics {
            let rank: Int
            if let i = inputKeys.firstIndex(of: key) { rank = i } else { rank = inputKeys.count + later; later += 1 }
            var number: Double?
            switch value {
            case .int(let i): number = Double(i)
            case .double(let d): number = d.isFinite ? d : nil
            default: number = nil
            }
            out.append(FeatureCell(name: "diagnostics_" + key, rank: rank, number: number, text: ResultFormatter.text(value)))
        }
        for (i, (key, value)) in r.features.enumerated() {
            out.append(FeatureCell(name: key, rank: 1_000_000 + i, number: value.isFinite ? value : nil, text: ResultFormatter.number(value)))
        }
        return out
    }
}
