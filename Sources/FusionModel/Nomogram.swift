import Figures
import Foundation

/// Layout of a nomogram for a logistic model (Iasonos et al., J Clin Oncol 26:1364, 2008; as R's rms::nomogram).
///
/// Each predictor's contribution β_j x_j over its observed range [min_j, max_j] is turned into points:
/// points_j(x) = 100 β_j (x − r_j) / D, r_j = the end of the range with the smaller contribution,
/// D = max_j |β_j| (max_j − min_j) (the widest contribution gets 0-100 points). Total points T map back to
/// η = β₀ + Σ β_j r_j + T·D/100 and the probability 1/(1 + e^(−η)).
public struct Nomogram: Sendable {
    public struct Axis: Sendable {
        public var name: String
        /// (value, points) tick positions at round values inside the observed range.
        public var ticks: [(value: Double, points: Double)]
        /// Points at the two ends of the observed range (0 at one end).
        public var span: ClosedRange<Double>
    }

    public var predictors: [Axis]
    public var maxTotalPoints: Double
    /// (probability, total points) tick positions within 0...maxTotalPoints.
    public var probabilityTicks: [(probability: Double, points: Double)]

    public init(model: LogisticModel) {
        let betas = model.coefficients.dropFirst().map(\.estimate)
        let spans = zip(betas, model.predictors).map { abs($0) * ($1.maximum - $1.minimum) }
        let d = max(spans.max() ?? 1, 1e-300)
        var eta0 = model.coefficients[0].estimate
        var axes: [Axis] = []
        for (b, s) in zip(betas, model.predictors) {
            let reference = b >= 0 ? s.minimum : s.maximum
            eta0 += b * reference
            // Integer-valued ends with a short span (binary or ordinal predictors): one tick per integer.
            let integral = s.minimum == s.minimum.rounded() && s.maximum == s.maximum.rounded() && s.maximum - s.minimum <= 5
            let values = integral ? stride(from: s.minimum, through: s.maximum, by: 1).map { $0 }
                : Chart.niceTicks(s.minimum, s.maximum, count: 6).filter { $0 >= s.minimum && $0 <= s.maximum }
            let ends = values.isEmpty ? [s.minimum, s.maximum] : values
            let points = { (v: Double) in 100 * b * (v - reference) / d }
            axes.append(Axis(name: s.name, ticks: ends.map { ($0, points($0)) }, span: 0...max(points(s.minimum), points(s.maximum))))
        }
        predictors = axes
        maxTotalPoints = zip(betas, model.predictors).reduce(0) { $0 + 100 * abs($1.0) * ($1.1.maximum - $1.1.minimum) / d }
        let total = maxTotalPoints
        let ps = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99]
        probabilityTicks = ps.map { ($0, (SpecialFunctions.logit($0) - eta0) * 100 / d) }.filter { $0.1 >= 0 && $0.1 <= total }
    }
}
