import Foundation
import RadiomicsCore

/// `radiomics merge`: the outputs of shards (or of any runs with the same settings) into one output folder,
/// tables in manifest order as a single run would write them.
public enum BatchMerge {
    /// Returns warnings (shards missing from a complete set).
    public static func merge(_ folders: [String], into output: String) throws -> [String] {
        guard !folders.isEmpty else { throw RadiomicsError("merge: no shard folders given") }
        var settings: [[String: String]] = []
        var paths: [String] = []
        for f in folders {
            let path = (f as NSString).appendingPathComponent(SQLiteResultStore.fileName)
            guard FileManager.default.fileExists(atPath: path) else { throw RadiomicsError(file: f, "no \(SQLiteResultStore.fileName): not a batch output folder") }
            let s = try SQLiteResultStore(path: path).settings()
            guard s["fingerprint"] != nil else { throw RadiomicsError(file: path, "holds no run") }
            settings.append(s)
            paths.append(path)
        }
        let first = settings[0]
        for (f, s) in zip(folders, settings).dropFirst() where s["fingerprint"] != first["fingerprint"] {
            throw RadiomicsError(file: f, "was made with other parameters, naming or rules than \(folders[0]): refusing to merge")
        }
        var warnings: [String] = []
        let shards = settings.compactMap { $0["shard"] }.filter { !$0.isEmpty }
        if Set(shards).count != shards.count { throw RadiomicsError("merge: the same shard given twice (\(shards.sorted().joined(separator: ", ")))") }
        if let n = shards.first.flatMap({ $0.split(separator: "/").last }).flatMap({ Int($0) }) {
            let present = Set(shards.compactMap { $0.split(separator: "/").first.flatMap { Int($0) } })
            let missing = (1...n).filter { !present.contains($0) }
            if !missing.isEmpty { warnings.append("shards \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")) are missing: their cases are not in the merged tables") }
        }
        do { try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true) } catch {
            throw RadiomicsError(file: output, "cannot create the output folder: \(error.localizedDescription)")
        }
        let target = (output as NSString).appendingPathComponent(SQLiteResultStore.fileName)
        if FileManager.default.fileExists(atPath: target) { throw RadiomicsError(file: output, "holds results already: merge into a new folder") }
        let store = try SQLiteResultStore(path: target)
        var merged = first
        merged["shard"] = ""
        merged["merged_from"] = folders.joined(separator: "\n")
        try store.setSettings(merged)
        for p in paths { try store.absorb(p) }
        try store.export(to: output)
        try BatchRun.writeRunFiles(folder: output, manifest: (folders[0] as NSString).appendingPathComponent("manifest.csv"),
                                   parameters: first["parameters"].flatMap { $0.isEmpty ? nil : $0 },
                                   rules: first["rules"].flatMap { $0.isEmpty ? nil : $0 })
        return warnings
    }
}
