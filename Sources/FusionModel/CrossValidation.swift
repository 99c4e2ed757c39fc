import Foundation
import RadiomicsCore

/// k-fold cross-validation of the penalty strength λ, glmnet-style (Friedman, Hastie & Tibshirani 2010, §2.5;
/// cv.glmnet): a path of 100 λ from λ_max (all coefficients zero) down to λ_max·ε (ε = 1e-4 when n > p,
/// else 1e-2), log-spaced; each fold is left out once, the model fitted on the rest (standardised on the
/// rest) and scored by the held-out binomial deviance −2 Σ [y log p + (1 − y) log(1 − p)].
/// λ_min minimises the mean deviance per case; λ_1se is the largest λ whose mean is within one standard
/// error (SD of the per-fold mean deviances / √k) of that minimum.
public enum CrossValidation {
    public static let pathLength = 100

    /// The λ path: `pathLength` values log-spaced from λ_max down to λ_max ε (ε = 1e-4 with more cases than
    /// predictors, else 1e-2), for the logistic and the Cox models alike.
    public static func path(lambdaMax: Double, cases: Int, predictors: Int) -> [Double] {
        let ratio = cases > predictors ? 1e-4 : 1e-2
        return (0..<pathLength).map { lambdaMax * pow(ratio, Double($0) / Double(pathLength - 1)) }
    }

    /// Deterministic stratified folds: the cases of each outcome class are shuffled with `seed` (SplitMix64,
    /// Fisher-Yates) and dealt round-robin to folds 0..<k, continuing across classes, so each fold gets
    /// about the same number of events.
    public static func folds(outcome y: [Double], k: Int, seed: UInt64) -> [Int] {
        var rng = SeededRandom(seed: seed)
        var fold = [Int](repeating: 0, count: y.count)
        var next = 0
        for cls in [1.0, 0.0] {
            let members = y.indices.filter { y[$0] == cls }
            for m in rng.permutation(members.count) {
                fold[members[m]] = next % k
                next += 1
            }
        }
        return fold
    }

    public static func run(_ data: ModelData, y: [Double], options: FitOptions, folds k: Int) throws -> CrossValidationSummary {
        guard k >= 2, k <= y.count else { throw RadiomicsError("--cv needs 2 <= K <= number of cases (\(y.count))") }
        let alpha = options.effectiveAlpha
        let all = try Standardised(data)
        let lambdaMax = PenalisedLogistic.lambdaMax(columns: all.columns, outcome: y, alpha: alpha)
        let lambdas = path(lambdaMax: lambdaMax, cases: y.count, predictors: data.predictorNames.count)
        let fold = folds(outcome: y, k: k, seed: options.seed)
        var perFold = [[Double]](repeating: [Double](repeating: 0, count: lambdas.count), count: k)
        for f in 0..<k {
            let train = y.indices.filter { fold[$0] != f }, test = y.indices.filter { fold[$0] == f }
            let sub = data.subset(train)
            let ty = train.map { y[$0] }
            guard ty.contains(0), ty.contains(1) else { throw RadiomicsError("fold \(f + 1) of \(k) leaves one outcome class out; use fewer folds") }
            let s = try Standardised(sub)
            let path = try ModelFitter.path(s, y: ty, lambdas: lambdas, alpha: alpha)
            for (l, gamma) in path.enumerated() {
                var deviance = 0.0
                for i in test {
                    var eta = gamma[0]
                    for j in s.scales.indices { eta += gamma[j + 1] * (data.x[i][j] - s.scales[j].mean) / s.scales[j].sd }
                    let p = min(max(SpecialFunctions.logistic(eta), 1e-15), 1 - 1e-15)
                    deviance += -2 * (y[i] * log(p) + (1 - y[i]) * log(1 - p))
                }
                perFold[f][l] = deviance / Double(test.count)
            }
        }
        let mean = lambdas.indices.map { l in perFold.reduce(0) { $0 + $1[l] } / Double(k) }
        let se = lambdas.indices.map { l in
            let m = mean[l]
            return (perFold.reduce(0) { $0 + ($1[l] - m) * ($1[l] - m) } / Double(k - 1) / Double(k)).squareRoot()
        }
        let best = mean.indices.min { mean[$0] < mean[$1] }!
        let oneSE = mean.indices.first { mean[$0] <= mean[best] + se[best] } ?? best
        return CrossValidationSummary(folds: k, seed: options.seed, rule: options.cvRule, lambdas: lambdas, meanDeviance: mean,
                                      devianceSE: se, lambdaMin: lambdas[best], lambda1SE: lambdas[oneSE])
    }
}
