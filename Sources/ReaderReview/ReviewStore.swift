import Foundation
import GRDB
import RadiomicsCore

/// A reader's verdict on one case's vascularization type.
public struct Verdict: Sendable, Equatable {
    public var caseID: String
    public var reader: String
    /// Type 1-4, nil when the case is not assessable.
    public var type: Int?
    /// The reader's confidence, 1 (unsure) to 5 (certain).
    public var confidence: Int?
    /// Why the case cannot be typed (wrong phase, artefact, mask wrong), nil when typed.
    public var notAssessable: String?
    public var comment: String
    /// The automatic type when the verdict was given (nil: none).
    public var automaticType: Int?
    public var time: Date

    public init(caseID: String, reader: String, type: Int?, confidence: Int? = nil, notAssessable: String? = nil, comment: String = "",
                automaticType: Int? = nil, time: Date = Date()) {
        self.caseID = caseID
        self.reader = reader
        self.type = type
        self.confidence = confidence
        self.notAssessable = notAssessable
        self.comment = comment
        self.automaticType = automaticType
        self.time = time
    }

    /// A verdict must give a type 1-4 or say why there is none; confidence is 1-5.
    public func validate() throws {
        if let type, !(1...4).contains(type) { throw RadiomicsError("case \(caseID), reader \(reader): type \(type) is not one of 1, 2, 3, 4") }
        if type == nil && (notAssessable ?? "").isEmpty {
            throw RadiomicsError("case \(caseID), reader \(reader): give a type 1-4, or the reason the case is not assessable")
        }
        if let confidence, !(1...5).contains(confidence) { throw RadiomicsError("case \(caseID), reader \(reader): confidence \(confidence) is not 1-5") }
        if reader.trimmingCharacters(in: .whitespaces).isEmpty { throw RadiomicsError("case \(caseID): a verdict needs a reader") }
    }
}

/// The readers' verdicts of a results folder, in `review.sqlite` beside `results.sqlite` (SQLite through GRDB).
/// Every verdict is kept: a revision is a new row, and the current verdict of a reader on a case is the latest.
public final class ReviewStore: @unchecked Sendable {
    public static let fileName = "review.sqlite"
    public let path: String
    let pool: DatabasePool

    public init(resultsFolder: String) throws {
        path = (resultsFolder as NSString).appendingPathComponent(Self.fileName)
        var config = Configuration()
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1") { db in
                try db.execute(sql: """
                    CREATE TABLE verdicts (id INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL, reader TEXT NOT NULL,
                        type INTEGER, confidence INTEGER, not_assessable TEXT, comment TEXT NOT NULL, automatic_type INTEGER,
                        time REAL NOT NULL);
                    CREATE INDEX verdicts_case_reader ON verdicts(case_id, reader, id);
                    """)
            }
            migrator.registerMigration("v2 readers") { db in
                // Readers who may log in to the review page; passwords only as (bcrypt) hashes.
                try db.execute(sql: "CREATE TABLE readers (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created REAL NOT NULL)")
            }
            try migrator.migrate(pool)
        } catch {
            throw RadiomicsError(file: path, "cannot open the review database: \(error)")
        }
    }

    public func record(_ v: Verdict) throws {
        try v.validate()
        do {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO verdicts (case_id, reader, type, confidence, not_assessable, comment, automatic_type, time)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [v.caseID, v.reader, v.type, v.confidence, v.notAssessable, v.comment, v.automaticType,
                                     v.time.timeIntervalSince1970])
            }
        } catch {
            throw RadiomicsError(file: path, "cannot store the verdict: \(error)")
        }
    }

    /// Adds a reader, or replaces the password hash of one (`passwordHash` is the hash, never the password).
    public func setReader(_ name: String, passwordHash: String, time: Date = Date()) throws {
        try Self.checkReaderName(name)
        do {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO readers (name, password_hash, created) VALUES (?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash
                    """, arguments: [name, passwordHash, time.timeIntervalSince1970])
            }
        } catch {
            throw RadiomicsError(file: path, "cannot store reader \(name): \(error)")
        }
    }

    /// The stored password hash of a reader, nil for an unknown reader.
    public func passwordHash(reader: String) throws -> String? {
        do {
            return try pool.read { db in try String.fetchOne(db, sql: "SELECT password_hash FROM readers WHERE name = ?", arguments: [reader]) }
        } catch {
            throw RadiomicsError(file: path, "cannot read the readers: \(error)")
        }
    }

    /// The names of the readers who may log in, sorted.
    public func readers() throws -> [String] {
        do {
            return try pool.read { db in try String.fetchAll(db, sql: "SELECT name FROM readers ORDER BY name") }
        } catch {
            throw RadiomicsError(file: path, "cannot read the readers: \(error)")
        }
    }

    /// A reader's name is what tables and the agreement page show: 1-64 letters, digits, '.', '_' or '-'.
    public static func checkReaderName(_ name: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard (1...64).contains(name.count), name.allSatisfy(allowed.contains) else {
            throw RadiomicsError("reader name '\(name)': use 1-64 letters, digits, '.', '_' or '-'")
        }
    }

    /// The latest verdict of every reader (or of `reader` only) on every case, by case then reader.
    public func currentVerdicts(reader: String? = nil) throws -> [Verdict] {
        try verdicts(sql: """
            SELECT v.* FROM verdicts v
            JOIN (SELECT case_id, reader, MAX(id) AS id FROM verdicts WHERE ?1 IS NULL OR reader = ?1 GROUP BY case_id, reader) last
            USING (id)
            ORDER BY v.case_id, v.reader
            """, arguments: [reader])
    }

    /// Every verdict a reader gave on a case, oldest first.
    public func history(caseID: String, reader: String) throws -> [Verdict] {
        try verdicts(sql: "SELECT * FROM verdicts WHERE case_id = ? AND reader = ? ORDER BY id", arguments: [caseID, reader])
    }

    func verdicts(sql: String, arguments: StatementArguments = []) throws -> [Verdict] {
        do {
            return try pool.read { db in
                try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                    Verdict(caseID: row["case_id"], reader: row["reader"], type: row["type"], confidence: row["confidence"],
                            notAssessable: row["not_assessable"], comment: row["comment"], automaticType: row["automatic_type"],
                            time: Date(timeIntervalSince1970: row["time"]))
                }
            }
        } catch {
            throw RadiomicsError(file: path, "cannot read the verdicts: \(error)")
        }
    }
}
