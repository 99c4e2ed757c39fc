import Foundation
import RadiomicsCore

/// Elastic-net penalised Cox regression by pathwise coordinate descent (Simon, Friedman, Hastie & Tibshirani,
/// "Regularization Paths for Cox's Proportional Hazards Model via Coordinate Descent", J Stat Softw 39(5), 2011;
/// glmnet's `family = "cox"` and scikit-survival's CoxnetSurvivalAnalysis), Breslow's ties.
///
/// Minimises −ℓ(β)/n + λ (α ‖β‖₁ + (1 − α)/2 ‖β‖²) over predictors the caller has standardised, by proximal
/// Newton steps (Lee, Sun & Saunders, SIAM J Optim 24(3), 2014): each outer step replaces −ℓ by its exact second-order
/// model in β, gradient −Xᵀℓ'/n and Hessian XᵀHX/n with H = −∂²ℓ/∂η∂ηᵀ, and minimises that model plus the penalty by
/// coordinate descent, first over the coefficients already non-zero, then a sweep over all to let new ones in
/// (glmnet's active set); the step is then shortened until the objective falls (Armijo). H is never formed: it is
/// a diagonal minus one rank-one term per event time, so H x_j costs two passes over the cases sorted by time
/// (`BreslowRiskSets.Local`), computed for a predictor only when its coordinate can move. Glmnet keeps only H's
/// diagonal, which needs no H x_j but takes tens of outer steps per λ once hundreds of predictors are active; the
/// exact model takes a few. Converged when the model's minimiser is within `tolerance` of β in every coordinate's
/// curvature (h_j Δ_j² ≤ tolerance, glmnet's measure). The minimiser is the same as glmnet's.
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

    /// Log partial likelihood (Breslow) at β.
    public func logLikelihood(_ beta: [Double]) -> Double { risk.local(linearPredictor(beta)).logLikelihood }

    func linearPredictor(_ beta: [Double]) -> [Double] {
        var eta = [Double](repeating: 0, count: n)
        for j in 0..<p where beta[j] != 0 { Vector.addScaled(&eta, beta[j], columns[j]) }
        return eta
    }

    /// The smallest λ at which every coefficient is 0: max_j |Σ_i x_ij ℓ'_i(0)| / (n α).
    public func lambdaMax(alpha: Double) -> Double { Self.lambdaMax(gradientAtZero: gradient([Double](repeating: 0, count: p)), alpha: alpha) }

    /// The same from the gradient at β = 0 (α below 1e-3, ridge, taken as 1e-3, as glmnet does).
    static func lambdaMax(gradientAtZero g: [Double], alpha: Double) -> Double { (g.map(abs).max() ?? 0) / max(alpha, 1e-3) }

    /// (1/n) Xᵀ ℓ'(η) at β: the partial likelihood's gradient per predictor (what the KKT conditions compare with αλ).
    func gradient(_ beta: [Double]) -> [Double] {
        let score = risk.local(linearPredictor(beta)).score, nd = Double(n)
        return columns.map { Vector.dot($0, score) / nd }
    }

    /// Coefficients (on the standardised scale) at each λ of `lambdas` (descending), warm-started along the path
    /// (`Walk`); with `stopEarly` the path may end before the last λ.
    public func path(lambdas: [Double], alpha: Double, tolerance: Double = 1e-9, maxIterations: Int = 10_000,
                     stopEarly: Bool = false) -> [[Double]] {
        var walk = Walk(self, alpha: alpha, tolerance: tolerance, maxIterations: maxIterations, stopEarly: stopEarly)
        var out: [[Double]] = []
        for lambda in lambdas {
            guard let beta = walk.next(lambda) else { break }
            out.append(beta)
        }
        return out
    }

    /// A path taken one λ at a time. At each λ only the predictors that the sequential strong rule (Tibshirani et al.
    /// 2012) keeps are visited, |∇_j| ≥ α(2λ − λ_previous), with those already non-zero; then every predictor's KKT
    /// condition |∇_j| ≤ αλ is checked at the solution and any that fails joins the set and the fit is redone. With
    /// `stopEarly` the path ends, as glmnet's does, once the model explains 99.9 % of the null deviance
    /// (1 − ℓ(β)/ℓ(0) > 0.999) or the explained share grows by less than 1e-5 from one λ to the next: beyond that the
    /// fits only chase noise (with as many predictors as cases they approach a saturated model, slowly).
    struct Walk: Sendable {
        let model: PenalisedCox
        let alpha: Double, tolerance: Double, maxIterations: Int, stopEarly: Bool
        var beta: [Double], grad: [Double]
        var previous: Double?
        let null: Double
        var explained = 0.0, steps = 0, ended = false

        init(_ model: PenalisedCox, alpha: Double, tolerance: Double, maxIterations: Int = 10_000, stopEarly: Bool) {
            self.model = model
            self.alpha = alpha; self.tolerance = tolerance; self.maxIterations = maxIterations; self.stopEarly = stopEarly
            beta = [Double](repeating: 0, count: model.p)
            grad = model.gradient(beta)
            null = model.risk.local([Double](repeating: 0, count: model.n)).logLikelihood
        }

        /// The coefficients at `lambda` (below the previous one), or nil once the path has ended.
        mutating func next(_ lambda: Double) -> [Double]? {
            guard !ended else { return nil }
            let last = previous ?? max(lambda, PenalisedCox.lambdaMax(gradientAtZero: grad, alpha: alpha))
            var set = Set((0..<model.p).filter { beta[$0] != 0 || abs(grad[$0]) >= alpha * (2 * lambda - last) })
            while true {
                beta = model.fit(lambda: lambda, alpha: alpha, start: beta, over: set.sorted(), tolerance: tolerance,
                                 maxIterations: maxIterations)
                grad = model.gradient(beta)
                let violators = (0..<model.p).filter { !set.contains($0) && abs(grad[$0]) > alpha * lambda * (1 + 1e-9) }
                if violators.isEmpty { break }
                set.formUnion(violators)
            }
            previous = lambda
            steps += 1
            if stopEarly, null < 0 {
                let now = 1 - model.logLikelihood(beta) / null
                if now > 0.999 || (steps > 1 && now - explained < 1e-5 * now) { ended = true }
                explained = now
            }
            return beta
        }
    }

    /// The minimiser at one λ from `start`, visiting only the predictors in `over` (all when nil).
    public func fit(lambda: Double, alpha: Double, start: [Double], over candidates: [Int]? = nil, tolerance: Double = 1e-9,
                    maxIterations: Int = 10_000) -> [Double] {
        var beta = start
        let all = candidates ?? Array(0..<p)
        let l1 = lambda * alpha, l2 = lambda * (1 - alpha), nd = Double(n)
        func penalty(_ b: [Double]) -> Double { all.reduce(0) { $0 + l1 * abs(b[$1]) + l2 / 2 * b[$1] * b[$1] } }
        var eta = linearPredictor(beta)
        var local = risk.local(eta)
        var objective = -local.logLikelihood / nd + penalty(beta)
        // Per candidate (its slot): −x_jᵀℓ'/n, and once its coordinate can move, H x_j / n and x_jᵀ H x_j / n.
        var slot = [Int](repeating: -1, count: p)
        for (s, j) in all.enumerated() { slot[j] = s }
        var gradient = [Double](repeating: 0, count: all.count), curvature = gradient
        var ready = [Bool](repeating: false, count: all.count)
        var hx = [Double](repeating: 0, count: all.count * n)
        var outer = 0
        while outer < maxIterations {
            outer += 1
            for (s, j) in all.enumerated() {
                gradient[s] = -Vector.dot(columns[j], local.score) / nd
                ready[s] = false
            }
            // The model's point β + Δ, and u = H X Δ / n.
            var step = [Double](repeating: 0, count: p)
            var u = [Double](repeating: 0, count: n)
            var active = Set(all.filter { beta[$0] != 0 })
            func sweep(_ set: [Int]) -> Double {
                var largest = 0.0
                for j in set {
                    let s = slot[j], b = beta[j] + step[j]
                    let g = gradient[s] + Vector.dot(columns[j], u)
                    if !ready[s] {
                        // A zero coefficient whose gradient is within the L1 band stays zero at any curvature.
                        if b == 0 && abs(g) <= l1 { continue }
                        hx.withUnsafeMutableBufferPointer { cache in
                            let out = UnsafeMutableBufferPointer(rebasing: cache[s * n ..< (s + 1) * n])
                            local.hessianTimes(columns[j], scale: 1 / nd, into: out)
                            curvature[s] = Vector.dot(columns[j], UnsafeBufferPointer(out))
                        }
                        ready[s] = true
                    }
                    let h = curvature[s]
                    guard h > 0 else { continue }
                    let z = h * b - g
                    let new = (z > l1 ? z - l1 : z < -l1 ? z + l1 : 0) / (h + l2)
                    let delta = new - b
                    guard delta != 0 else { continue }
                    step[j] += delta
                    hx.withUnsafeBufferPointer { cache in
                        Vector.addScaled(&u, delta, UnsafeBufferPointer(rebasing: cache[s * n ..< (s + 1) * n]))
                    }
                    if new != 0 { active.insert(j) }
                    largest = max(largest, h * delta * delta)
                }
                return largest
            }
            // The model solved below the outer tolerance: coordinates that each move less than `tolerance` can still
            // add up to a step that matters, and a model solved only to that level makes the outer loop crawl (30+
            // steps at 700 active predictors); solved far below it, the coordinate sweeps crawl instead.
            let innerTolerance = tolerance * 0.3
            var inner = 0
            while inner < maxIterations {
                inner += 1
                // The active set to convergence, then one sweep over every candidate; done when it changes nothing.
                while inner < maxIterations, sweep(active.sorted()) > innerTolerance { inner += 1 }
                if sweep(all) <= innerTolerance { break }
            }
            let moved = all.reduce(0.0) { ready[slot[$1]] ? max($0, curvature[slot[$1]] * step[$1] * step[$1]) : $0 }
            let changed = all.filter { step[$0] != 0 }
            if changed.isEmpty { break }
            // X Δ, and the Armijo line search on the objective along Δ.
            var direction = [Double](repeating: 0, count: n)
            for j in changed { Vector.addScaled(&direction, step[j], columns[j]) }
            let next = zip(beta, step).map { $0 + $1 }
            let decrease = changed.reduce(0.0) { $0 + gradient[slot[$1]] * step[$1] } + penalty(next) - penalty(beta)
            var t = 1.0
            while true {
                let candidate = t == 1 ? next : zip(beta, step).map { $0 + t * $1 }
                let candidateEta = zip(eta, direction).map { $0 + t * $1 }
                let candidateLocal = risk.local(candidateEta)
                let value = -candidateLocal.logLikelihood / nd + penalty(candidate)
                // Sufficient decrease, with room for rounding once the steps are at the objective's last digits.
                if value <= objective + 1e-4 * t * decrease + 1e-15 * abs(objective) || t < 1e-10 {
                    beta = candidate; eta = candidateEta; local = candidateLocal; objective = value
                    break
                }
                t /= 2
            }
            if moved <= tolerance { break }
        }
        return beta
    }
}

