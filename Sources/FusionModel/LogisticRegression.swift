import Foundation
import RadiomicsCore

/// Result of one logistic fit on a design matrix (intercept column included by the caller).
public struct LogisticFit: Sendable {
    /// β, one per design column.
    public var coefficients: [Double]
    /// (Xᵀ W X + penalty)⁻¹ at the solution: the covariance of β̂ when unpenalised.
    public var covariance: [[Double]]
    public var logLikelihood: Double
    public var iterations: Int
}

/// Maximum-likelihood (optionally ridge-penalised) logistic regression by Newton-Raphson, which for the
/// canonical logit link is iteratively reweighted least squares (McCullagh & Nelder, Generalized Linear
/// Models, 2nd ed., §4.4; Hastie, Tibshirani & Friedman, ESL §4.4.1).
///
/// Model: logit P(y = 1) = offset + Xβ. Maximises ℓ(β) − (nλ/2) Σ_{j penalised} β_j², with
/// ℓ = Σ [y η − log(1 + e^η)], i.e. minimises the glmnet-scaled objective −ℓ/n + (λ/2)‖β̃‖².
/// Newton step: β ← β + (XᵀWX + nλĨ)⁻¹ (Xᵀ(y − p) − nλĨβ), W = diag(p(1 − p)), with step halving
/// when the objective would get worse. Converged when every |Δβ_j| < 1e-12 (1 + |β_j|).
public enum LogisticRegression {
    public static func fit(design x: [[Double]], outcome y: [Double], offset: [Double]? = nil, ridge lambda: Double = 0,
                           penalised: [Bool]? = nil, start: [Double]? = nil, maxIterations: Int = 100) throws -> LogisticFit {
        let n = x.count, p = x.first?.count ?? 0
        precondition(y.count == n && p > 0)
        let off = offset ?? [Double](repeating: 0, count: n)
        let pen = (penalised ?? [Bool](repeating: false, count: p)).map { $0 ? Double(n) * lambda : 0 }
        var beta = start ?? [Double](repeating: 0, count: p)
        func objective(_ b: [Double]) -> Double {
            var ll = 0.0
            for i in 0..<n {
                var eta = off[i]
                for j in 0..<p { eta += x[i][j] * b[j] }
                ll += y[i] * eta - softplus(eta)
            }
            var penalty = 0.0
            for j in 0..<p { penalty += 0.5 * pen[j] * b[j] * b[j] }
            return ll - penalty
        }
        var current = objective(beta)
        for iteration in 1...maxIterations {
            var h = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
            var g = [Double](repeating: 0, count: p)
            for i in 0..<n {
                var eta = off[i]
                for j in 0..<p { eta += x[i][j] * beta[j] }
                let mu = SpecialFunctions.logistic(eta), w = mu * (1 - mu), r = y[i] - mu
                for j in 0..<p {
                    g[j] += x[i][j] * r
                    let wx = w * x[i][j]
                    for k in 0...j { h[j][k] += wx * x[i][k] }
                }
            }
            for j in 0..<p {
                g[j] -= pen[j] * beta[j]
                h[j][j] += pen[j]
                for k in 0..<j { h[k][j] = h[j][k] }
            }
            guard let l = LinearAlgebra.cholesky(h) else {
                throw RadiomicsError("logistic regression: the information matrix is singular (a predictor is constant, collinear with others, or the outcome is perfectly separated)")
            }
            let step = LinearAlgebra.choleskySolve(l, g)
            var scale = 1.0, candidate = beta, value = current
            for _ in 0..<30 {
                candidate = zip(beta, step).map { $0 + scale * $1 }
                value = objective(candidate)
                if value >= current - 1e-12 * abs(current) { break }
                scale /= 2
            }
            let done = zip(candidate, beta).allSatisfy { abs($0 - $1) < 1e-12 * (1 + abs($0)) }
            beta = candidate
            current = value
            if done || iteration == maxIterations {
                if !done, zip(step, beta).contains(where: { abs($0) > 1e-6 * (1 + abs($1)) }) {
                    throw RadiomicsError("logistic regression did not converge in \(maxIterations) iterations (the outcome may be perfectly separated by the predictors; try a penalty)")
                }
                let covariance = LinearAlgebra.choleskyInverse(LinearAlgebra.cholesky(information(x, beta, off, pen)) ?? l)
                let penalty = zip(pen, beta).reduce(0.0) { $0 + 0.5 * $1.0 * $1.1 * $1.1 }
                return LogisticFit(coefficients: beta, covariance: covariance, logLikelihood: current + penalty, iterations: iteration)
            }
        }
        fatalError("unreachable")
    }

    /// XᵀWX + diag(pen) at β.
    static func information(_ x: [[Double]], _ beta: [Double], _ off: [Double], _ pen: [Double]) -> [[Double]] {
        let p = beta.count
        var h = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for i in x.indices {
            var eta = off[i]
            for j in 0..<p { eta += x[i][j] * beta[j] }
            let mu = SpecialFunctions.logistic(eta), w = mu * (1 - mu)
            for j in 0..<p { for k in 0..<p { h[j][k] += w * x[i][j] * x[i][k] } }
        }
        for j in 0..<p { h[j][j] += pen[j] }
        return h
    }

    /// log(1 + e^η) without overflow.
    static func softplus(_ eta: Double) -> Double { eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta)) }
}
