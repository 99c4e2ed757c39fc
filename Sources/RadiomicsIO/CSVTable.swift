import Foundation
import RadiomicsCore

/// A CSV table read by the rules of RFC 4180: comma-separated fields, records ended by CRLF or LF, fields
/// optionally enclosed in double quotes (then holding commas, line breaks and `""` for a quote). The first
/// record is the header. Every record must have as many fields as the header; completely empty lines are
/// skipped. Errors name the file and the line.
public struct CSVTable: Sendable {
    /// The file the table came from (used in error messages).
    public var source: String
    public var header: [String]
    /// Data records, header excluded.
    public var rows: [[String]]
    /// The line (1-based, header = line 1) on which each data record starts.
    public var lines: [Int]

    public init(source: String, header: [String], rows: [[String]], lines: [Int]? = nil) {
        self.source = source
        self.header = header
        self.rows = rows
        self.lines = lines ?? rows.indices.map { $0 + 2 }
    }

    /// Reads and parses a file.
    public static func read(path: String) throws -> CSVTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RadiomicsError(file: path, "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw RadiomicsError(file: path, "not UTF-8 text") }
        return try parse(text, source: path)
    }

    /// Parses CSV text; `source` names it in errors.
    public static func parse(_ text: String, source: String) throws -> CSVTable {
        var parser = CSVRecordParser(source: source)
        let records = try parser.feed(text) + parser.finish()
        guard let first = records.first else { throw RadiomicsError(file: source, "the file is empty (no header row)") }
        let names = try CSVRecordParser.header(first, source: source)
        for r in records.dropFirst() { try CSVRecordParser.checkWidth(r, header: names, source: source) }
        return CSVTable(source: source, header: names, rows: records.dropFirst().map(\.fields), lines: records.dropFirst().map(\.line))
    }

    /// The case identifier column: `case_id`, or `diagnostics_case_id` in a table written by `radiomics extract`.
    public var caseIDColumn: Int? { header.firstIndex(of: "case_id") ?? header.firstIndex(of: "diagnostics_case_id") }

    /// Index of a column, or an error naming the file and the missing column.
    public func columnIndex(_ name: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw RadiomicsError(file: source, "no column '\(name)' (columns: \(header.joined(separator: ", ")))")
        }
        return i
    }

    /// Where a cell is, for messages: "row 3 (line 4, case P003), column 'afp'".
    public func location(row: Int, column: Int) -> String {
        var s = "row \(row + 1) (line \(lines[row])"
        if let id = caseIDColumn, !rows[row][id].isEmpty { s += ", case \(rows[row][id])" }
        return s + "), column '\(header[column])'"
    }

    /// A cell as a finite number; a missing (empty, NA, NaN) or non-numeric cell is an error naming row and column.
    public func number(row: Int, column: Int) throws -> Double {
        let text = rows[row][column].trimmingCharacters(in: .whitespaces)
        if text.isEmpty || ["na", "nan", "n/a", "null", "none", "."].contains(text.lowercased()) {
            throw RadiomicsError(file: source, "\(location(row: row, column: column)): missing value")
        }
        guard let v = Double(text), v.isFinite else {
            throw RadiomicsError(file: source, "\(location(row: row, column: column)): '\(text)' is not a number")
        }
        return v
    }

    /// The `case_id` of every row; missing or repeated identifiers are errors.
    public func caseIDs() throws -> [String] {
        guard let c = caseIDColumn else {
            throw RadiomicsError(file: source, "no column 'case_id' (columns: \(header.joined(separator: ", ")))")
        }
        var seen: [String: Int] = [:]
        return try rows.indices.map { r in
            let id = rows[r][c].trimmingCharacters(in: .whitespaces)
            if id.isEmpty { throw RadiomicsError(file: source, "\(location(row: r, column: c)): missing case_id") }
            if let first = seen[id] {
                throw RadiomicsError(file: source, "\(location(row: r, column: c)): case_id '\(id)' already used in row \(first + 1)")
            }
            seen[id] = r
            return id
        }
    }
}

/// A CSV record and the line (1-based) on which it starts.
public struct CSVRecord: Sendable {
    public var fields: [String]
    public var line: Int
    public init(fields: [String], line: Int) {
        self.fields = fields
        self.line = line
    }
}

/// The RFC 4180 rules of `CSVTable`, fed text in pieces: a whole string, or a file read in chunks
/// (`CSVRecordReader`). A quote or a CR LF split between two pieces is handled.
public struct CSVRecordParser {
    let source: String
    private var field = "", record: [String] = []
    private var line = 1, recordStart = 1
    private var inQuotes = false, wasQuoted = false, fieldStarted = false
    /// A quote inside a quoted field: the end of the field, or the first half of `""`, told by the next character.
    private var quoteAtEnd = false
    /// A CR ended the last record: an LF right after it belongs to the same line break.
    private var afterCR = false
    private var started = false

    public init(source: String) { self.source = source }

