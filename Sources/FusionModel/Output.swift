import Foundation
import RadiomicsCore

/// Number formatting shared by the CSV and JSON outputs: integers without a decimal point, other values in
/// Swift's shortest representation that reads back to the same Double.
public enum Format {
    public static func number(_ v: Double) -> String {
        TextOutput.number(v) ?? (v.isNaN ? "NaN" : (v > 0 ? "Inf" : "-Inf"))
    }
}

/// CSV output (RFC 4180): fields holding a comma, quote or line break are quoted, quotes doubled.
public enum CSVWriter {
    public static func field(_ s: String) -> String {
        TextOutput.csvField(s)
    }

    public static func row(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }
}

/// A JSON value with ordered object keys (so outputs list keys in a fixed, readable order).
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func int(_ i: Int) -> JSONValue { .number(Double(i)) }

    /// Non-finite numbers become `null`.
    public func rendered(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent + 1), end = String(repeating: "  ", count: indent)
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let v): return v.isFinite ? Format.number(v) : "null"
        case .string(let s): return Self.quote(s)
        case .array(let a):
            if a.isEmpty { return "[]" }
            if a.allSatisfy({ if case .number = $0 { return true }; if case .string = $0 { return true }; return false }) {
                return "[" + a.map { $0.rendered() }.joined(separator: ", ") + "]"
            }
            return "[\n" + a.map { pad + $0.rendered(indent: indent + 1) }.joined(separator: ",\n") + "\n\(end)]"
        case .object(let o):
            if o.isEmpty { return "{}" }
            return "{\n" + o.map { pad + Self.quote($0.0) + ": " + $0.1.rendered(indent: indent + 1) }.joined(separator: ",\n") + "\n\(end)}"
        }
    }

    static func quote(_ s: String) -> String { TextOutput.jsonString(s) }

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.rendered() == b.rendered() }
}
