import Foundation

/// Calibration of predicted risks by logistic recalibration (Cox, Biometrika 45:562, 1958; Steyerberg,
/// Clinical Prediction Models, 2nd ed., §15.3):
///   slope: b in logit P(y = 1) = a + b·logit(p)   (ideal 1; < 1 means predictions too extreme);
///   intercept ("calibration in the large"): a in logit P(y = 1) = a + logit(p), logit(p) as offset (ideal 0).
/// Brier score = (1/n) Σ (p − y)².
public enum Calibration {
    public struct Result: Sendable, Equatable {
        public var intercept: Double
        public var slope: Double
        public var brier: Double
    }

    public static func evaluate(predicted p: [Double], outcome y: [Double]) throws -> Result {
        let lp = p.map { SpecialFunctions.logit(min(max($0, 1e-15), 1 - 1e-15)) }
        let slope = try LogisticRegression.fit(design: lp.map { [1, $0] }, outcome: y).coefficients[1]
        let intercept = try LogisticRegression.fit(design: lp.map { _ in [1] }, outcome: y, offset: lp).coefficients[0]
        return Result(intercept: intercept, slope: slope, brier: brier(predicted: p, outcome: y))
    }

    public static func brier(predicted p: [Double], outcome y: [Double]) -> Double {
        zip(p, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(p.count)
    }
}
