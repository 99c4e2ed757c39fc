import Figures
import Foundation

/// Layout of a nomogram for a logistic or Cox model (Iasonos et al., J Clin Oncol 26:1364, 2008; as R's
/// rms::nomogram).
///
/// Each predictor's contribution β_j x_j over its observed range [min_j, max_j] is turned into points:
/// points_j(x) = 100 β_j (x − r_j) / D, r_j = the end of the range with the smaller contribution,
/// D = max_j |β_j| (max_j − min_j) (the widest contribution gets 0-100 points). Total points T map back to
/// η = β₀ + Σ β_j r_j + T·D/100: the probability 1/(1 + e^(−η)) of a logistic model, the survival
/// exp(−H0(t) e^η) at each time t of a Cox model (β₀ = 0), one scale per time.
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

    /// η at 0 total points and D (η per 100 points).
    public var eta0: Double, d: Double

    public init(model: LogisticModel) {
        self.init(intercept: model.coefficients[0].estimate, betas: model.coefficients.dropFirst().map(\.estimate), scales: model.predictors)
        let ps = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99]
        probabilityTicks = ticks(ps) { SpecialFunctions.logit($0) }
    }

    /// A Cox model's nomogram; `survivalTicks(at:)` gives a scale of S(t) per time.
    public init(model: CoxModel) {
        self.init(intercept: 0, betas: model.coefficients.map(\.estimate), scales: model.predictors)
    }

    init(intercept: Double, betas: [Double], scales: [PredictorScale]) {
        let spans = zip(betas, scales).map { abs($0) * ($1.maximum - $1.minimum) }
        let d = max(spans.max() ?? 1, 1e-300)
        var eta0 = intercept
        var axes: [Axis] = []
        for (b, s) in zip(betas, scales) where b != 0 {
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
        maxTotalPoints = zip(betas, scales).reduce(0) { $0 + 100 * abs($1.0) * ($1.1.maximum - $1.1.minimum) / d }
        self.eta0 = eta0
        self.d = d
        probabilityTicks = []
    }

    /// (value, total points) for each value whose η (`eta(value)`) falls within the total points' range.
    func ticks(_ values: [Double], eta: (Double) -> Double) -> [(Double, Double)] {
        values.map { ($0, (eta($0) - eta0) * 100 / d) }.filter { $0.1 >= 0 && $0.1 <= maxTotalPoints }
    }

    /// A Cox model's survival scale at time t: S = exp(−H0(t) e^η), so η = log(−log S / H0(t)).
    public func survivalTicks(model: CoxModel, at t: Double) -> [(survival: Double, points: Double)] {
        let h0 = model.baselineCumulativeHazard(at: t)
        guard h0 > 0 else { return [] }
        let ss = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99]
        return ticks(ss) { log(-log($0) / h0) }.map { ($0.0, $0.1) }
    }
}
