import Foundation
import RadiomicsCore
import RadiomicsFeatures

/// Writes extraction results as JSON or CSV text.
public enum ResultFormatter {

    /// One object `{"diagnostics": {...}, "features": {...}}` per case; several cases make an array.
    public static func json(_ results: [ExtractionResult]) -> String {
        let objects = results.map { r -> String in
            let diag = r.diagnostics.map { "    \(quote($0.key)): \(json($0.value))" }.joined(separator: ",\n")
            let feat = r.features.map { "    \(quote($0.key)): \(number($0.value))" }.joined(separator: ",\n")
            return "{\n  \"diagnostics\": {\n\(diag)\n  },\n  \"features\": {"
                + (feat.isEmpty ? "}" : "\n\(feat)\n  }") + "\n}"
        }
        return objects.count == 1 ? objects[0] + "\n" : "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    /// A header row (input columns, `diagnostics_<key>`, then feature keys) and one row per case. Lists are written as
    /// `[a, b, c]` in one quoted cell.
    public static func csv(_ results: [ExtractionResult]) -> String {
        guard let first = results.first else { return "" }
        let inputKeys = first.inputColumns.map(\.key)
        let diagKeys = first.diagnostics.map(\.key)
        let featKeys = first.features.map(\.key)
        var lines = [(inputKeys + diagKeys.map { "diagnostics_\($0)" } + featKeys).map(csvCell).joined(separator: ",")]
        // Looked up by key (the first of a repeated key, as `ExtractionResult.feature` finds it): a row of 1,218
        // PyRadiomics features is otherwise 1.5 million string comparisons.
        func lookup<V>(_ pairs: [(key: String, value: V)]) -> [String: V] {
            Dictionary(pairs.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        }
        for r in results {
            let input = lookup(r.inputColumns), diagnostics = lookup(r.diagnostics), features = lookup(r.features)
            let inputs = inputKeys.map { input[$0] ?? "" }
            let d = inputs + diagKeys.map { key in diagnostics[key].map(text) ?? "" }
            let f = featKeys.map { key in features[key].map(number) ?? "" }
            lines.append((d + f).map(csvCell).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ v: OutputValue) -> String {
        switch v {
        case .int(let i): return String(i)
        case .double(let d): return number(d)
        case .text(let s): return quote(s)
        case .ints(let a): return "[" + a.map(String.init).joined(separator: ", ") + "]"
        case .doubles(let a): return "[" + a.map(number).joined(separator: ", ") + "]"
        }
    }

    /// A diagnostic as a CSV cell: text as it is, numbers and lists as in JSON.
    public static func text(_ v: OutputValue) -> String {
        switch v {
        case .text(let s): return s
        default: return json(v)
        }
    }

    /// A feature value as written in JSON and CSV ("null" when not finite).
    public static func number(_ d: Double) -> String { TextOutput.number(d) ?? "null" }

    static func quote(_ s: String) -> String { TextOutput.jsonString(s) }

    static func csvCell(_ s: String) -> String { TextOutput.csvField(s) }
}
