import Foundation
import FusionModel
import GRDB
import RadiomicsCore
import RadiomicsPipeline
import Vascularization

/// p-TACE of one case of a batch: the score's inputs and results, or why it could not be scored.
public struct PTACERow: Sendable, Equatable {
    public var caseID: String
    public var vascularizationType: Int?
    /// "clinical" (the clinical table's type) or "image" (the type measured by this run).
    public var typeSource: String?
    /// "clinical" or "mask" (the largest diameter measured on the mask).
    public var sizeSource: String?
    public var albiScore: Double?
    public var albiGrade: Int?
    public var afpGrade: Int?
    public var ggtGrade: Int?
    public var tumorSizeCM: Double?
    public var score: Double?
    public var grade: Int?
    public var risk: Double?
    public var probability: Double?
    public var error: String?

    public init(caseID: String, error: String) {
        self.caseID = caseID
        self.error = error
    }

    public init(caseID: String, vascularizationType: Int, typeSource: String, sizeSource: String, albiScore: Double, albiGrade: Int,
                afpGrade: Int, ggtGrade: Int, tumorSizeCM: Double, score: Double, grade: Int, risk: Double, probability: Double) {
        self.caseID = caseID
        self.vascularizationType = vascularizationType
        self.typeSource = typeSource
        self.sizeSource = sizeSource
        self.albiScore = albiScore
        self.albiGrade = albiGrade
        self.afpGrade = afpGrade
        self.ggtGrade = ggtGrade
        self.tumorSizeCM = tumorSizeCM
        self.score = score
        self.grade = grade
        self.risk = risk
        self.probability = probability
    }
}

/// Where a batch keeps what it computed. Each case is committed at once and whole (its status, features and
/// type together), so a run stopped at any moment keeps every finished case and nothing half-written.
public protocol ResultStore: AnyObject, Sendable {
    /// The run's settings (fingerprint, parameters, manifest, shard); empty for a new store.
    func settings() throws -> [String: String]
    func setSettings(_ settings: [String: String]) throws
    /// Cases already finished (ok, partial or error): a resumed run skips them.
    func finishedCaseIDs() throws -> Set<String>
    func commit(_ report: CaseReport, of batchCase: BatchCase) throws
    /// Tumour types measured by the run, and largest diameters (cm) from its features, for p-TACE.
    func measuredTypes() throws -> [String: Int]
    func measuredSizes() throws -> [String: Double]
    /// Status of every finished case.
    func statuses() throws -> [String: CaseStatus]
    /// Each stored case's inputs (images by phase, masks by role) as the batch read them.
    func caseInputs() throws -> [String: CaseInput]
    func replacePTACE(_ rows: [PTACERow]) throws
    /// Writes features.csv, vascularization.csv, ptace.csv and status.csv into `directory`, rows in manifest order.
    func export(to directory: String) throws
}

/// The batch's results in SQLite (GRDB), `results.sqlite` in the output folder: WAL journal, synchronous
/// commits, one transaction per case.
public final class SQLiteResultStore: ResultStore, @unchecked Sendable {
    public let path: String
    let pool: DatabasePool

