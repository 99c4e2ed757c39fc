import Foundation
import RadiomicsCore

/// Options of `radiomics model fit`.
public struct FitOptions: Sendable {
    public var penalty: Penalty = .none
    /// Elastic-net mixing for `.elasticnet` (l1 implies 1, l2 implies 0).
    public var alpha: Double = 0.5
    /// A fixed λ; when nil and `cvFolds` is set, λ is chosen by cross-validation.
    public var lambda: Double?
    public var cvFolds: Int?
    public var seed: UInt64 = 1
    /// "min" or "1se".
    public var cvRule: String = "min"

    public init(penalty: Penalty = .none, alpha: Double = 0.5, lambda: Double? = nil, cvFolds: Int? = nil, seed: UInt64 = 1, cvRule: String = "min") {
        self.penalty = penalty
        self.alpha = alpha
        self.lambda = lambda
        self.cvFolds = cvFolds
        self.seed = seed
        self.cvRule = cvRule
    }

    /// α as used by the penalty: 0 for ridge, 1 for LASSO.
    public var effectiveAlpha: Double {
        switch penalty { case .none, .l2: 0; case .l1: 1; case .elasticnet: alpha }
    }
}

/// Predictors standardised to mean 0 and population SD 1 (glmnet's convention), as columns.
struct Standardised {
    var scales: [PredictorScale]
    /// columns[j][i]
    var columns: [[Double]]

    init(_ data: ModelData) throws {
        let n = Double(data.x.count)
        scales = []
        columns = []
        for (j, name) in data.predictorNames.enumerated() {
            let v = data.x.map { $0[j] }
            let mean = v.reduce(0, +) / n
            let sd = (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
            guard sd > 1e-12 * max(1, abs(mean)) else { throw RadiomicsError("predictor '\(name)' is constant in the fitting data") }
            scales.append(PredictorScale(name: name, mean: mean, sd: sd, minimum: v.min()!, maximum: v.max()!))
            columns.append(v.map { ($0 - mean) / sd })
        }
    }

    /// Design rows [1, z₁, ..., z_p].
    var design: [[Double]] { (0..<(columns.first?.count ?? 0)).map { i in [1] + columns.map { $0[i] } } }

    /// Original-scale coefficients from standardised ones: β_j = γ_j / s_j, β₀ = γ₀ − Σ γ_j m_j / s_j.
    /// Returned with the linear map A (β = A γ) for carrying covariances over: Cov β = A Cov γ Aᵀ.
    func unstandardise(_ gamma: [Double]) -> (beta: [Double], map: [[Double]]) {
        let p = scales.count
        var a = [[Double]](repeating: [Double](repeating: 0, count: p + 1), count: p + 1)
        a[0][0] = 1
        for j in 0..<p {
            a[0][j + 1] = -scales[j].mean / scales[j].sd
            a[j + 1][j + 1] = 1 / scales[j].sd
        }
        let beta = a.map { row in zip(row, gamma).reduce(0) { $0 + $1.0 * $1.1 } }
        return (beta, a)
    }
}

/// Fits the logistic models of `radiomics model fit`: unpenalised or ridge by Newton-Raphson/IRLS
/// (`LogisticRegression`), LASSO and elastic net by coordinate descent (`PenalisedLogistic`), all on
/// standardised predictors, coefficients reported on both scales. λ is given or chosen by k-fold
/// cross-validation (`CrossValidation`).
public enum ModelFitter {
    public static func fit(_ data: ModelData, outcome: String, options: FitOptions) throws -> LogisticModel {
        let y = try data.requireOutcome()
        let events = Int(y.reduce(0, +))
        guard events > 0, events < y.count else {
            throw RadiomicsError("the outcome '\(outcome)' has only \(events == 0 ? "0s" : "1s"); a logistic model needs both")
        }
        let alpha = options.effectiveAlpha
        guard (0...1).contains(alpha) else { throw RadiomicsError("--alpha must be between 0 and 1") }
        var lambda = 0.0
        var cv: CrossValidationSummary?
        if options.penalty != .none {
            if let given = options.lambda {
                guard given >= 0, given.isFinite else { throw RadiomicsError("--lambda must be >= 0") }
                lambda = given
            } else if let k = options.cvFolds {
                let summary = try CrossValidation.run(data, y: y, options: options, folds: k)
                cv = summary
                lambda = options.cvRule == "1se" ? summary.lambda1SE : summary.lambdaMin
            } else {
                throw RadiomicsError("a penalised fit needs --lambda or --cv K")
            }
        }
        let s = try Standardised(data)
        let gamma: [Double]
        var covariance: [[Double]]?
        if options.penalty == .none || alpha == 0 {
            let f = try LogisticRegression.fit(design: s.design, outcome: y, ridge: lambda,
                                               penalised: [false] + s.scales.map { _ in true })
            gamma = f.coefficients
            if options.penalty == .none { covariance = f.covariance }
        } else {
            let f = try PenalisedLogistic.fit(columns: s.columns, outcome: y, lambda: lambda, alpha: alpha)
            gamma = [f.intercept] + f.beta
        }
        let (beta, a) = s.unstandardise(gamma)
        let names = ["(Intercept)"] + data.predictorNames
        var coefficients: [Coefficient] = []
        for k in beta.indices {
            var c = Coefficient(name: names[k], estimate: beta[k], standardized: gamma[k])
            if let cov = covariance {
                // Var β_k = Σ_{l,m} A_kl Cov_lm A_km
                var v = 0.0
                for l in beta.indices { for m in beta.indices { v += a[k][l] * cov[l][m] * a[k][m] } }
                let se = v.squareRoot()
                c.standardError = se
                c.z = beta[k] / se
                c.pValue = erfc(abs(beta[k] / se) / 2.0.squareRoot())
                c.ciLower = beta[k] - SpecialFunctions.z975 * se
                c.ciUpper = beta[k] + SpecialFunctions.z975 * se
            }
            coefficients.append(c)
        }
        let design = s.design
        let logLikelihood = zip(design, y).reduce(0.0) { acc, row in
            let eta = zip(row.0, gamma).reduce(0) { $0 + $1.0 * $1.1 }
            return acc + row.1 * eta - LogisticRegression.softplus(eta)
        }
        let selected = zip(data.predictorNames, gamma.dropFirst()).filter { $0.1 != 0 }.map(\.0)
        return LogisticModel(outcome: outcome, penalty: options.penalty, alpha: options.penalty == .none ? 0 : alpha,
                             lambda: lambda, cases: y.count, events: events, logLikelihood: logLikelihood, predictors: s.scales,
                             coefficients: coefficients, selected: selected, crossValidation: cv)
    }

    /// Standardised coefficients (γ₀, γ) along a decreasing λ path with warm starts (for cross-validation).
    static func path(_ s: Standardised, y: [Double], lambdas: [Double], alpha: Double) throws -> [[Double]] {
        var out: [[Double]] = []
        var warm: [Double]?
        for lambda in lambdas {
            let gamma: [Double]
            if alpha == 0 {
                gamma = try LogisticRegression.fit(design: s.design, outcome: y, ridge: lambda,
                                                   penalised: [false] + s.scales.map { _ in true }, start: warm).coefficients
            } else {
                let f = try PenalisedLogistic.fit(columns: s.columns, outcome: y, lambda: lambda, alpha: alpha,
                                                  start: warm.map { ($0[0], Array($0.dropFirst())) })
                gamma = [f.intercept] + f.beta
            }
            out.append(gamma)
            warm = gamma
        }
        return out
    }
}
