import Foundation

/// Decision-curve analysis (Vickers & Elkin, Med Decis Making 26:565, 2006). At threshold probability pₜ,
/// treating the cases with p >= pₜ has net benefit NB = TP/n − FP/n · pₜ/(1 − pₜ); treating all has
/// prevalence − (1 − prevalence) pₜ/(1 − pₜ); treating none has 0.
public enum DecisionCurve {
    public struct Point: Sendable, Equatable {
        public var threshold: Double
        public var model: Double
        public var treatAll: Double
        public var treatNone: Double { 0 }
    }

    /// Thresholds 0.01, 0.02, ..., 0.99.
    public static let defaultThresholds = (1...99).map { Double($0) / 100 }

    public static func netBenefit(predicted p: [Double], outcome y: [Double], thresholds: [Double] = defaultThresholds) -> [Point] {
        let n = Double(p.count), prevalence = y.reduce(0, +) / n
        return thresholds.map { t in
            var tp = 0.0, fp = 0.0
            for (pi, yi) in zip(p, y) where pi >= t { if yi == 1 { tp += 1 } else { fp += 1 } }
            let odds = t / (1 - t)
            return Point(threshold: t, model: tp / n - fp / n * odds, treatAll: prevalence - (1 - prevalence) * odds)
        }
    }
}
