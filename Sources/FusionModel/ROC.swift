import Foundation
import RadiomicsCore

/// Area under the ROC curve with confidence intervals.
///
/// AUC = P(score of a random event > score of a random non-event) + ½ P(tie), the Mann-Whitney statistic:
/// AUC = (Σ_{events} R_i − m(m + 1)/2) / (m n), R = mid-ranks in the pooled sample, m events, n non-events.
public enum ROC {
    public struct AUCInterval: Sendable, Equatable {
        public var auc: Double
        public var lower: Double
        public var upper: Double
        /// Standard error (DeLong) or bootstrap SD.
        public var standardError: Double
    }

    /// Mid-ranks (1-based; tied values share the mean of their ranks).
    static func midranks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var r = [Double](repeating: 0, count: v.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, v[order[j + 1]] == v[order[i]] { j += 1 }
            let rank = Double(i + j + 2) / 2
            for k in i...j { r[order[k]] = rank }
            i = j + 1
        }
        return r
    }

    public static func auc(scores: [Double], outcome y: [Double]) -> Double {
        let pos = scores.indices.filter { y[$0] == 1 }.map { scores[$0] }
        let neg = scores.indices.filter { y[$0] != 1 }.map { scores[$0] }
        let m = Double(pos.count), n = Double(neg.count)
        let r = midranks(pos + neg)
        return (r[0..<pos.count].reduce(0, +) - m * (m + 1) / 2) / (m * n)
    }

    /// DeLong, DeLong & Clarke-Pearson (Biometrics 44:837, 1988) variance, computed with mid-ranks as in
    /// Sun & Xu (IEEE Signal Process Lett 21:1389, 2014):
    /// V10_i = (R_i − R^X_i)/n for events (share of non-events scored below, ties ½),
    /// V01_j = 1 − (R_j − R^Y_j)/m for non-events, Var AUC = s²(V10)/m + s²(V01)/n (s² with divisor − 1).
    /// CI = AUC ± z₀.₉₇₅ SE, clipped to [0, 1] (as pROC).
    public static func delong(scores: [Double], outcome y: [Double]) -> AUCInterval {
        let pos = scores.indices.filter { y[$0] == 1 }.map { scores[$0] }
        let neg = scores.indices.filter { y[$0] != 1 }.map { scores[$0] }
        let m = pos.count, n = neg.count
        let pooled = midranks(pos + neg), rx = midranks(pos), ry = midranks(neg)
        let v10 = (0..<m).map { (pooled[$0] - rx[$0]) / Double(n) }
        let v01 = (0..<n).map { 1 - (pooled[m + $0] - ry[$0]) / Double(m) }
        let auc = v10.reduce(0, +) / Double(m)
        let se = (SampleStatistics.variance(v10) / Double(m) + SampleStatistics.variance(v01) / Double(n)).squareRoot()
        return AUCInterval(auc: auc, lower: max(0, auc - SpecialFunctions.z975 * se),
                           upper: min(1, auc + SpecialFunctions.z975 * se), standardError: se)
    }

    /// Percentile bootstrap CI: `replicates` stratified resamples (events and non-events each drawn with
    /// replacement, keeping their counts, as pROC's default), seeded SplitMix64; 2.5% and 97.5% quantiles
    /// (type 7) of the resampled AUCs.
    public static func bootstrap(scores: [Double], outcome y: [Double], replicates: Int = 2000, seed: UInt64 = 1) -> AUCInterval {
        let pos = scores.indices.filter { y[$0] == 1 }.map { scores[$0] }
        let neg = scores.indices.filter { y[$0] != 1 }.map { scores[$0] }
        var rng = SeededRandom(seed: seed)
        let labels = [Double](repeating: 1, count: pos.count) + [Double](repeating: 0, count: neg.count)
        var aucs: [Double] = []
        aucs.reserveCapacity(replicates)
        for _ in 0..<replicates {
            let s = (0..<pos.count).map { _ in pos[rng.index(below: pos.count)] } + (0..<neg.count).map { _ in neg[rng.index(below: neg.count)] }
            aucs.append(auc(scores: s, outcome: labels))
        }
        aucs.sort()
        let mean = aucs.reduce(0, +) / Double(replicates)
        let sd = (aucs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(replicates - 1, 1))).squareRoot()
        return AUCInterval(auc: auc(scores: scores, outcome: y), lower: SampleStatistics.quantile(sorted: aucs, 0.025),
                           upper: SampleStatistics.quantile(sorted: aucs, 0.975), standardError: sd)
    }

    /// The empirical ROC curve: (false-positive rate, true-positive rate) from (0, 0) to (1, 1), one point
    /// per distinct score taken as threshold (positive when score >= threshold), highest first.
    public static func curve(scores: [Double], outcome y: [Double]) -> [(fpr: Double, tpr: Double)] {
        let m = Double(y.filter { $0 == 1 }.count), n = Double(y.count) - m
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var points: [(Double, Double)] = [(0, 0)]
        var tp = 0.0, fp = 0.0, i = 0
        while i < order.count {
            let t = scores[order[i]]
            while i < order.count, scores[order[i]] == t {
                if y[order[i]] == 1 { tp += 1 } else { fp += 1 }
                i += 1
            }
            points.append((fp / n, tp / m))
        }
        return points.map { (fpr: $0.0, tpr: $0.1) }
    }
}

extension ROC {
    /// Sensitivity of the empirical ROC curve at a false-positive rate: the highest TPR reached with FPR <= f.
    static func sensitivity(atFPR f: Double, curve: [(fpr: Double, tpr: Double)]) -> Double {
        curve.filter { $0.fpr <= f + 1e-12 }.map(\.tpr).max() ?? 0
    }

    /// Pointwise 95% band of sensitivity at the false-positive rates `grid`, from `replicates` stratified
    /// bootstrap resamples (seeded; 2.5% and 97.5% type-7 quantiles), as pROC's ci.se.
    public static func bootstrapBand(scores: [Double], outcome y: [Double], grid: [Double], replicates: Int = 500,
                                     seed: UInt64 = 1) -> (lower: [Double], upper: [Double]) {
        let pos = scores.indices.filter { y[$0] == 1 }.map { scores[$0] }
        let neg = scores.indices.filter { y[$0] != 1 }.map { scores[$0] }
        let labels = [Double](repeating: 1, count: pos.count) + [Double](repeating: 0, count: neg.count)
        var rng = SeededRandom(seed: seed)
        var samples = [[Double]](repeating: [], count: grid.count)
        for _ in 0..<replicates {
            let s = (0..<pos.count).map { _ in pos[rng.index(below: pos.count)] } + (0..<neg.count).map { _ in neg[rng.index(below: neg.count)] }
            let c = curve(scores: s, outcome: labels)
            for (k, f) in grid.enumerated() { samples[k].append(sensitivity(atFPR: f, curve: c)) }
        }
        let sorted = samples.map { $0.sorted() }
        return (sorted.map { SampleStatistics.quantile(sorted: $0, 0.025) }, sorted.map { SampleStatistics.quantile(sorted: $0, 0.975) })
    }
}
