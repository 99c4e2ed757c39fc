import Foundation
import RadiomicsCore

/// Elastic-net penalised Cox regression by pathwise coordinate descent (Simon, Friedman, Hastie & Tibshirani,
/// "Regularization Paths for Cox's Proportional Hazards Model via Coordinate Descent", J Stat Softw 39(5), 2011;
/// glmnet's `family = "cox"` and scikit-survival's CoxnetSurvivalAnalysis), Breslow's ties.
///
/// Minimises −ℓ(β)/n + λ (α ‖β‖₁ + (1 − α)/2 ‖β‖²) over predictors the caller has standardised. Each outer step
/// replaces −ℓ by its quadratic approximation in η = Xβ with the Hessian's diagonal, w_i = e^{η_i} A_i − e^{2η_i}
/// B_i and score ℓ'_i = δ_i − e^{η_i} A_i (A_i = Σ_{event times t_k ≤ t_i} d_k / S0_k, B_i the same over S0_k²,
/// S0_k the risk set's Σ e^η: one pass over the cases sorted by time); the inner loop is coordinate descent on
/// that weighted least-squares problem, first over the coefficients already non-zero, then a sweep over all to
/// let new ones in (glmnet's active set). Converged when no coefficient moves by more than `tolerance` times
/// its predictor's curvature (glmnet's rule: the largest change of the objective's quadratic part).
public struct PenalisedCox: Sendable {
    let n: Int, p: Int
    /// Predictors column by column, cases in time order (ascending).
    let columns: [[Double]]
    let risk: BreslowRiskSets

    /// `x[i][j]`: standardised predictor j of case i.
    public init(x: [[Double]], time: [Double], event: [Bool]) {
        self.init(columns: (0..<(x.first?.count ?? 0)).map { j in x.map { $0[j] } }, time: time, event: event)
    }

    /// `columns[j][i]`: standardised predictor j of case i.
    public init(columns: [[Double]], time: [Double], event: [Bool]) {
        risk = BreslowRiskSets(time: time, event: event)
        n = time.count
        p = columns.count
        let order = risk.order
        self.columns = columns.map { c in order.map { c[$0] } }
    }

    func quadratic(_ eta: [Double]) -> (score: [Double], weight: [Double], logLikelihood: Double) { risk.quadratic(eta) }

    /// Log partial likelihood (Breslow) at β.
    public func logLikelihood(_ beta: [Double]) -> Double { quadratic(linearPredictor(beta)).logLikelihood }

    func linearPredictor(_ beta: [Double]) -> [Double] {
        var eta = [Double](repeating: 0, count: n)
        for j in 0..<p where beta[j] != 0 {
            let c = columns[j], b = beta[j]
            for i in 0..<n { eta[i] += c[i] * b }
        }
        return eta
    }

    /// The smallest λ at which every coefficient is 0: max_j |Σ_i x_ij ℓ'_i(0)| / (n α).
    public func lambdaMax(alpha: Double) -> Double { Self.lambdaMax(gradientAtZero: gradient([Double](repeating: 0, count: p)), alpha: alpha) }

    /// The same from the gradient at β = 0 (α below 1e-3, ridge, taken as 1e-3, as glmnet does).
    static func lambdaMax(gradientAtZero g: [Double], alpha: Double) -> Double { (g.map(abs).max() ?? 0) / max(alpha, 1e-3) }

    /// (1/n) Xᵀ ℓ'(η) at β: the partial likelihood's gradient per predictor (what the KKT conditions compare with αλ).
    func gradient(_ beta: [Double]) -> [Double] {
        let score = quadratic(linearPredictor(beta)).score, nd = Double(n)
        return columns.map { c in
            var g = 0.0
            for i in 0..<n { g += c[i] * score[i] }
            return g / nd
        }
    }

    /// Coefficients (on the standardised scale) at each λ of `lambdas` (descending), warm-started along the path.
    /// At each λ only the predictors that the sequential strong rule (Tibshirani et al. 2012) keeps are visited,
    /// |∇_j| ≥ α(2λ − λ_previous), with those already non-zero; then every predictor's KKT condition |∇_j| ≤ αλ is
    /// checked at the solution and any that fails joins the set and the fit is redone. With `stopEarly` the path
    /// ends, as glmnet's does, once the model explains 99.9 % of the null deviance (1 − ℓ(β)/ℓ(0) > 0.999) or the
    /// explained share grows by less than 1e-5 from one λ to the next: beyond that the fits only chase noise (with as
    /// many predictors as cases they approach a saturated model, slowly); the path returned is then shorter.
    public func path(lambdas: [Double], alpha: Double, tolerance: Double = 1e-9, maxIterations: Int = 10_000,
                     stopEarly: Bool = false) -> [[Double]] {
        var beta = [Double](repeating: 0, count: p)
        var grad = gradient(beta)
        var previous = max(lambdas.first ?? 0, Self.lambdaMax(gradientAtZero: grad, alpha: alpha))
        var out: [[Double]] = []
        let null = quadratic([Double](repeating: 0, count: n)).logLikelihood
        var explained = 0.0
        for lambda in lambdas {
            var set = Set((0..<p).filter { beta[$0] != 0 || abs(grad[$0]) >= alpha * (2 * lambda - previous) })
            while true {
                beta = fit(lambda: lambda, alpha: alpha, start: beta, over: set.sorted(), tolerance: tolerance, maxIterations: maxIterations)
                grad = gradient(beta)
                let violators = (0..<p).filter { !set.contains($0) && abs(grad[$0]) > alpha * lambda * (1 + 1e-9) }
                if violators.isEmpty { break }
                set.formUnion(violators)
            }
            out.append(beta)
            previous = lambda
            if stopEarly, null < 0 {
                let now = 1 - quadratic(linearPredictor(beta)).logLikelihood / null
                if now > 0.999 || (out.count > 1 && now - explained < 1e-5 * now) { break }
                explained = now
            }
        }
        return out
    }

