import Foundation

/// Cohen's kappa of two raters on k ordered categories, from their k x k table (rows: the first rater, columns:
/// the second), unweighted or with linear or quadratic disagreement weights, with its asymptotic standard error
/// and 95% confidence interval.
///
/// With disagreement weights w_ij (0 on the diagonal; |i - j| / (k - 1) linear, (i - j)^2 / (k - 1)^2 quadratic,
/// 1 off the diagonal unweighted), observed proportions p_ij and margins r_i, c_j:
/// kappa = 1 - sum w_ij p_ij / sum w_ij r_i c_j. The variance is Fleiss, Cohen & Everitt's (1969) large-sample
/// formula with agreement weights a = 1 - w, as statsmodels' `cohens_kappa` computes it:
/// var = [sum p_ij (a_ij - (abar_i. + abar_.j)(1 - kappa))^2 - (kappa - Pe (1 - kappa))^2] / ((1 - Pe)^2 n),
/// abar_i. = sum_j c_j a_ij, abar_.j = sum_i r_i a_ij, Pe = sum a_ij r_i c_j. CI: kappa +- 1.959964 SE.
public struct CohenKappa: Sendable, Equatable {
    public enum Weighting: String, Sendable, CaseIterable { case none, linear, quadratic }

    public var kappa: Double
    public var standardError: Double
    public var lower95: Double { kappa - 1.959_963_984_540_054 * standardError }
    public var upper95: Double { kappa + 1.959_963_984_540_054 * standardError }

    /// Kappa of a square table of counts (NaN when undefined: no cases, or a single category used by both raters).
    public init(table: [[Double]], weighting: Weighting = .none) {
        let k = table.count
        precondition(table.allSatisfy { $0.count == k }, "the table must be square")
        let n = table.joined().reduce(0, +)
        guard n > 0, k > 1 else { kappa = .nan; standardError = .nan; return }
        let p = table.map { $0.map { $0 / n } }
        let r = p.map { $0.reduce(0, +) }
        let c = (0..<k).map { j in (0..<k).reduce(0) { $0 + p[$1][j] } }
        func w(_ i: Int, _ j: Int) -> Double {
            switch weighting {
            case .none: return i == j ? 0 : 1
            case .linear: return Double(abs(i - j)) / Double(k - 1)
            case .quadratic: return Double((i - j) * (i - j)) / Double((k - 1) * (k - 1))
            }
        }
        var observed = 0.0, expected = 0.0
        for i in 0..<k {
            for j in 0..<k {
                observed += w(i, j) * p[i][j]
                expected += w(i, j) * r[i] * c[j]
            }
        }
        let kappa = 1 - observed / expected
        self.kappa = kappa
        // Variance with agreement weights a = 1 - w.
        let rowMean = (0..<k).map { i in (0..<k).reduce(0) { $0 + c[$1] * (1 - w(i, $1)) } }
        let colMean = (0..<k).map { j in (0..<k).reduce(0) { $0 + r[$1] * (1 - w($1, j)) } }
        let pe = 1 - expected
        var sum = 0.0
        for i in 0..<k {
            for j in 0..<k {
                let d = (1 - w(i, j)) - (rowMean[i] + colMean[j]) * (1 - kappa)
                sum += p[i][j] * d * d
            }
        }
        let variance = (sum - pow(kappa - pe * (1 - kappa), 2)) / (pow(1 - pe, 2) * n)
        standardError = variance >= 0 ? variance.squareRoot() : .nan
    }

    /// Kappa of paired ratings with values in 1...categories.
    public init(pairs: [(Int, Int)], categories: Int, weighting: Weighting = .none) {
        var table = [[Double]](repeating: [Double](repeating: 0, count: categories), count: categories)
        for (a, b) in pairs { table[a - 1][b - 1] += 1 }
        self.init(table: table, weighting: weighting)
    }
}

/// Fleiss' kappa of m raters on k categories: `counts[s][j]` raters put subject s in category j (every subject
/// rated by the same number of raters, at least 2). P_s = (sum_j n_sj^2 - m) / (m (m - 1)); P = mean P_s;
/// Pe = sum_j p_j^2 with p_j the share of all ratings in category j; kappa = (P - Pe) / (1 - Pe) (Fleiss 1971,
/// statsmodels' `fleiss_kappa`).
public enum FleissKappa {
    public static func kappa(counts: [[Int]]) -> Double {
        guard let m = counts.first?.reduce(0, +), m >= 2, counts.allSatisfy({ $0.reduce(0, +) == m }) else { return .nan }
        let k = counts[0].count
        let total = Double(counts.count * m)
        let share = (0..<k).map { j in Double(counts.reduce(0) { $0 + $1[j] }) / total }
        let agreement = counts.map { row in Double(row.reduce(0) { $0 + $1 * $1 } - m) / Double(m * (m - 1)) }
        let observed = agreement.reduce(0, +) / Double(counts.count)
        let expected = share.reduce(0) { $0 + $1 * $1 }
        return (observed - expected) / (1 - expected)
    }

    /// From each subject's ratings (values in 1...categories, one per rater).
    public static func kappa(ratings: [[Int]], categories: Int) -> Double {
        kappa(counts: ratings.map { subject in (1...categories).map { c in subject.filter { $0 == c }.count } })
    }
}
