import RadiomicsCore
import Foundation

/// Agreement between true and called types 1-4: confusion matrix, accuracy, per-type recall, Cohen's kappa.
public struct TypeAgreement: Sendable {
    /// counts[truth - 1][call - 1].
    public var counts = [[Int]](repeating: [Int](repeating: 0, count: 4), count: 4)

    public init() {}

    public init(pairs: [(truth: Int, call: Int)]) {
        for p in pairs { add(truth: p.truth, call: p.call) }
    }

    public mutating func add(truth: Int, call: Int) {
        precondition((1...4).contains(truth) && (1...4).contains(call), "types are 1-4")
        counts[truth - 1][call - 1] += 1
    }

    public var total: Int { counts.joined().reduce(0, +) }
    public var agreed: Int { (0..<4).reduce(0) { $0 + counts[$1][$1] } }
    public var accuracy: Double { total > 0 ? Double(agreed) / Double(total) : .nan }

    /// Recall of each true type (nil for a type with no case).
    public var recall: [Double?] {
        (0..<4).map { t in
            let n = counts[t].reduce(0, +)
            return n > 0 ? Double(counts[t][t]) / Double(n) : nil
        }
    }

    /// Cohen's kappa (`CohenKappa`, unweighted); 1 when every case is of one type and called so.
    public var kappa: Double {
        guard total > 0 else { return .nan }
        let k = CohenKappa(table: counts.map { $0.map(Double.init) }).kappa
        return k.isNaN ? 1 : k
    }

    /// The matrix as text, rows = truth, columns = call, with accuracy, recall and kappa.
    public var report: String {
        var lines = ["truth \\ call      1      2      3      4   recall"]
        for t in 0..<4 {
            let r = recall[t].map { String(format: "%.3f", $0) } ?? "  -  "
            lines.append(String(format: "type %d       ", t + 1) + counts[t].map { String(format: "%6d", $0) }.joined(separator: " ") + "   " + r)
        }
        lines.append(String(format: "accuracy %.3f (%d of %d), Cohen's kappa %.3f", accuracy, agreed, total, kappa))
        return lines.joined(separator: "\n")
    }
}