    /// The minimiser at one λ from `start`, visiting only the predictors in `over` (all when nil).
    public func fit(lambda: Double, alpha: Double, start: [Double], over candidates: [Int]? = nil, tolerance: Double = 1e-9,
                    maxIterations: Int = 10_000) -> [Double] {
        var beta = start
        let all = candidates ?? Array(0..<p)
        let l1 = lambda * alpha, l2 = lambda * (1 - alpha), nd = Double(n)
        var outer = 0
        while outer < maxIterations {
            outer += 1
            var eta = linearPredictor(beta)
            let (score, w, _) = quadratic(eta)
            // Residual of the weighted least-squares problem: w (z − η) = ℓ'.
            var residual = score
            var moved = 0.0
            var active = Set(all.filter { beta[$0] != 0 })
            // Each candidate's curvature (1/n) Σ w x², once per outer step.
            var curvature = [Double](repeating: 0, count: p)
            for j in all {
                let c = columns[j]
                var h = 0.0
                for i in 0..<n { h += w[i] * c[i] * c[i] }
                curvature[j] = h / nd
            }
            func sweep(_ set: [Int]) -> Double {
                var largest = 0.0
                for j in set {
                    let c = columns[j], h = curvature[j]
                    guard h > 0 else { continue }
                    var g = 0.0
                    for i in 0..<n { g += c[i] * residual[i] }
                    g /= nd
                    let u = g + h * beta[j]
                    let new = (u > l1 ? u - l1 : u < -l1 ? u + l1 : 0) / (h + l2)
                    let delta = new - beta[j]
                    guard delta != 0 else { continue }
                    beta[j] = new
                    for i in 0..<n {
                        let step = c[i] * delta
                        residual[i] -= w[i] * step
                        eta[i] += step
                    }
                    if new != 0 { active.insert(j) }
                    largest = max(largest, h * delta * delta)
                }
                moved = max(moved, largest)
                return largest
            }
            var inner = 0
            while inner < maxIterations {
                inner += 1
                // The active set to convergence, then one sweep over every candidate; done when it changes nothing.
                while inner < maxIterations, sweep(active.sorted()) > tolerance { inner += 1 }
                if sweep(all) <= tolerance { break }
            }
            // The quadratic approximation was exact where nothing moved.
            if moved <= tolerance { break }
        }
        return beta
    }
}

/// The cases of a Breslow partial likelihood sorted by time, with their risk sets: ℓ, its score and the Hessian's
/// diagonal in the linear predictor η in one pass.
struct BreslowRiskSets: Sendable {
    /// Case indices in time order (ascending).
    let order: [Int]
    /// Events in time order.
    let event: [Bool]
    /// Event-time groups: first case (in time order), deaths.
    let eventTimes: [(first: Int, deaths: Int)]

    init(time: [Double], event: [Bool]) {
        let order = time.indices.sorted { time[$0] < time[$1] || (time[$0] == time[$1] && $0 < $1) }
        self.order = order
        self.event = order.map { event[$0] }
        var eventTimes: [(Int, Int)] = []
        var k = 0
        while k < order.count {
            var end = k, deaths = 0
            while end < order.count && time[order[end]] == time[order[k]] {
                if event[order[end]] { deaths += 1 }
                end += 1
            }
            if deaths > 0 { eventTimes.append((k, deaths)) }
            k = end
        }
        self.eventTimes = eventTimes
    }

    /// ℓ at η given in the cases' own order.
    func logLikelihood(caseOrder eta: [Double]) -> Double { quadratic(order.map { eta[$0] }).logLikelihood }

