import ArgumentParser
import Foundation
import RadiomicsCore
import RadiomicsIO
import RadiomicsPipeline
import Vascularization

struct VascFit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Re-tune the rule thresholds from a site's labelled cases and write a new rule file.",
        discussion: """
        --labels is a CSV of case_id,type (1-4, read by the site's radiologists). The cases' quantities come from a
        table written by 'radiomics vasc classify --format csv' (--quantities), or are measured from a manifest
        (--manifest, the columns of 'vasc classify --manifest'). The new rule file keeps the rules' form and
        measurement settings (from --rules, default the shipped ones) with thresholds that type the labelled cases
        best; its description and the summary printed give the accuracy by stratified K-fold cross-validation.
        """)

    @Option(help: "CSV of case_id,type.") var labels: String
    @Option(help: "Quantities table from 'vasc classify --format csv'.") var quantities: String?
    @Option(help: "Manifest of the labelled cases (measured now).") var manifest: String?
    @Option(help: "Starting rule file (default: the shipped rules).") var rules: String?
    @Option(help: "Cross-validation folds.") var folds: Int = 5
    @Option(help: "Seed of the fold assignment.") var seed: UInt64 = 1
    @Option(help: "Where to write the new rule file (YAML).") var output: String

    func validate() throws {
        guard (quantities == nil) != (manifest == nil) else { throw ValidationError("give one of --quantities and --manifest") }
        guard (2...50).contains(folds) else { throw ValidationError("--folds must be 2-50") }
    }

    func run() throws {
        try reportingErrors {
            let start = try rules.map { try VascularizationRules.load(path: $0) } ?? VascularizationRules()
            let table: CSVTable
            if let quantities {
                table = try CSVTable.read(path: quantities)
            } else {
                let results = try CaseManifest.read(path: manifest!).map { VascularizationTyping.classifyReportingErrors($0, rules: start) }
                table = try CSVTable.parse(VascularizationOutput.csv(results), source: manifest!)
            }
            let cases = try RuleFitting.labelled(labels: CSVTable.read(path: labels), quantities: table)
            let fit = try RuleFitting.fit(cases, start: start, folds: folds, seed: seed)
            let comment = """
            Vascularization rules re-tuned by 'radiomics vasc fit' on \(cases.count) cases labelled in \(labels).
            \(fit.rules.description).
            """
            do { try fit.rules.yaml(comment: comment).write(toFile: output, atomically: true, encoding: .utf8) } catch {
                throw RadiomicsError(file: output, "cannot write rule file: \(error.localizedDescription)")
            }
            print("Cross-validated (\(folds) folds):\n\(fit.crossValidated.report)\nTraining (all cases):\n\(fit.training.report)")
        }
    }
}
