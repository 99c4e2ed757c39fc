import Foundation
import RadiomicsCore

/// Uno's cumulative/dynamic time-dependent AUC (Uno et al. 2007), as scikit-survival's `cumulative_dynamic_auc`
/// computes it: at time t the cases are the deaths by t, weighted by 1 / G(T_i) (inverse probability of
/// censoring), the controls the cases still event-free after t; AUC(t) is the weighted share of case-control
/// pairs in which the case has the higher risk, a tie in risk counting one half. G is the Kaplan-Meier estimate of
/// the censoring distribution of the same cases, a censoring tied with a death taken to come after it, evaluated
/// at T_i itself.
public enum TimeDependentAUC {
    public static func uno(time: [Double], event: [Bool], risk: [Double], at t: Double) throws -> Double {
        precondition(time.count == event.count && time.count == risk.count)
        let g = censoringSurvival(time: time, event: event)
        let controls = time.indices.filter { time[$0] > t }.map { risk[$0] }.sorted()
        let cases = time.indices.filter { event[$0] && time[$0] <= t }
        guard !controls.isEmpty, !cases.isEmpty else {
            throw RadiomicsError("the time-dependent AUC at \(Format.number(t)) needs deaths by then and cases event-free after it (\(cases.count) and \(controls.count))")
        }
        func countBelow(_ v: Double, orEqual: Bool) -> Int {
            var lo = 0, hi = controls.count
            while lo < hi { let mid = (lo + hi) / 2; if controls[mid] < v || (orEqual && controls[mid] == v) { lo = mid + 1 } else { hi = mid } }
            return lo
        }
        var numerator = 0.0, weights = 0.0
        for i in cases {
            let weight = g(time[i])
            guard weight > 0 else { throw RadiomicsError("the censoring distribution is 0 at time \(Format.number(time[i])): the time-dependent AUC cannot weight that death") }
            let below = countBelow(risk[i], orEqual: false), upTo = countBelow(risk[i], orEqual: true)
            numerator += (Double(below) + 0.5 * Double(upTo - below)) / weight
            weights += 1 / weight
        }
        return numerator / (weights * Double(controls.count))
    }

    /// G(t): the Kaplan-Meier estimate of staying uncensored past t, deaths at a time leaving the risk set before
    /// that time's censorings.
    static func censoringSurvival(time: [Double], event: [Bool]) -> (Double) -> Double {
        let order = time.indices.sorted { time[$0] < time[$1] }
        var steps: [(time: Double, g: Double)] = []
        var atRisk = time.count, g = 1.0
        for run in equalTimeRuns(order, time: time) {
            let deaths = run.filter { event[$0] }.count, censored = run.count - deaths
            let n = atRisk - deaths
            if censored > 0 && n > 0 { g *= 1 - Double(censored) / Double(n) }
            steps.append((time[run.first!], g))
            atRisk -= deaths + censored
        }
        let times = steps.map(\.time)
        return { t in lastIndex(atOrBefore: t, in: times).map { steps[$0].g } ?? 1 }
    }
}
