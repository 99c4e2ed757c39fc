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
        var records: [[String]] = [], starts: [Int] = []
        var field = "", record: [String] = []
        var line = 1, recordStart = 1
        var inQuotes = false, wasQuoted = false, fieldStarted = false
        var chars = Array(text.unicodeScalars)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var i = 0
        func endRecord() {
            record.append(field)
            if !(record.count == 1 && record[0].isEmpty && !wasQuoted) { records.append(record); starts.append(recordStart) }
            record = []; field = ""; wasQuoted = false; fieldStarted = false
        }
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 1 } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else if c == "," {
                record.append(field); field = ""; wasQuoted = false; fieldStarted = false
            } else if c == "\n" || c == "\r" {
                if c == "\r", i + 1 < chars.count, chars[i + 1] == "\n" { i += 1 }
                endRecord()
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
            i += 1
        }
        if inQuotes { throw RadiomicsError(file: source, "line \(recordStart): a quoted field is not closed before the end of the file") }
        if fieldStarted || !record.isEmpty { endRecord() }
        guard let header = records.first else { throw RadiomicsError(file: source, "the file is empty (no header row)") }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces) }
        var seen = Set<String>()
        for name in names {
            if name.isEmpty { throw RadiomicsError(file: source, "line \(starts[0]): an empty column name in the header") }
            if !seen.insert(name).inserted { throw RadiomicsError(file: source, "line \(starts[0]): column '\(name)' appears twice in the header") }
        }
        for (r, start) in zip(records.dropFirst(), starts.dropFirst()) where r.count != names.count {
            throw RadiomicsError(file: source, "line \(start): \(r.count) fields where the header has \(names.count)")
        }
        return CSVTable(source: source, header: names, rows: Array(records.dropFirst()), lines: Array(starts.dropFirst()))
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
