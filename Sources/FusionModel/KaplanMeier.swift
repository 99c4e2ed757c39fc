import Foundation
import RadiomicsCore

/// The Kaplan-Meier estimate of a survival function (Kaplan & Meier 1958), as R survival's `survfit` gives it:
/// one step per distinct event time, Greenwood's variance, confidence intervals on the log scale
/// (`conf.type = "log"`, the default).
public struct KaplanMeier: Sendable {
    public struct Step: Sendable, Equatable {
        public var time: Double
        public var atRisk: Int
        public var events: Int
        public var censored: Int
        /// S(t) just after `time`.
        public var survival: Double
        /// Greenwood: Σ d / (n (n − d)) up to `time` (the variance of the cumulative hazard −log S).
        public var greenwood: Double
        /// Standard error of S(t): S(t) √greenwood.
        public var standardError: Double { survival * greenwood.squareRoot() }
        /// 95 % interval of S(t) on the log scale, clipped to [0, 1]; undefined (NaN) once S(t) is 0, as in R.
        public func interval() -> (lower: Double, upper: Double) {
            guard survival > 0 else { return (.nan, .nan) }
            let z = SpecialFunctions.z975, se = greenwood.squareRoot()
            return (survival * exp(-z * se), min(1, survival * exp(z * se)))
        }
    }

    /// Every distinct time (events and censorings), ascending.
    public var steps: [Step]

    public init(time: [Double], event: [Bool]) {
        precondition(time.count == event.count)
        let order = time.indices.sorted { time[$0] < time[$1] }
        var steps: [Step] = []
        var atRisk = time.count, s = 1.0, g = 0.0
        var k = 0
        while k < order.count {
            let t = time[order[k]]
            var d = 0, c = 0
            while k < order.count && time[order[k]] == t {
                if event[order[k]] { d += 1 } else { c += 1 }
                k += 1
            }
            if d > 0 {
                s *= 1 - Double(d) / Double(atRisk)
                g += atRisk > d ? Double(d) / (Double(atRisk) * Double(atRisk - d)) : .infinity
            }
            steps.append(Step(time: t, atRisk: atRisk, events: d, censored: c, survival: s, greenwood: g))
            atRisk -= d + c
        }
        self.steps = steps
    }

    /// The step in force at time t (the last at or before it), nil before the first time.
    public func step(at t: Double) -> Step? {
        var lo = 0, hi = steps.count
        while lo < hi { let mid = (lo + hi) / 2; if steps[mid].time <= t { lo = mid + 1 } else { hi = mid } }
        return lo == 0 ? nil : steps[lo - 1]
    }

    /// S(t) (1 before the first time).
    public func survival(at t: Double) -> Double { step(at: t)?.survival ?? 1 }

    /// Median survival and its 95 % interval as `survfit` prints them: the first time S(t) is at or below 1/2
    /// (the mid-point of a flat stretch at exactly 1/2), and the same for the interval's bounds; nil where a curve
    /// never comes down to 1/2.
    public func median() -> (median: Double?, lower: Double?, upper: Double?) {
        let eventSteps = steps.filter { $0.events > 0 }
        func crossing(_ value: (Step) -> Double) -> Double? {
            guard let i = eventSteps.firstIndex(where: { value($0) <= 0.5 }) else { return nil }
            // A curve exactly at 1/2 over a stretch: the middle of the stretch, as quantile.survfit does.
            if abs(value(eventSteps[i]) - 0.5) < 1e-12, i + 1 < eventSteps.count {
                return (eventSteps[i].time + eventSteps[i + 1].time) / 2
            }
            return eventSteps[i].time
        }
        return (crossing { $0.survival }, crossing { $0.interval().lower }, crossing { $0.interval().upper })
    }
}

/// The log-rank test of equal survival in k groups (Mantel 1966), as R survival's `survdiff` (rho = 0): observed
/// and expected deaths per group and the chi-square statistic O − E against its variance, k − 1 degrees of
/// freedom.
public struct LogRankTest: Sendable {
    public var groups: [String]
    public var observed: [Double]
    public var expected: [Double]
    public var chiSquare: Double
    public var degreesOfFreedom: Int
    public var pValue: Double { SpecialFunctions.chiSquareSurvival(chiSquare, degreesOfFreedom: Double(degreesOfFreedom)) }

    public init(time: [Double], event: [Bool], group: [String]) throws {
        precondition(time.count == event.count && time.count == group.count)
        let names = Array(Set(group)).sorted()
        guard names.count >= 2 else { throw RadiomicsError("the log-rank test needs at least two groups (all cases are in '\(names.first ?? "")')") }
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let g = group.map { index[$0]! }, k = names.count
        let order = time.indices.sorted { time[$0] < time[$1] }
        var atRisk = [Double](repeating: 0, count: k)
        for i in g { atRisk[i] += 1 }
        var observed = [Double](repeating: 0, count: k), expected = observed
        var variance = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        var p = 0
        while p < order.count {
            let t = time[order[p]]
            var deaths = [Double](repeating: 0, count: k), leaving = [Double](repeating: 0, count: k)
            while p < order.count && time[order[p]] == t {
                let i = order[p]
                if event[i] { deaths[g[i]] += 1 }
                leaving[g[i]] += 1
                p += 1
            }
            let d = deaths.reduce(0, +), n = atRisk.reduce(0, +)
            if d > 0 {
                for a in 0..<k {
                    observed[a] += deaths[a]
                    expected[a] += d * atRisk[a] / n
                    guard n > 1 else { continue }
                    let factor = d * (n - d) / (n * n * (n - 1))
                    for b in 0..<k {
                        variance[a][b] += factor * atRisk[a] * ((a == b ? n : 0) - atRisk[b])
                    }
                }
            }
            for a in 0..<k { atRisk[a] -= leaving[a] }
        }
        // (O − E)ᵀ V⁻¹ (O − E) over the first k − 1 groups (V has rank k − 1).
        let m = k - 1
        let diff = (0..<m).map { observed[$0] - expected[$0] }
        let v = (0..<m).map { a in (0..<m).map { b in variance[a][b] } }
        guard let l = LinearAlgebra.cholesky(v) else {
            throw RadiomicsError("the log-rank test has no variance (no deaths at times when more than one group is at risk)")
        }
        chiSquare = zip(diff, LinearAlgebra.choleskySolve(l, diff)).reduce(0) { $0 + $1.0 * $1.1 }
        groups = names
        self.observed = observed
        self.expected = expected
        degreesOfFreedom = m
    }
}

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
        func groups(_ order: [Int]) -> [ArraySlice<Int>] {
            var out: [ArraySlice<Int>] = [], k = 0
            while k < order.count {
                var end = k
                while end < order.count && time[order[end]] == time[order[k]] { end += 1 }
                out.append(order[k..<end])
                k = end
            }
            return out
        }
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
