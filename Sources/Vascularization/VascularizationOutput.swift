import Foundation
import RadiomicsCore

/// Tables of typed cases: CSV (one row per case: `case_id,type,confidence`, every quantity, then `phases`,
/// `rule`, `warnings`, `error`) and JSON (an array of objects). Numbers are rounded to 4 decimals (quantities
/// are measurements, not reference values), a missing value is empty in CSV and null in JSON.
public enum VascularizationOutput {
    public static var columns: [String] {
        ["case_id", "type", "confidence"] + EnhancementQuantities.names.map(\.name) + ["phases", "rule", "warnings", "error"]
    }

    static func number(_ v: Double?) -> String? {
        guard let v, v.isFinite else { return nil }
        return TextOutput.number((v * 10_000).rounded() / 10_000)
    }

    static func list(_ values: [Double]) -> String {
        "[" + values.map { number($0) ?? "NaN" }.joined(separator: ", ") + "]"
    }

    public static func csvHeader() -> String { columns.map(TextOutput.csvField).joined(separator: ",") + "\n" }

    public static func csvRow(_ r: VascularizationResult) -> String {
        var cells = [r.caseID, r.call.map { String($0.type) } ?? "", number(r.call?.confidence) ?? ""]
        for (name, _, _) in EnhancementQuantities.names {
            let item = r.quantities.items.first { $0.name == name }
            if let l = item?.list { cells.append(list(l)) } else { cells.append(number(item?.value) ?? "") }
        }
        cells += [r.phases.map(\.rawValue).joined(separator: " "), r.call?.rule ?? "", r.warnings.joined(separator: " | "), r.error ?? ""]
        return cells.map(TextOutput.csvField).joined(separator: ",") + "\n"
    }

    public static func csv(_ results: [VascularizationResult]) -> String {
        csvHeader() + results.map(csvRow).joined()
    }

    public static func json(_ results: [VascularizationResult]) -> String {
        let objects = results.map { r -> String in
            var fields = ["\"case_id\": \(TextOutput.jsonString(r.caseID))"]
            fields.append("\"type\": \(r.call.map { String($0.type) } ?? "null")")
            fields.append("\"confidence\": \(number(r.call?.confidence) ?? "null")")
            if let rule = r.call?.rule { fields.append("\"rule\": \(TextOutput.jsonString(rule))") }
            fields.append("\"phases\": [\(r.phases.map { TextOutput.jsonString($0.rawValue) }.joined(separator: ", "))]")
            let q = r.quantities.items.map { item -> String in
                let value = item.list.map(list) ?? number(item.value) ?? "null"
                return "    \(TextOutput.jsonString(item.name)): \(value)"
            }
            fields.append("\"quantities\": {\n" + q.joined(separator: ",\n") + "\n  }")
            fields.append("\"warnings\": [\(r.warnings.map(TextOutput.jsonString).joined(separator: ", "))]")
            if let e = r.error { fields.append("\"error\": \(TextOutput.jsonString(e))") }
            return "{\n  " + fields.joined(separator: ",\n  ") + "\n}"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }
}