    /// Score ℓ'_i and weights w_i at η (in time order), and ℓ(η).
    func quadratic(_ eta: [Double]) -> (score: [Double], weight: [Double], logLikelihood: Double) {
        let n = eta.count
        // Suffix sums of e^η: S0 of the risk set starting at each case.
        let shift = eta.max() ?? 0
        let r = eta.map { exp($0 - shift) }
        var suffix = [Double](repeating: 0, count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) { suffix[i] = suffix[i + 1] + r[i] }
        var ll = 0.0
        // A and B accumulated over event times in ascending order; case i takes the sums up to its own time.
        var score = [Double](repeating: 0, count: n), weight = score
        var sumA = 0.0, sumB = 0.0, e = 0
        for i in 0..<n {
            while e < eventTimes.count && eventTimes[e].first <= i {
                let s0 = suffix[eventTimes[e].first], d = Double(eventTimes[e].deaths)
                sumA += d / s0
                sumB += d / (s0 * s0)
                ll -= d * (log(s0) + shift)
                e += 1
            }
            score[i] = (event[i] ? 1 : 0) - r[i] * sumA
            weight[i] = r[i] * sumA - r[i] * r[i] * sumB
            if event[i] { ll += eta[i] }
        }
        return (score, weight, ll)
    }
}

extension PenalisedCox {
    /// K-fold cross-validation of λ as cv.glmnet does it for Cox models (Verweij & van Houwelingen's grouped
    /// partial-likelihood deviance): fold k's path is fitted on the other folds (standardised on them), and scored
    /// by 2 (ℓ_train(β_k) − ℓ_all(β_k)) per event of the fold; the mean over folds weighted by their events, its
    /// standard error, λ_min and λ_1se. Folds are stratified by event (`CrossValidation.folds`) and fitted on all
    /// cores.
    public static func crossValidate(x: [[Double]], time: [Double], event: [Bool], predictorNames names: [String], alpha: Double,
                                     lambdas: [Double], folds k: Int, seed: UInt64, rule: String) throws -> CrossValidationSummary {
        let n = x.count
        guard k >= 2, k <= n else { throw RadiomicsError("--cv needs 2 <= K <= number of cases (\(n))") }
        let fold = CrossValidation.folds(outcome: event.map { $0 ? 1 : 0 }, k: k, seed: seed)
        let all = BreslowRiskSets(time: time, event: event)
        let results = parallelMap(Array(0..<k)) { f -> Result<(deviance: [Double], events: Double), Error> in
            Result {
                let train = (0..<n).filter { fold[$0] != f }
                let events = Double((0..<n).filter { fold[$0] == f && event[$0] }.count)
                let scaled: Standardised
                do {
                    scaled = try Standardised(ModelData(caseIDs: train.map(String.init), predictorNames: names, x: train.map { x[$0] }, y: nil))
                } catch {
                    throw RadiomicsError("cross-validation fold \(f + 1) of \(k): \(error) (a rare value in few cases; use fewer folds)")
                }
                let model = PenalisedCox(columns: scaled.columns, time: train.map { time[$0] }, event: train.map { event[$0] })
                let trainRisk = BreslowRiskSets(time: train.map { time[$0] }, event: train.map { event[$0] })
                let path = model.path(lambdas: lambdas, alpha: alpha, tolerance: 1e-7, stopEarly: true)
                let deviance = path.map { gamma -> Double in
                    // Original-scale coefficients; the centring constant cancels in the partial likelihood.
                    let beta = zip(gamma, scaled.scales).map { $0 / $1.sd }
                    let used = beta.indices.filter { beta[$0] != 0 }
                    let eta = x.map { row in used.reduce(0.0) { $0 + row[$1] * beta[$1] } }
                    let trainEta = train.map { eta[$0] }
                    return 2 * (trainRisk.logLikelihood(caseOrder: trainEta) - all.logLikelihood(caseOrder: eta))
                }
                return (deviance, events)
            }
        }
        let perFold = try results.map { try $0.get() }
        // As cv.glmnet: the λ every fold's path reached.
        let lambdas = Array(lambdas.prefix(perFold.map(\.deviance.count).min() ?? 0))
        let weights = perFold.map(\.events), total = weights.reduce(0, +)
        guard total > 0 else { throw RadiomicsError("no events: the cross-validation has nothing to score") }
        var mean = [Double](repeating: 0, count: lambdas.count), se = mean
        for l in lambdas.indices {
            let raw = perFold.map { $0.events > 0 ? $0.deviance[l] / $0.events : 0 }
            mean[l] = zip(raw, weights).reduce(0) { $0 + $1.0 * $1.1 } / total
            let spread = zip(raw, weights).reduce(0) { $0 + $1.1 * ($1.0 - mean[l]) * ($1.0 - mean[l]) } / total
            se[l] = (spread / Double(k - 1)).squareRoot()
        }
        let best = mean.indices.min { mean[$0] < mean[$1] }!
        let oneSE = mean.indices.first { mean[$0] <= mean[best] + se[best] } ?? best
        return CrossValidationSummary(folds: k, seed: seed, rule: rule, lambdas: lambdas, meanDeviance: mean, devianceSE: se,
                                      lambdaMin: lambdas[best], lambda1SE: lambdas[oneSE])
    }
}
