import Foundation
import RadiomicsCore

/// The Brier score of predicted survival under right censoring (Graf, Schmoor, Sauerbrei & Schumacher, Stat Med
/// 18:2529, 1999), as scikit-survival's `brier_score` and `integrated_brier_score` compute it:
///
///     BS(t) = (1/n) Σ_i [ Ŝ_i(t)² · 1{T_i ≤ t, δ_i = 1} / G(T_i)  +  (1 − Ŝ_i(t))² · 1{T_i > t} / G(t) ]
///
/// with G the Kaplan-Meier estimate of staying uncensored (`TimeDependentAUC.censoringSurvival`, from the same
/// cases); a term whose G is 0 counts 0 (scikit-survival's 1/∞). Cases censored by t count in neither part (their
/// weight goes to the others through G). The integrated score is the trapezoidal rule of BS over a grid of times,
/// divided by its span: here the grid is both ends and every distinct observed time strictly between them.
public enum SurvivalBrier {
    /// BS(t) for the predicted survival of each case at t.
    public static func score(time: [Double], event: [Bool], survival: [Double], at t: Double,
                             censoring g: (Double) -> Double) -> Double {
        precondition(time.count == event.count && time.count == survival.count)
        let gt = g(t)
        var sum = 0.0
        for i in time.indices {
            if time[i] <= t && event[i] {
                let w = g(time[i])
                if w > 0 { sum += survival[i] * survival[i] / w }
            } else if time[i] > t && gt > 0 {
                sum += (1 - survival[i]) * (1 - survival[i]) / gt
            }
        }
        return sum / Double(time.count)
    }

    /// The times at which BS is computed, each at most the last observed time (beyond it the censoring
    /// distribution is unknown).
    static func check(_ times: [Double], time: [Double]) throws {
        let last = time.max() ?? 0
        if let beyond = times.first(where: { $0 > last }) {
            throw RadiomicsError("time \(Format.number(beyond)) is after the last follow-up (\(Format.number(last))): the Brier score is not defined there")
        }
    }

    /// BS at each of `times` for `survival(t)`, each case's predicted survival at t.
    public static func scores(time: [Double], event: [Bool], times: [Double], survival: (Double) -> [Double]) throws -> [Double] {
        try check(times, time: time)
        let g = TimeDependentAUC.censoringSurvival(time: time, event: event)
        return times.map { score(time: time, event: event, survival: survival($0), at: $0, censoring: g) }
    }

    /// The integrated Brier score from `from` to `to` (from < to) and the grid it used.
    public static func integrated(time: [Double], event: [Bool], from: Double, to: Double,
                                  survival: (Double) -> [Double]) throws -> (value: Double, grid: [Double]) {
        guard from < to else { throw RadiomicsError("the integrated Brier score needs two different times (got \(Format.number(from)) and \(Format.number(to)))") }
        let grid = [from] + Set(time.filter { $0 > from && $0 < to }).sorted() + [to]
        let bs = try scores(time: time, event: event, times: grid, survival: survival)
        var area = 0.0
        for k in 1..<grid.count { area += (grid[k] - grid[k - 1]) * (bs[k] + bs[k - 1]) / 2 }
        return (area / (to - from), grid)
    }
}

/// Calibration of a survival model at time t: the cases in quantile groups of the linear predictor (as
/// `RiskGroups`), each group's mean predicted survival at t against its Kaplan-Meier estimate with the 95 %
/// interval (log scale, R's default): the points of a calibration plot at t.
public struct SurvivalCalibration: Sendable {
    public struct Point: Sendable {
        public var group: Int
        public var cases: Int
        public var predicted: Double
        public var observed: Double
        public var lower: Double
        public var upper: Double
    }

    public var time: Double
    public var points: [Point]

    /// `survival[i]`: case i's predicted survival at `t`; `groups` from the linear predictor.
    public init(time t: Double, survival: [Double], groups: RiskGroups) {
        time = t
        points = groups.groups.filter { $0.cases > 0 }.map { g in
            let s = g.curve.estimate(at: t)
            return Point(group: g.number, cases: g.cases, predicted: g.members.reduce(0) { $0 + survival[$1] } / Double(g.cases),
                         observed: s.survival, lower: s.lower, upper: s.upper)
        }
    }

    public var json: JSONValue {
        .object([("time", .number(time)), ("groups", .array(points.map { p in
            .object([("group", .int(p.group)), ("cases", .int(p.cases)), ("predicted_survival", .number(p.predicted)),
                     ("observed_survival", .number(p.observed)), ("ci_lower", .number(p.lower)), ("ci_upper", .number(p.upper))])
        }))])
    }
}