/// Dot products and updates over the cases, four lanes at a time.
enum Vector {
    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        b.withUnsafeBufferPointer { dot(a, $0) }
    }

    static func dot(_ a: [Double], _ b: UnsafeBufferPointer<Double>) -> Double {
        a.withUnsafeBufferPointer { x in
            let n = min(x.count, b.count)
            var lanes = SIMD4<Double>(repeating: 0)
            var i = 0
            while i + 4 <= n {
                let u = SIMD4<Double>(x[i], x[i + 1], x[i + 2], x[i + 3])
                let v = SIMD4<Double>(b[i], b[i + 1], b[i + 2], b[i + 3])
                lanes += u * v
                i += 4
            }
            var sum = lanes.sum()
            while i < n { sum += x[i] * b[i]; i += 1 }
            return sum
        }
    }

    /// y += a x
    static func addScaled(_ y: inout [Double], _ a: Double, _ x: [Double]) {
        x.withUnsafeBufferPointer { addScaled(&y, a, $0) }
    }

    static func addScaled(_ y: inout [Double], _ a: Double, _ x: UnsafeBufferPointer<Double>) {
        y.withUnsafeMutableBufferPointer { y in
            for i in 0..<min(y.count, x.count) { y[i] += a * x[i] }
        }
    }
}

