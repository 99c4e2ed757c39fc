import Foundation
import RadiomicsCore

/// A reader study's tables: every current verdict, agreement (Cohen's kappa for the algorithm against each reader
/// and for every pair of readers, unweighted and linearly weighted with 95% CIs; Fleiss' kappa for three or more
/// readers; each on types 1-4 and on p-TACE's split, types 1/2 against 3/4), and a consensus type per case.
public enum ReviewExport {
    /// The algorithm's name among the raters.
    public static let algorithm = "algorithm"

    public enum Scale: String, Sendable, CaseIterable {
        case types = "types 1-4"
        case split = "types 1/2 vs 3/4"
        var categories: Int { self == .types ? 4 : 2 }
        func category(_ type: Int) -> Int { self == .types ? type : (type <= 2 ? 1 : 2) }
    }

    public struct Pair: Sendable {
        public var a: String
        public var b: String
        public var scale: Scale
        /// counts[category of a - 1][category of b - 1] over the cases both typed.
        public var table: [[Int]]
        public var cases: Int { table.joined().reduce(0, +) }
        public var kappa: CohenKappa { CohenKappa(table: table.map { $0.map(Double.init) }) }
        /// Linearly weighted kappa (types 1-4 only: two categories have no order to weight).
        public var linear: CohenKappa? { scale == .types ? CohenKappa(table: table.map { $0.map(Double.init) }, weighting: .linear) : nil }
    }

    public struct Fleiss: Sendable {
        public var readers: [String]
        public var scale: Scale
        public var cases: Int
        public var kappa: Double
    }

    public struct Consensus: Sendable, Equatable {
        public var caseID: String
        /// The majority type; nil on a tie (or when no reader typed the case).
        public var type: Int?
        public var readers: Int
        public var votes: Int
        public var tie: Bool
    }

    public struct Report: Sendable {
        public var verdicts: [Verdict]
        public var pairs: [Pair]
        public var fleiss: [Fleiss]
        public var consensus: [Consensus]
    }

    /// `automatic`: the algorithm's type per case (cases it could not type are absent).
    public static func report(verdicts: [Verdict], automatic: [String: Int]) -> Report {
        var types: [String: [String: Int]] = [:] // rater -> case -> type
        for v in verdicts { if let t = v.type { types[v.reader, default: [:]][v.caseID] = t } }
        let readers = Set(verdicts.map(\.reader)).sorted()
        var raters = readers
        if !automatic.isEmpty {
            types[algorithm] = automatic
            raters.insert(algorithm, at: 0)
        }
        var pairs: [Pair] = []
        for scale in Scale.allCases {
            for (i, a) in raters.enumerated() {
                for b in raters[(i + 1)...] {
                    var table = [[Int]](repeating: [Int](repeating: 0, count: scale.categories), count: scale.categories)
                    for (caseID, ta) in types[a] ?? [:] {
                        if let tb = types[b]?[caseID] { table[scale.category(ta) - 1][scale.category(tb) - 1] += 1 }
                    }
                    pairs.append(Pair(a: a, b: b, scale: scale, table: table))
                }
            }
        }
        var fleiss: [Fleiss] = []
        if readers.count >= 3 {
            let typed = readers.map { Set((types[$0] ?? [:]).keys) }
            let common = typed.dropFirst().reduce(typed[0]) { $0.intersection($1) }.sorted()
            for scale in Scale.allCases {
                let ratings = common.map { c in readers.map { scale.category(types[$0]![c]!) } }
                fleiss.append(Fleiss(readers: readers, scale: scale, cases: common.count,
                                     kappa: FleissKappa.kappa(ratings: ratings, categories: scale.categories)))
            }
        }
        var consensus: [Consensus] = []
        for caseID in Set(verdicts.map(\.caseID)).sorted() {
            let given = readers.compactMap { types[$0]?[caseID] }
            var votes: [Int: Int] = [:]
            for t in given { votes[t, default: 0] += 1 }
            let top = votes.values.max() ?? 0
            let leaders = votes.filter { $0.value == top }.keys
            consensus.append(Consensus(caseID: caseID, type: leaders.count == 1 ? leaders.first : nil, readers: given.count, votes: top,
                                       tie: leaders.count > 1))
        }
        return Report(verdicts: verdicts, pairs: pairs, fleiss: fleiss, consensus: consensus)
    }

