import Foundation
import FusionModel
import RadiomicsBatch
import RadiomicsCore
import RadiomicsIO
import RadiomicsPipeline

/// The cases of a results folder (`radiomics batch` output, or a folder holding `vasc classify`'s
/// vascularization.csv) and the automatic type of each (nil where typing failed or was not run), with what
/// the review page shows: each case's inputs (from the batch's results.sqlite, or from the manifest `vasc
/// classify` read) and the typing's row (rule and quantities).
public struct ReviewCases: Sendable {
    public var folder: String
    public var automatic: [String: Int?]
    /// Each case's images and masks, where known.
    public var inputs: [String: CaseInput] = [:]
    /// The typing's row of each typed case: (column, value) in the table's order, empty values left out.
    public var typing: [String: [(name: String, value: String)]] = [:]

    /// Case ids in a stable order (as sorted strings).
    public var caseIDs: [String] { automatic.keys.sorted() }

    /// `manifest`: the case manifest that `vasc classify --manifest` read (a batch folder needs none: its
    /// results.sqlite keeps each case's inputs).
    public init(resultsFolder: String, manifest: String? = nil) throws {
        folder = resultsFolder
        var cases: [String: Int?] = [:]
        let status = (resultsFolder as NSString).appendingPathComponent("status.csv")
        let typing = (resultsFolder as NSString).appendingPathComponent("vascularization.csv")
        if FileManager.default.fileExists(atPath: status) {
            let table = try CSVTable.read(path: status)
            for id in try table.caseIDs() { cases[id] = .some(nil) }
        }
        if FileManager.default.fileExists(atPath: typing) {
            let table = try CSVTable.read(path: typing)
            let types = try MeasuredTypes(table: table).types
            let ids = try table.caseIDs()
            for (r, id) in ids.enumerated() {
                cases[id] = .some(types[id])
                var cells: [(name: String, value: String)] = []
                for (name, value) in zip(table.header, table.rows[r]) where name != "case_id" && !value.isEmpty { cells.append((name, value)) }
                self.typing[id] = cells
            }
        }
        let database = (resultsFolder as NSString).appendingPathComponent(SQLiteResultStore.fileName)
        if FileManager.default.fileExists(atPath: database) {
            inputs = try SQLiteResultStore(path: database).caseInputs()
        }
        if let manifest {
            let here = FileManager.default.currentDirectoryPath
            for input in try CaseManifest.read(path: manifest) { inputs[input.identifier] = input.resolvingPaths(against: here) }
        }
        guard !cases.isEmpty else {
            throw RadiomicsError(file: resultsFolder, "no cases: not the output of radiomics batch (status.csv) or of vasc classify (vascularization.csv)")
        }
        automatic = cases
    }

    /// The algorithm's types, for agreement (cases it typed).
    public var automaticTypes: [String: Int] { automatic.compactMapValues { $0 } }

    /// Verdicts from a CSV table: `case_id,reader,type` and optionally `confidence,not_assessable,comment` (a reader
    /// who typed in a spreadsheet). Every row is checked (the case is in the folder, a type 1-4 or a reason);
    /// errors name the line and column; nothing is stored unless every row is right.
    public func verdicts(fromCSV path: String, time: Date = Date()) throws -> [Verdict] {
        let table = try CSVTable.read(path: path)
        let ids = table.header.firstIndex(of: "case_id"), readers = table.header.firstIndex(of: "reader")
        guard let ids, let readers, table.header.contains("type") else {
            throw RadiomicsError(file: path, "needs the columns case_id, reader, type (and optionally confidence, not_assessable, comment)")
        }
        func cell(_ r: Int, _ name: String) -> String? {
            guard let c = table.header.firstIndex(of: name) else { return nil }
            let v = table.rows[r][c].trimmingCharacters(in: .whitespaces)
            return v.isEmpty ? nil : v
        }
        return try table.rows.indices.map { r in
            let id = table.rows[r][ids].trimmingCharacters(in: .whitespaces)
            guard let automaticType = automatic[id] else {
                throw RadiomicsError(file: path, "\(table.location(row: r, column: ids)): case '\(id)' is not in \(folder)")
            }
            var type: Int?, confidence: Int?
            if let text = cell(r, "type") {
                guard let t = Int(text) else { throw RadiomicsError(file: path, "\(table.location(row: r, column: table.header.firstIndex(of: "type")!)): '\(text)' is not a type 1-4") }
                type = t
            }
            if let text = cell(r, "confidence") {
                guard let c = Int(text) else { throw RadiomicsError(file: path, "\(table.location(row: r, column: table.header.firstIndex(of: "confidence")!)): '\(text)' is not a confidence 1-5") }
                confidence = c
            }
            let v = Verdict(caseID: id, reader: table.rows[r][readers].trimmingCharacters(in: .whitespaces), type: type, confidence: confidence,
                            notAssessable: cell(r, "not_assessable"), comment: cell(r, "comment") ?? "", automaticType: automaticType, time: time)
            do { try v.validate() } catch let e as RadiomicsError { throw RadiomicsError(file: path, "line \(table.lines[r]): \(e.problem)") }
            return v
        }
    }
}

/// A results folder opened for review: its cases (and where their images are) and its verdicts and readers.
/// What every review command and the review page open first.
public struct ReviewFolder: Sendable {
    public let cases: ReviewCases
    public let store: ReviewStore

    /// `manifest`: the case manifest of a `vasc classify` folder (a batch folder needs none).
    public init(results: String, manifest: String? = nil) throws {
        cases = try ReviewCases(resultsFolder: results, manifest: manifest)
        store = try ReviewStore(resultsFolder: results)
    }
}
