import Foundation
import RadiomicsCore

/// Harrell's concordance index of a risk score against survival (Harrell et al. 1982), as R survival's
/// `concordance` counts pairs: a pair is comparable when the shorter time is a death (a death and a censoring at
/// the same time: the censored case outlived it; two deaths at the same time: not comparable); concordant when
/// the case dying first has the higher risk; a tie in risk counts one half. C = (concordant + tied / 2) /
/// (concordant + discordant + tied).
///
/// Its variance is R's infinitesimal jackknife: with S_k and N_k the score (1, 1/2 or 0) and the number of the
/// comparable pairs case k is in, and N all of them, V = Σ_k ((S_k − C N_k) / N)², the derivative of C by each
/// case's weight, squared and summed.
///
/// Counted in O(n log n), as R does with a balanced tree: cases enter a Fenwick tree over the ranks of their risks
/// from the longest time down, and each death counts those already in (every case that outlived it) below, at and
/// above its own risk (at a shared time the censored cases go in first, the deaths after); then the deaths enter
/// a second tree from the shortest time up, and each case counts the deaths before it (at a shared time a death
/// is counted before its time's deaths go in, a censored case after).
public struct Concordance: Sendable {
    public var concordant: Double
    public var discordant: Double
    public var tiedRisk: Double
    /// Infinitesimal-jackknife variance of `index`.
    public var variance: Double
    public var index: Double { (concordant + tiedRisk / 2) / (concordant + discordant + tiedRisk) }
    public var standardError: Double { variance.squareRoot() }
    /// Wald 95 % interval, clipped to [0, 1].
    public var interval: (lower: Double, upper: Double) {
        (max(0, index - SpecialFunctions.z975 * standardError), min(1, index + SpecialFunctions.z975 * standardError))
    }

    public init(time: [Double], event: [Bool], risk: [Double]) {
        precondition(time.count == event.count && time.count == risk.count)
        let n = time.count
        let levels = Array(Set(risk)).sorted()
        let rankOf = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, $0 + 1) })
        let rank = risk.map { rankOf[$0]! }
        // Per case: the summed score of its comparable pairs and their number.
        var score = [Double](repeating: 0, count: n), pairs = [Double](repeating: 0, count: n)
        var c = 0.0, d = 0.0, t = 0.0
        func groups(_ order: [Int]) -> [ArraySlice<Int>] { equalTimeRuns(order, time: time) }
        // Later cases, seen from each death.
        var later = RankCounts(levels: levels.count)
        for group in groups(time.indices.sorted { time[$0] > time[$1] }) {
            for i in group where !event[i] { later.add(rank[i]) }
            for i in group where event[i] {
                let (lower, same, higher) = later.split(rank[i])
                c += lower; t += same; d += higher
                score[i] += lower + same / 2
                pairs[i] += lower + same + higher
            }
            for i in group where event[i] { later.add(rank[i]) }
        }
        // Earlier deaths, seen from each case.
        var earlier = RankCounts(levels: levels.count)
        for group in groups(time.indices.sorted { time[$0] < time[$1] }) {
            func count(_ j: Int) {
                let (lower, same, higher) = earlier.split(rank[j])
                score[j] += higher + same / 2
                pairs[j] += lower + same + higher
            }
            for j in group where event[j] { count(j) }
            for j in group where event[j] { earlier.add(rank[j]) }
            for j in group where !event[j] { count(j) }
        }
        concordant = c
        discordant = d
        tiedRisk = t
        let total = c + d + t, index = (c + t / 2) / total
        variance = (0..<n).reduce(0.0) { sum, k in
            let influence = (score[k] - index * pairs[k]) / total
            return sum + influence * influence
        }
    }
}

/// How many of the ranks added so far lie below, at and above a rank (a Fenwick tree).
private struct RankCounts {
    var tree: [Int]
    var total = 0
    init(levels: Int) { tree = [Int](repeating: 0, count: levels + 1) }
    mutating func add(_ r: Int) {
        var i = r
        while i < tree.count { tree[i] += 1; i += i & -i }
        total += 1
    }
    func below(_ r: Int) -> Int {
        var i = r - 1, s = 0
        while i > 0 { s += tree[i]; i -= i & -i }
        return s
    }
    func split(_ r: Int) -> (lower: Double, same: Double, higher: Double) {
        let lower = below(r), upToSame = below(r + 1)
        return (Double(lower), Double(upToSame - lower), Double(total - upToSame))
    }
}
