import Foundation

/// Hosmer-Lemeshow goodness-of-fit test (Hosmer & Lemeshow, Applied Logistic Regression, 3rd ed., §5.2.2).
///
/// Cases sorted by predicted risk (ties in their input order) are split into g groups of equal size (sizes
/// differ by at most one; the first n mod g groups get the extra case, as numpy.array_split). With O_k
/// events, E_k = Σ p in group k of n_k cases:
///   Ĉ = Σ_k (O_k − E_k)² / (E_k (1 − E_k / n_k)),   p-value = 1 − F_χ²(Ĉ; g − 2).
public enum HosmerLemeshow {
    public struct Group: Sendable, Equatable {
        public var cases: Int
        public var observed: Double
        public var expected: Double
        /// Mean predicted risk and observed event rate in the group (a calibration-plot point).
        public var meanPredicted: Double { expected / Double(cases) }
        public var observedRate: Double { observed / Double(cases) }
    }

    public struct Result: Sendable, Equatable {
        public var statistic: Double
        public var degreesOfFreedom: Int
        public var pValue: Double
        public var groups: [Group]
    }

    /// The g groups of equal size over risk-sorted cases.
    public static func groups(predicted p: [Double], outcome y: [Double], count g: Int = 10) -> [Group] {
        let order = p.indices.sorted { p[$0] < p[$1] || (p[$0] == p[$1] && $0 < $1) }
        let n = p.count, base = n / g, extra = n % g
        var out: [Group] = []
        var start = 0
        for k in 0..<g {
            let size = base + (k < extra ? 1 : 0)
            let members = order[start..<(start + size)]
            out.append(Group(cases: size, observed: members.reduce(0) { $0 + y[$1] }, expected: members.reduce(0) { $0 + p[$1] }))
            start += size
        }
        return out.filter { $0.cases > 0 }
    }

    public static func test(predicted p: [Double], outcome y: [Double], groups g: Int = 10) -> Result {
        let gs = groups(predicted: p, outcome: y, count: g)
        let c = gs.reduce(0.0) { acc, k in
            let d = k.observed - k.expected
            return acc + d * d / (k.expected * (1 - k.expected / Double(k.cases)))
        }
        let df = gs.count - 2
        return Result(statistic: c, degreesOfFreedom: df, pValue: SpecialFunctions.chiSquareSurvival(c, degreesOfFreedom: Double(df)), groups: gs)
    }
}