    static func number(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "" }
        return String(format: "%.6f", v)
    }

    /// Writes verdicts.csv, agreement.csv, consensus.csv (case_id,type,...: `model ptace --vascularization` reads it)
    /// and agreement.html into `directory`.
    public static func write(_ r: Report, to directory: String) throws {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw RadiomicsError(file: directory, "cannot create the folder: \(error.localizedDescription)")
        }
        func put(_ name: String, _ lines: [[String]]) throws {
            let path = (directory as NSString).appendingPathComponent(name)
            let text = lines.map { $0.map(TextOutput.csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
            do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
                throw RadiomicsError(file: path, "cannot write: \(error.localizedDescription)")
            }
        }
        let time = ISO8601DateFormatter()
        try put("verdicts.csv", [["case_id", "reader", "type", "confidence", "not_assessable", "comment", "automatic_type", "time"]]
            + r.verdicts.map { v in
                [v.caseID, v.reader, v.type.map(String.init) ?? "", v.confidence.map(String.init) ?? "", v.notAssessable ?? "", v.comment,
                 v.automaticType.map(String.init) ?? "", time.string(from: v.time)]
            })
        var agreement = [["statistic", "rater_a", "rater_b", "scale", "cases", "kappa", "kappa_se", "kappa_ci_lower", "kappa_ci_upper",
                          "linear_kappa", "linear_kappa_se", "linear_kappa_ci_lower", "linear_kappa_ci_upper"]]
        for p in r.pairs {
            let k = p.kappa, l = p.linear
            agreement.append(["cohen", p.a, p.b, p.scale.rawValue, String(p.cases), number(k.kappa), number(k.standardError), number(k.lower95),
                              number(k.upper95), number(l?.kappa), number(l?.standardError), number(l?.lower95), number(l?.upper95)])
        }
        for f in r.fleiss {
            agreement.append(["fleiss", f.readers.joined(separator: " "), "", f.scale.rawValue, String(f.cases), number(f.kappa)]
                             + [String](repeating: "", count: 7))
        }
        try put("agreement.csv", agreement)
        try put("consensus.csv", [["case_id", "type", "readers", "votes", "tie"]] + r.consensus.map { c in
            [c.caseID, c.type.map(String.init) ?? "", String(c.readers), String(c.votes), c.tie ? "1" : "0"]
        })
        let path = (directory as NSString).appendingPathComponent("agreement.html")
        do { try html(r).write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw RadiomicsError(file: path, "cannot write: \(error.localizedDescription)")
        }
    }

    static func html(_ r: Report) -> String {
        var body = "<h1>Reader agreement: vascularization type</h1>\n"
        body += "<p>\(Set(r.verdicts.map(\.reader)).count) readers, \(Set(r.verdicts.map(\.caseID)).count) cases. Cohen's kappa with its asymptotic 95% CI (Fleiss, Cohen &amp; Everitt 1969); linear weights on types 1-4.</p>\n"
        for scale in Scale.allCases {
            body += "<h2>\(TextOutput.html(scale.rawValue))</h2>\n"
            for p in r.pairs where p.scale == scale {
                let k = p.kappa
                var line = "\(TextOutput.html(p.a)) vs \(TextOutput.html(p.b)): \(p.cases) cases, kappa \(number(k.kappa)) (\(number(k.lower95)) to \(number(k.upper95)))"
                if let l = p.linear { line += ", linear weighted \(number(l.kappa)) (\(number(l.lower95)) to \(number(l.upper95)))" }
                let labels = scale == .types ? ["1", "2", "3", "4"] : ["1/2", "3/4"]
                var table = "<table><tr><th>\(TextOutput.html(p.a)) \\ \(TextOutput.html(p.b))</th>" + labels.map { "<th>\($0)</th>" }.joined() + "</tr>"
                for (i, row) in p.table.enumerated() {
                    table += "<tr><th>\(labels[i])</th>" + row.map { "<td>\($0)</td>" }.joined() + "</tr>"
                }
                body += "<h3>\(line)</h3>\n\(table)</table>\n"
            }
            for f in r.fleiss where f.scale == scale {
                body += "<p>Fleiss' kappa, \(f.readers.map(TextOutput.html).joined(separator: ", ")): \(f.cases) cases, \(number(f.kappa))</p>\n"
            }
        }
        let ties = r.consensus.filter(\.tie).map(\.caseID)
        body += "<h2>Consensus</h2>\n<p>\(r.consensus.count - ties.count) cases with a majority type; ties: \(ties.isEmpty ? "none" : ties.map(TextOutput.html).joined(separator: ", ")).</p>\n"
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Reader agreement</title>
            <style>body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #999;padding:.2em .6em;text-align:right}</style>
            </head><body>
            \(body)</body></html>

            """
    }
}