/// The cases of a Breslow partial likelihood sorted by time, with their risk sets: ℓ, its score and what products
/// with its Hessian in the linear predictor η need, in one pass (`local`).
struct BreslowRiskSets: Sendable {
    /// Case indices in time order (ascending).
    let order: [Int]
    /// Events in time order.
    let event: [Bool]
    /// Event-time groups: first case (in time order), deaths; and the first cases alone.
    let eventTimes: [(first: Int, deaths: Int)]
    let eventStarts: [Int]

    init(time: [Double], event: [Bool]) {
        let order = time.indices.sorted { time[$0] < time[$1] || (time[$0] == time[$1] && $0 < $1) }
        self.order = order
        self.event = order.map { event[$0] }
        self.eventTimes = equalTimeRuns(order, time: time).compactMap { run in
            let deaths = run.filter { event[$0] }.count
            return deaths > 0 ? (run.startIndex, deaths) : nil
        }
        eventStarts = eventTimes.map(\.first)
    }

    /// ℓ at η given in the cases' own order.
    func logLikelihood(caseOrder eta: [Double]) -> Double { local(order.map { eta[$0] }).logLikelihood }

    /// ℓ, its score and what products with its Hessian need, at η (in time order).
    struct Local {
        /// ℓ'_i = δ_i − r_i A_i.
        var score: [Double]
        var logLikelihood: Double
        /// r_i = e^{η_i − shift}; A_i = Σ_{event times t_k ≤ t_i} d_k / S0_k with S0_k = Σ_{risk set} r.
        var r: [Double], a: [Double]
        /// Per event time: its first case in time order and d_k / S0_k².
        var first: [Int], c: [Double]