    /// The records completed by `text`.
    public mutating func feed<S: StringProtocol>(_ text: S) throws -> [CSVRecord] {
        var out: [CSVRecord] = []
        for c in text.unicodeScalars {
            if !started {
                started = true
                if c == "\u{FEFF}" { continue }
            }
            if afterCR {
                afterCR = false
                if c == "\n" { continue }
            }
            if quoteAtEnd {
                quoteAtEnd = false
                if c == "\"" { field.unicodeScalars.append("\""); continue }
                inQuotes = false
            }
            if inQuotes {
                if c == "\"" {
                    quoteAtEnd = true
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else if c == "," {
                record.append(field); field = ""; wasQuoted = false; fieldStarted = false
            } else if c == "\n" || c == "\r" {
                endRecord(into: &out)
                afterCR = c == "\r"
                line += 1
                recordStart = line
            } else if c == "\"" {
                if fieldStarted {
                    throw RadiomicsError(file: source, "line \(line): a double quote inside an unquoted field (quote the whole field and write \"\" for a quote)")
                }
                inQuotes = true; wasQuoted = true; fieldStarted = true
            } else {
                if wasQuoted {
                    throw RadiomicsError(file: source, "line \(line): text after the closing quote of a field")
                }
                field.unicodeScalars.append(c); fieldStarted = true
            }
        }
        return out
    }

    /// The last record, when the text does not end with a line break.
    public mutating func finish() throws -> [CSVRecord] {
        if quoteAtEnd { quoteAtEnd = false; inQuotes = false }
        if inQuotes { throw RadiomicsError(file: source, "line \(recordStart): a quoted field is not closed before the end of the file") }
        var out: [CSVRecord] = []
        if fieldStarted || !record.isEmpty { endRecord(into: &out) }
        return out
    }

    private mutating func endRecord(into out: inout [CSVRecord]) {
        record.append(field)
        if !(record.count == 1 && record[0].isEmpty && !wasQuoted) { out.append(CSVRecord(fields: record, line: recordStart)) }
        record = []; field = ""; wasQuoted = false; fieldStarted = false
    }

    /// Column names of a header record: trimmed, none empty, none twice.
    public static func header(_ record: CSVRecord, source: String) throws -> [String] {
        let names = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var seen = Set<String>()
        for name in names {
            if name.isEmpty { throw RadiomicsError(file: source, "line \(record.line): an empty column name in the header") }
            if !seen.insert(name).inserted { throw RadiomicsError(file: source, "line \(record.line): column '\(name)' appears twice in the header") }
        }
        return names
    }

    /// A data record must have as many fields as the header.
    public static func checkWidth(_ record: CSVRecord, header: [String], source: String) throws {
        guard record.fields.count == header.count else {
            throw RadiomicsError(file: source, "line \(record.line): \(record.fields.count) fields where the header has \(header.count)")
        }
    }
}

/// A CSV file read record by record in chunks of 1 MB, so a table of any length takes the memory of one chunk:
/// the header first, then data records checked against its width. Errors name the file and the line.
public final class CSVRecordReader {
    public let source: String
    public private(set) var header: [String] = []
    private let handle: FileHandle
    private var parser: CSVRecordParser
    private var pending: [CSVRecord] = []
    private var next = 0
    private var carry = Data()
    private var atEnd = false

    public init(path: String) throws {
        source = path
        parser = CSVRecordParser(source: path)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
              let handle = FileHandle(forReadingAtPath: path) else {
            throw RadiomicsError(file: path, "cannot read the file")
        }
        self.handle = handle
        guard let first = try nextRecord() else { throw RadiomicsError(file: path, "the file is empty (no header row)") }
        header = try CSVRecordParser.header(first, source: path)
    }

    deinit { try? handle.close() }

    /// The next data record, nil at the end of the file.
    public func nextRow() throws -> CSVRecord? {
        guard let r = try nextRecord() else { return nil }
        try CSVRecordParser.checkWidth(r, header: header, source: source)
        return r
    }

    private func nextRecord() throws -> CSVRecord? {
        while next == pending.count {
            if atEnd { return nil }
            pending = []; next = 0
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw RadiomicsError(file: source, "cannot read the file: \(error.localizedDescription)")
            }
            if chunk.isEmpty {
                atEnd = true
                guard carry.isEmpty else { throw RadiomicsError(file: source, "not UTF-8 text") }
                pending = try parser.finish()
                continue
            }
            carry.append(chunk)
            // Decode up to the last whole UTF-8 character; the rest waits for the next chunk.
            var cut = carry.count
            var back = 0
            while back < 4, cut - back - 1 >= 0, carry[carry.startIndex + cut - back - 1] & 0xC0 == 0x80 { back += 1 }
            if cut - back - 1 >= 0 {
                let lead = carry[carry.startIndex + cut - back - 1]
                let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
                if length > back + 1 { cut -= back + 1 }
            }
            guard let text = String(data: carry.prefix(cut), encoding: .utf8) else { throw RadiomicsError(file: source, "not UTF-8 text") }
            carry = Data(carry.suffix(from: carry.startIndex + cut))
            pending = try parser.feed(text)
        }
        defer { next += 1 }
        return pending[next]
    }
}
