import Foundation
import RadiomicsCore

/// Elastic-net penalised logistic regression by cyclic coordinate descent, as in glmnet (Friedman, Hastie &
/// Tibshirani, "Regularization paths for generalized linear models via coordinate descent", J Stat Softw
/// 33(1), 2010, §3).
///
/// Minimises  −ℓ(β₀, β)/n + λ [ (1 − α)/2 ‖β‖² + α ‖β‖₁ ]  (intercept not penalised).
/// Outer loop: the quadratic (IRLS) approximation at the current fit, weights wᵢ = pᵢ(1 − pᵢ), working
/// response zᵢ = ηᵢ + (yᵢ − pᵢ)/wᵢ. Inner loop: coordinate updates of the penalised weighted least squares
///   β_j ← S( (1/n) Σ wᵢ x_ij (rᵢ + x_ij β_j), λα ) / ( (1/n) Σ wᵢ x_ij² + λ(1 − α) ),
///   β₀ ← β₀ + Σ wᵢ rᵢ / Σ wᵢ,   with S(u, t) = sign(u) max(|u| − t, 0) and r = z − β₀ − Xβ.
/// Converged when no coefficient moves by more than 1e-12 (1 + |β|) over a whole outer iteration.
public enum PenalisedLogistic {
    /// `columns[j][i]`: predictor j of case i (the caller standardises). Returns (β₀, β).
    public static func fit(columns: [[Double]], outcome y: [Double], lambda: Double, alpha: Double,
                           start: (Double, [Double])? = nil, maxOuter: Int = 1000) throws -> (intercept: Double, beta: [Double]) {
        let n = y.count, p = columns.count
        let mean = y.reduce(0, +) / Double(n)
        var b0 = start?.0 ?? log(mean / (1 - mean))
        var beta = start?.1 ?? [Double](repeating: 0, count: p)
        var eta = [Double](repeating: 0, count: n), w = eta, r = eta
        for outer in 1...maxOuter {
            for i in 0..<n {
                var e = b0
                for j in 0..<p { e += columns[j][i] * beta[j] }
                eta[i] = e
                let mu = SpecialFunctions.logistic(e)
                w[i] = max(mu * (1 - mu), 1e-12)
                r[i] = (y[i] - mu) / w[i]  // z − η
            }
            let old = (b0, beta)
            let sumW = w.reduce(0, +)
            let xwx = (0..<p).map { j in (0..<n).reduce(0.0) { $0 + w[$1] * columns[j][$1] * columns[j][$1] } / Double(n) }
            for _ in 0..<100_000 {
                var maxChange = 0.0
                let d0 = (0..<n).reduce(0.0) { $0 + w[$1] * r[$1] } / sumW
                if d0 != 0 {
                    b0 += d0
                    for i in 0..<n { r[i] -= d0 }
                    maxChange = max(maxChange, d0 * d0 * sumW / Double(n))
                }
                for j in 0..<p {
                    let c = columns[j]
                    var u = 0.0
                    for i in 0..<n { u += w[i] * c[i] * r[i] }
                    u = u / Double(n) + xwx[j] * beta[j]
                    let updated = softThreshold(u, lambda * alpha) / (xwx[j] + lambda * (1 - alpha))
                    let d = updated - beta[j]
                    if d != 0 {
                        for i in 0..<n { r[i] -= d * c[i] }
                        beta[j] = updated
                        maxChange = max(maxChange, xwx[j] * d * d)
                    }
                }
                if maxChange < 1e-26 { break }
            }
            let moved = abs(b0 - old.0) > 1e-12 * (1 + abs(b0))
                || zip(beta, old.1).contains { abs($0 - $1) > 1e-12 * (1 + abs($0)) }
            if !moved { return (b0, beta) }
            if outer == maxOuter {
                throw RadiomicsError("penalised logistic regression did not converge in \(maxOuter) iterations at lambda \(lambda)")
            }
        }
        fatalError("unreachable")
    }

    /// S(u, t) = sign(u) max(|u| − t, 0).
    static func softThreshold(_ u: Double, _ t: Double) -> Double {
        u > t ? u - t : (u < -t ? u + t : 0)
    }

    /// The smallest λ at which every coefficient is zero (for α > 0): max_j |⟨x_j, y − ȳ⟩| / (n α) on
    /// standardised columns; glmnet uses α = 0.001 in its place for the ridge path.
    public static func lambdaMax(columns: [[Double]], outcome y: [Double], alpha: Double) -> Double {
        let n = Double(y.count), mean = y.reduce(0, +) / n
        let m = columns.map { c in abs(zip(c, y).reduce(0.0) { $0 + $1.0 * ($1.1 - mean) }) }.max() ?? 0
        return m / (n * max(alpha, 0.001))
    }
}