        /// H u · scale, H = −∂²ℓ/∂η∂ηᵀ: (H u)_i = r_i A_i u_i − r_i Σ_{t_k ≤ t_i} (d_k / S0_k²) Σ_{l ∈ R_k} r_l u_l.
        func hessianTimes(_ u: [Double], scale: Double, into out: UnsafeMutableBufferPointer<Double>) {
            let n = u.count, events = first.count
            guard events > 0 else { for i in 0..<n { out[i] = 0 }; return }
            // (d_k / S0_k²) Σ_{l ∈ R_k} r_l u_l per event time, from the last case back.
            var perEvent = [Double](repeating: 0, count: events)
            var sum = 0.0, e = events - 1
            var i = n - 1
            while i >= 0 && e >= 0 {
                sum += r[i] * u[i]
                while e >= 0 && first[e] == i { perEvent[e] = sum * c[e]; e -= 1 }
                i -= 1
            }
            // Forward: the running sum over the event times up to each case.
            var acc = 0.0
            e = 0
            for i in 0..<n {
                while e < events && first[e] <= i { acc += perEvent[e]; e += 1 }
                out[i] = (r[i] * a[i] * u[i] - r[i] * acc) * scale
            }
        }
    }

    /// ℓ, the score and the Hessian's parts at η (in time order).
    func local(_ eta: [Double]) -> Local {
        let n = eta.count
        // Suffix sums of e^η: S0 of the risk set starting at each case.
        let shift = eta.max() ?? 0
        let r = eta.map { exp($0 - shift) }
        var suffix = [Double](repeating: 0, count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) { suffix[i] = suffix[i + 1] + r[i] }
        var ll = 0.0
        // A accumulated over event times in ascending order; case i takes the sum up to its own time.
        var score = [Double](repeating: 0, count: n), a = score
        var c = [Double](repeating: 0, count: eventTimes.count)
        var sumA = 0.0, e = 0
        for i in 0..<n {
            while e < eventTimes.count && eventTimes[e].first <= i {
                let s0 = suffix[eventTimes[e].first], d = Double(eventTimes[e].deaths)
                sumA += d / s0
                c[e] = d / (s0 * s0)
                ll -= d * (log(s0) + shift)
                e += 1
            }
            a[i] = sumA
            score[i] = (event[i] ? 1 : 0) - r[i] * sumA
            if event[i] { ll += eta[i] }
        }
        return Local(score: score, logLikelihood: ll, r: r, a: a, first: eventStarts, c: c)
    }
}

