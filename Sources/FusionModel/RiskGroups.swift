import Foundation
import RadiomicsCore

/// Cases split into risk groups by a model's linear predictor, each with its Kaplan-Meier curve, and the
/// log-rank test between the groups: how survival papers show a model's separation of patients.
public struct RiskGroups: Sendable {
    public struct Group: Sendable {
        /// 1 for the lowest risk.
        public var number: Int
        /// The group holds cases with lower < linear predictor ≤ upper (−∞ and +∞ at the ends).
        public var lower: Double
        public var upper: Double
        public var curve: KaplanMeier
        /// The group's cases (indices in the order the cases were given).
        public var members: [Int]
        public var events: Int
        public var cases: Int { members.count }
    }

    public var groups: [Group]
    public var logRank: LogRankTest?

    /// `cutoffs` (ascending) split the linear predictor; without them, `count` groups of equal size by its
    /// quantiles (type 7). The log-rank test is nil when fewer than two groups hold cases.
    public init(linearPredictor lp: [Double], time: [Double], event: [Bool], count: Int = 2, cutoffs given: [Double]? = nil) throws {
        let cutoffs: [Double]
        if let given {
            guard zip(given, given.dropFirst()).allSatisfy({ $0 < $1 }) else { throw RadiomicsError("risk-group cut-offs must be increasing: \(given)") }
            cutoffs = given
        } else {
            guard count >= 2 else { throw RadiomicsError("at least two risk groups are needed (asked for \(count))") }
            let sorted = lp.sorted()
            cutoffs = (1..<count).map { SampleStatistics.quantile(sorted: sorted, Double($0) / Double(count)) }
        }
        let bounds = [-Double.infinity] + cutoffs + [Double.infinity]
        // The group of each case: the number of cut-offs strictly below its value.
        let member = lp.map { v in cutoffs.filter { $0 < v }.count }
        groups = (0..<(cutoffs.count + 1)).map { g in
            let cases = lp.indices.filter { member[$0] == g }
            return Group(number: g + 1, lower: bounds[g], upper: bounds[g + 1],
                         curve: KaplanMeier(time: cases.map { time[$0] }, event: cases.map { event[$0] }),
                         members: cases, events: cases.filter { event[$0] }.count)
        }
        let used = Set(member)
        logRank = used.count >= 2 ? try? LogRankTest(time: time, event: event, group: member.map { String(format: "%04d", $0 + 1) }) : nil
    }

    /// As JSON: each group's bounds, counts, median survival with its 95 % interval and S(t) with its interval and
    /// numbers at risk at `times`; then the log-rank test.
    public func json(times: [Double]) -> [(String, JSONValue)] {
        let list: [JSONValue] = groups.map { g in
            let m = g.curve.median()
            var o: [(String, JSONValue)] = [
                ("group", .int(g.number)), ("linear_predictor_lower", .number(g.lower)), ("linear_predictor_upper", .number(g.upper)),
                ("cases", .int(g.cases)), ("events", .int(g.events)),
                ("median_survival", m.median.map(JSONValue.number) ?? .null),
                ("median_ci_lower", m.lower.map(JSONValue.number) ?? .null), ("median_ci_upper", m.upper.map(JSONValue.number) ?? .null),
            ]
            o.append(("survival", .array(times.map { t in
                let s = g.curve.estimate(at: t)
                return .object([("time", .number(t)), ("survival", .number(s.survival)), ("ci_lower", .number(s.lower)),
                                ("ci_upper", .number(s.upper)), ("at_risk", .int(g.curve.atRisk(at: t)))])
            })))
            return .object(o)
        }
        var out: [(String, JSONValue)] = [("risk_groups", .array(list))]
        if let t = logRank {
            out.append(("log_rank", .object([("statistic", .number(t.chiSquare)), ("df", .int(t.degreesOfFreedom)), ("p_value", .number(t.pValue))])))
        }
        return out
    }
}

extension KaplanMeier {
    /// Cases still at risk at time t (time ≥ t): what a numbers-at-risk table shows.
    public func atRisk(at t: Double) -> Int {
        steps.first { $0.time >= t }?.atRisk ?? 0
    }
}