    public static let fileName = "results.sqlite"

    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Self.migrator.migrate(pool)
        } catch {
            throw RadiomicsError(file: path, "cannot open the results database: \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE cases (case_id TEXT PRIMARY KEY, row INTEGER NOT NULL, status TEXT NOT NULL, error TEXT,
                    seconds REAL NOT NULL, warnings TEXT NOT NULL, input TEXT, copied TEXT NOT NULL, finished_at TEXT NOT NULL);
                CREATE INDEX cases_row ON cases(row);
                CREATE TABLE features (case_id TEXT NOT NULL, name TEXT NOT NULL, rank INTEGER NOT NULL, number REAL,
                    text TEXT NOT NULL, PRIMARY KEY (case_id, name)) WITHOUT ROWID;
                CREATE TABLE vascularization (case_id TEXT PRIMARY KEY, type INTEGER, confidence REAL, rule TEXT, error TEXT,
                    csv_row TEXT NOT NULL);
                CREATE TABLE ptace (case_id TEXT PRIMARY KEY, vascularization_type INTEGER, type_source TEXT, size_source TEXT,
                    albi_score REAL, albi_grade INTEGER, afp_grade INTEGER, ggt_grade INTEGER, tumor_size_cm REAL,
                    ptace_score REAL, ptace_grade INTEGER, ptace_risk REAL, ptace_probability REAL, error TEXT);
                """)
        }
        return m
    }

    func failing<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as RadiomicsError { throw e } catch {
            throw RadiomicsError(file: path, "\(what): \(error)")
        }
    }

    public func settings() throws -> [String: String] {
        try failing("cannot read the settings") {
            try pool.read { db in
                var out: [String: String] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT key, value FROM settings") { out[row["key"]] = row["value"] }
                return out
            }
        }
    }

    public func setSettings(_ settings: [String: String]) throws {
        try failing("cannot write the settings") {
            try pool.write { db in
                for (k, v) in settings.sorted(by: { $0.key < $1.key }) {
                    try db.execute(sql: "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", arguments: [k, v])
                }
            }
        }
    }

    public func finishedCaseIDs() throws -> Set<String> {
        try failing("cannot read the finished cases") {
            try pool.read { db in Set(try String.fetchAll(db, sql: "SELECT case_id FROM cases")) }
        }
    }

    public func commit(_ report: CaseReport, of batchCase: BatchCase) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Paths are stored absolute: the review server and later readers may run from another folder.
        let input = (try? batchCase.input.get())?.resolvingPaths(against: FileManager.default.currentDirectoryPath)
        let inputJSON = input.flatMap { try? String(decoding: encoder.encode($0), as: UTF8.self) }
        let copied = String(decoding: try encoder.encode(batchCase.copiedColumns), as: UTF8.self)
        let warnings = String(decoding: try encoder.encode(report.warnings), as: UTF8.self)
        let finished = ISO8601DateFormatter().string(from: Date())
        try failing("cannot store case \(report.caseID)") {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM features WHERE case_id = ?", arguments: [report.caseID])
                try db.execute(sql: "DELETE FROM vascularization WHERE case_id = ?", arguments: [report.caseID])
                try db.execute(sql: """
                    INSERT OR REPLACE INTO cases (case_id, row, status, error, seconds, warnings, input, copied, finished_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [report.caseID, batchCase.row, report.status.rawValue, report.error, report.seconds, warnings,
                                     inputJSON, copied, finished])
                let insert = try db.makeStatement(sql: "INSERT INTO features (case_id, name, rank, number, text) VALUES (?, ?, ?, ?, ?)")
                for cell in report.features {
                    try insert.execute(arguments: [report.caseID, cell.name, cell.rank, cell.number, cell.text])
                }
                if let t = report.typing {
                    try db.execute(sql: "INSERT INTO vascularization (case_id, type, confidence, rule, error, csv_row) VALUES (?, ?, ?, ?, ?, ?)",
                                   arguments: [report.caseID, t.type, t.confidence, t.rule, t.error, t.csvRow])
                }
            }
        }
    }

    public func measuredTypes() throws -> [String: Int] {
        try failing("cannot read the vascularization types") {
            try pool.read { db in
                var out: [String: Int] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT case_id, type FROM vascularization WHERE type IS NOT NULL") {
                    out[row["case_id"]] = row["type"]
                }
                return out
            }
        }
    }

    public func measuredSizes() throws -> [String: Double] {
        try failing("cannot read the tumour sizes") {
            try pool.read { db in
                var out: [String: Double] = [:]
                let names = TumourSizes.diameterColumns.map { "'\($0)'" }.joined(separator: ", ")
                for row in try Row.fetchAll(db, sql: "SELECT case_id, number FROM features WHERE name IN (\(names)) AND number IS NOT NULL") {
                    out[row["case_id"]] = (row["number"] as Double) / 10
                }
                return out
            }
        }
    }

    public func caseInputs() throws -> [String: CaseInput] {
        try failing("cannot read the cases' inputs") {
            try pool.read { db in
                var out: [String: CaseInput] = [:]
                let decoder = JSONDecoder()
                for row in try Row.fetchAll(db, sql: "SELECT case_id, input FROM cases WHERE input IS NOT NULL") {
                    let json: String = row["input"]
                    out[row["case_id"]] = try decoder.decode(CaseInput.self, from: Data(json.utf8))
                }
                return out
            }
        }
    }

    public func statuses() throws -> [String: CaseStatus] {
        try failing("cannot read the case statuses") {
            try pool.read { db in
                var out: [String: CaseStatus] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT case_id, status FROM cases") {
                    out[row["case_id"]] = CaseStatus(rawValue: row["status"]) ?? .error
                }
                return out
            }
        }
    }

    public func replacePTACE(_ rows: [PTACERow]) throws {
        try failing("cannot store the p-TACE table") {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM ptace")
                for r in rows {
                    try db.execute(sql: """
                        INSERT INTO ptace (case_id, vascularization_type, type_source, size_source, albi_score, albi_grade, afp_grade,
                            ggt_grade, tumor_size_cm, ptace_score, ptace_grade, ptace_risk, ptace_probability, error)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [r.caseID, r.vascularizationType, r.typeSource, r.sizeSource, r.albiScore, r.albiGrade, r.afpGrade,
                                         r.ggtGrade, r.tumorSizeCM, r.score, r.grade, r.risk, r.probability, r.error])
                }
            }
        }
    }

    /// Copies every case of another store (a shard) into this one, in one transaction.
    public func absorb(_ other: String) throws {
        try failing("cannot merge \(other)") {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "ATTACH DATABASE ? AS shard", arguments: [other])
                defer { try? db.execute(sql: "DETACH DATABASE shard") }
                try db.inTransaction {
                    for table in ["cases", "features", "vascularization", "ptace"] {
                        try db.execute(sql: "INSERT OR REPLACE INTO main.\(table) SELECT * FROM shard.\(table)")
                    }
                    return .commit
                }
            }
        }
    }

    public func export(to directory: String) throws {
        try failing("cannot write the tables") {
            try pool.read { db in
                try exportFeatures(db, to: directory)
                try TableFile.write(directory, "status.csv") { out in
                    out("case_id,status,error,seconds\n")
                    let cursor = try Row.fetchCursor(db, sql: "SELECT case_id, status, error, seconds FROM cases ORDER BY row")
                    while let row = try cursor.next() {
                        let cells: [String] = [row["case_id"], row["status"], row["error"] ?? "", String(format: "%.3f", row["seconds"] as Double)]
                        out(cells.map(TextOutput.csvField).joined(separator: ",") + "\n")
                    }
                }
                try TableFile.write(directory, "vascularization.csv") { out in
                    out(VascularizationOutput.csvHeader())
                    let cursor = try String.fetchCursor(db, sql: "SELECT v.csv_row FROM vascularization v JOIN cases c USING (case_id) ORDER BY c.row")
                    while let line = try cursor.next() { out(line) }
                }
                try TableFile.write(directory, "ptace.csv") { out in
                    out(PTACEColumns.header + "\n")
                    let cursor = try Row.fetchCursor(db, sql: "SELECT p.* FROM ptace p JOIN cases c USING (case_id) ORDER BY c.row")
                    while let row = try cursor.next() {
                        func n(_ key: String) -> String { (row[key] as Double?).flatMap(TextOutput.number) ?? "" }
                        func i(_ key: String) -> String { (row[key] as Int?).map(String.init) ?? "" }
                        func t(_ key: String) -> String { (row[key] as String?) ?? "" }
                        var cells: [String] = [t("case_id"), i("vascularization_type"), t("type_source"), n("albi_score")]
                        cells += [i("albi_grade"), i("afp_grade"), i("ggt_grade"), n("tumor_size_cm"), t("size_source")]
                        cells += [n("ptace_score"), i("ptace_grade"), n("ptace_risk"), n("ptace_probability"), t("error")]
                        out(cells.map(TextOutput.csvField).joined(separator: ",") + "\n")
                    }
                }
            }
        }
    }

    /// features.csv: `case_id`, the manifest's copied columns, then every diagnostic and feature in rank order.
    func exportFeatures(_ db: Database, to directory: String) throws {
        let copiedKeys = (try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'copied_columns'"))
            .flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) }?.filter { $0 != "case_id" } ?? []
        let names = try String.fetchAll(db, sql: "SELECT name FROM features GROUP BY name ORDER BY MIN(rank), name")
        let column = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        try TableFile.write(directory, "features.csv") { out in
            out((["case_id"] + copiedKeys + names).map(TextOutput.csvField).joined(separator: ",") + "\n")
            let cases = try Row.fetchCursor(db, sql: "SELECT case_id, copied FROM cases WHERE status != 'error' ORDER BY row")
            let cells = try db.makeStatement(sql: "SELECT name, text FROM features WHERE case_id = ?")
            while let c = try cases.next() {
                let id: String = c["case_id"]
                let copied = (try? JSONDecoder().decode([ManifestColumn].self, from: Data((c["copied"] as String).utf8))) ?? []
                var row = [String](repeating: "", count: names.count)
                let cursor = try Row.fetchCursor(cells, arguments: [id])
                while let cell = try cursor.next() {
                    if let k = column[cell["name"]] { row[k] = cell["text"] }
                }
                let copiedCells = copiedKeys.map { key in copied.first { $0.key == key }?.value ?? "" }
                out(([id] + copiedCells + row).map(TextOutput.csvField).joined(separator: ",") + "\n")
            }
        }
    }
}

enum PTACEColumns {
    static let header = "case_id,vascularization_type,type_source,albi_score,albi_grade,afp_grade,ggt_grade,tumor_size_cm,size_source,ptace_score,ptace_grade,ptace_risk,ptace_probability,error"
}

/// A table written whole or not at all: into a temporary file beside it, then renamed over it.
enum TableFile {
    static func write(_ directory: String, _ name: String, _ body: ((String) -> Void) throws -> Void) throws {
        let path = (directory as NSString).appendingPathComponent(name)
        let temporary = (directory as NSString).appendingPathComponent(".\(name).partial")
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            throw RadiomicsError(file: temporary, "cannot create the file")
        }
        var buffer = ""
        func flush() { handle.write(Data(buffer.utf8)); buffer = "" }
        do {
            try body { text in
                buffer += text
                if buffer.utf8.count > 1 << 20 { flush() }
            }
            flush()
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else { throw RadiomicsError(file: path, "cannot write the file: \(String(cString: strerror(errno)))") }
    }
}