extension PenalisedCox {
    /// K-fold cross-validation of λ as cv.glmnet does it for Cox models (Verweij & van Houwelingen's grouped
    /// partial-likelihood deviance): fold k's path is fitted on the other folds (standardised on them), and scored
    /// by 2 (ℓ_train(β_k) − ℓ_all(β_k)) per event of the fold; the mean over folds weighted by their events, its
    /// standard error, λ_min and λ_1se. Folds are stratified by event (`CrossValidation.folds`); the folds walk their
    /// paths side by side on all cores, a few λ at a time.
    ///
    /// Unlike cv.glmnet, the walk stops once the mean deviance has stayed above the 1-SE band of its minimum so far
    /// (min + SE at the min) for `patience` λ in a row: past that point the curve only climbs as the fits chase noise,
    /// and those fits, with hundreds of predictors active, are most of the cost. λ_min and λ_1se change only if the
    /// curve would later fall below its minimum again after that many λ outside the band. `patience: nil` walks the
    /// whole path. The summary's λ end where the walk stopped, or where the first fold's path ended (as cv.glmnet).
    public static func crossValidate(x: [[Double]], time: [Double], event: [Bool], predictorNames names: [String], alpha: Double,
                                     lambdas: [Double], folds k: Int, seed: UInt64, rule: String,
                                     patience: Int? = 10) throws -> CrossValidationSummary {
        let n = x.count
        guard k >= 2, k <= n else { throw RadiomicsError("--cv needs 2 <= K <= number of cases (\(n))") }
        let fold = CrossValidation.folds(outcome: event.map { $0 ? 1 : 0 }, k: k, seed: seed)
        let all = BreslowRiskSets(time: time, event: event)
        struct Fold: Sendable {
            var walk: Walk
            let train: [Int], scales: [PredictorScale], trainRisk: BreslowRiskSets, events: Double
            var deviance: [Double] = []
        }
        var folds = try parallelMap(Array(0..<k)) { f -> Result<Fold, Error> in
            Result {
                let train = (0..<n).filter { fold[$0] != f }
                let scaled: Standardised
                do {
                    scaled = try Standardised(ModelData(caseIDs: train.map(String.init), predictorNames: names, x: train.map { x[$0] }, y: nil))
                } catch {
                    throw RadiomicsError("cross-validation fold \(f + 1) of \(k): \(error) (a rare value in few cases; use fewer folds)")
                }
                let model = PenalisedCox(columns: scaled.columns, time: train.map { time[$0] }, event: train.map { event[$0] })
                return Fold(walk: Walk(model, alpha: alpha, tolerance: 1e-7, stopEarly: true), train: train, scales: scaled.scales,
                            trainRisk: BreslowRiskSets(time: train.map { time[$0] }, event: train.map { event[$0] }),
                            events: Double((0..<n).filter { fold[$0] == f && event[$0] }.count))
            }
        }.map { try $0.get() }
        let total = folds.reduce(0) { $0 + $1.events }
        guard total > 0 else { throw RadiomicsError("no events: the cross-validation has nothing to score") }

        // Mean and SE of the deviance per event at λ index l.
        func curve(_ l: Int) -> (mean: Double, se: Double) {
            let raw = folds.map { $0.events > 0 ? $0.deviance[l] / $0.events : 0 }
            let mean = zip(raw, folds).reduce(0) { $0 + $1.0 * $1.1.events } / total
            let spread = zip(raw, folds).reduce(0) { $0 + $1.1.events * ($1.0 - mean) * ($1.0 - mean) } / total
            return (mean, (spread / Double(k - 1)).squareRoot())
        }
        var mean: [Double] = [], se: [Double] = []
        var best = 0, outside = 0
        walking: while mean.count < lambdas.count {
            let chunk = Array(lambdas[mean.count ..< min(lambdas.count, mean.count + 4)])
            folds = parallelMap(folds) { f in
                var f = f
                for lambda in chunk {
                    guard let gamma = f.walk.next(lambda) else { break }
                    // Original-scale coefficients; the centring constant cancels in the partial likelihood.
                    let beta = zip(gamma, f.scales).map { $0 / $1.sd }
                    let used = beta.indices.filter { beta[$0] != 0 }
                    let eta = x.map { row in used.reduce(0.0) { $0 + row[$1] * beta[$1] } }
                    f.deviance.append(2 * (f.trainRisk.logLikelihood(caseOrder: f.train.map { eta[$0] }) - all.logLikelihood(caseOrder: eta)))
                }
                return f
            }
            // As cv.glmnet: the λ every fold's path reached.
            let reached = folds.map(\.deviance.count).min() ?? 0
            while mean.count < reached {
                let (m, s) = curve(mean.count)
                mean.append(m); se.append(s)
                let l = mean.count - 1
                if m < mean[best] { best = l }
                outside = m > mean[best] + se[best] ? outside + 1 : 0
                if let patience, outside >= patience { break walking }
            }
            // A fold whose path ended (glmnet's rule) ends the curve.
            if folds.contains(where: \.walk.ended) { break }
        }
        guard !mean.isEmpty else { throw RadiomicsError("the cross-validation fitted no λ") }
        let oneSE = mean.indices.first { mean[$0] <= mean[best] + se[best] } ?? best
        let fitted = Array(lambdas.prefix(mean.count))
        return CrossValidationSummary(folds: k, seed: seed, rule: rule, lambdas: fitted, meanDeviance: mean, devianceSE: se,
                                      lambdaMin: fitted[best], lambda1SE: fitted[oneSE])
    }
}
