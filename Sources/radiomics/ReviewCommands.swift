import ArgumentParser
import Foundation
import RadiomicsCore
import ReaderReview

struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Readers' review of the vascularization typing: verdicts, agreement, consensus.",
        subcommands: [ReviewImport.self, ReviewExportCommand.self])
}

struct ReviewImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add verdicts typed elsewhere (a spreadsheet) to a results folder's review.",
        discussion: "FILE.csv has case_id, reader, type (1-4) and optionally confidence (1-5), not_assessable (a reason, instead of a type), comment. Every row is checked before any is stored; a verdict given again is a revision (the history is kept).")
    @Argument(help: "Results folder (radiomics batch output).") var results: String
    @Option(help: "CSV table of verdicts.") var verdicts: String

    func run() throws {
        try reportingErrors {
            let cases = try ReviewCases(resultsFolder: results)
            let list = try cases.verdicts(fromCSV: verdicts)
            let store = try ReviewStore(resultsFolder: results)
            for v in list { try store.record(v) }
            FileHandle.standardError.write(Data("review: \(list.count) verdicts stored in \(store.path)\n".utf8))
        }
    }
}

struct ReviewExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the verdicts, the agreement (Cohen's and Fleiss' kappa) and a consensus type per case.",
        discussion: "OUTPUT gets verdicts.csv, agreement.csv, agreement.html and consensus.csv (case_id,type,...; `radiomics model ptace --vascularization` reads it). Agreement: the algorithm against each reader and every pair of readers, on types 1-4 (unweighted and linear weighted) and on p-TACE's split 1/2 vs 3/4; Fleiss' kappa for three or more readers.")
    @Argument(help: "Results folder.") var results: String
    @Option(help: "Output folder (default: RESULTS/review).") var output: String?

    func run() throws {
        try reportingErrors {
            let cases = try ReviewCases(resultsFolder: results)
            let store = try ReviewStore(resultsFolder: results)
            let report = ReviewExport.report(verdicts: try store.currentVerdicts(), automatic: cases.automaticTypes)
            let folder = output ?? (results as NSString).appendingPathComponent("review")
            try ReviewExport.write(report, to: folder)
            FileHandle.standardError.write(Data("review: \(report.verdicts.count) verdicts of \(Set(report.verdicts.map(\.reader)).count) readers; tables in \(folder)/\n".utf8))
        }
    }
}
