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
    public let steps: [Step]
    let stepTimes: [Double]

    public init(time: [Double], event: [Bool]) {
        precondition(time.count == event.count)
        let order = time.indices.sorted { time[$0] < time[$1] }
        var steps: [Step] = []
        var atRisk = time.count, s = 1.0, g = 0.0
        for run in equalTimeRuns(order, time: time) {
            let t = time[run.first!]
            let d = run.filter { event[$0] }.count, c = run.count - d
            if d > 0 {
                s *= 1 - Double(d) / Double(atRisk)
                g += atRisk > d ? Double(d) / (Double(atRisk) * Double(atRisk - d)) : .infinity
            }
            steps.append(Step(time: t, atRisk: atRisk, events: d, censored: c, survival: s, greenwood: g))
            atRisk -= d + c
        }
        self.steps = steps
        stepTimes = steps.map(\.time)
    }

    /// The step in force at time t (the last at or before it), nil before the first time.
    public func step(at t: Double) -> Step? { lastIndex(atOrBefore: t, in: stepTimes).map { steps[$0] } }

    /// S(t) (1 before the first time).
    public func survival(at t: Double) -> Double { step(at: t)?.survival ?? 1 }

    /// S(t) with its 95 % interval (1, 1 and 1 before the first time).
    public func estimate(at t: Double) -> (survival: Double, lower: Double, upper: Double) {
        guard let step = step(at: t) else { return (1, 1, 1) }
        let ci = step.interval()
        return (step.survival, ci.lower, ci.upper)
    }

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
        for run in equalTimeRuns(order, time: time) {
            var deaths = [Double](repeating: 0, count: k), leaving = [Double](repeating: 0, count: k)
            for i in run {
                if event[i] { deaths[g[i]] += 1 }
                leaving[g[i]] += 1
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
