import Foundation
import RadiomicsCore

/// How tied event times enter the partial likelihood.
public enum CoxTies: String, Sendable, Codable, CaseIterable {
    /// Efron's approximation (R survival's default): the d deaths at a time leave the risk set a fraction r/d at
    /// a time, r = 0 ... d - 1.
    case efron
    /// Breslow's: each of the d deaths sees the whole risk set.
    case breslow
}

/// A Cox proportional-hazards fit.
public struct CoxFit: Sendable {
    /// β, one per predictor (log hazard ratios).
    public var coefficients: [Double]
    /// I(β̂)⁻¹, the inverse of the observed information: the covariance of β̂.
    public var covariance: [[Double]]
    /// Log partial likelihood at β̂ and at β = 0.
    public var logLikelihood: Double
    public var nullLogLikelihood: Double
    /// Score (log-rank) test at β = 0: U(0)ᵀ I(0)⁻¹ U(0), p degrees of freedom.
    public var scoreTest: Double
    public var iterations: Int
    public var events: Int
    public var ties: CoxTies

    public var standardErrors: [Double] { covariance.indices.map { covariance[$0][$0].squareRoot() } }
    /// Likelihood-ratio test: 2 (ℓ(β̂) − ℓ(0)).
    public var likelihoodRatioTest: Double { 2 * (logLikelihood - nullLogLikelihood) }
    /// Wald test: β̂ᵀ I(β̂) β̂ (the covariance inverted back).
    public var waldTest: Double {
        guard let l = LinearAlgebra.cholesky(covariance) else { return .nan }
        let solved = LinearAlgebra.choleskySolve(l, coefficients)
        return zip(coefficients, solved).reduce(0) { $0 + $1.0 * $1.1 }
    }
}

/// Cox proportional-hazards regression by Newton-Raphson on the log partial likelihood (Cox 1972; Therneau &
/// Grambsch, Modeling Survival Data, 2000, §3.2), as R survival's `coxph` computes it.
///
/// With η_i = x_iᵀβ, for each distinct event time t with deaths D (d of them) and risk set R = {i : time_i ≥ t}:
///
///     ℓ(β) = Σ_t [ Σ_{i∈D} η_i − Σ_{r=0}^{d−1} log(S0(R) − f_r S0(D)) ],   S0(A) = Σ_{i∈A} e^{η_i},
///
/// f_r = r/d for Efron's ties and 0 for Breslow's. The score U and information I follow with S1 = Σ e^η x and
/// S2 = Σ e^η x xᵀ: U = Σ_t [Σ_D x_i − Σ_r a_r], I = Σ_t Σ_r [(S2(R) − f_r S2(D))/den_r − a_r a_rᵀ] with
/// a_r = (S1(R) − f_r S1(D))/den_r. Predictors are centred on their means first (ℓ, U and I do not change: every
/// death term and every log term move by the same constant); the risk-set sums are accumulated from the last
/// time backwards, so one pass costs O(n p²). Newton steps start at β = 0 and are halved when ℓ would fall (as
/// coxph does); converged when ℓ changes by less than 1e-13 relative and every step is below 1e-10 (1 + |β|).
public enum CoxRegression {
    /// `x[i][j]`: predictor j of case i; `time` > 0 or ≥ 0, `event` true for a death (false: censored then).
    public static func fit(x: [[Double]], time: [Double], event: [Bool], ties: CoxTies = .efron,
                           predictorNames: [String]? = nil, maxIterations: Int = 100) throws -> CoxFit {
        let n = x.count, p = x.first?.count ?? 0
        precondition(time.count == n && event.count == n && x.allSatisfy { $0.count == p })
        let names = predictorNames ?? (0..<p).map { "x\($0 + 1)" }
        let events = event.filter { $0 }.count
        guard p > 0 else { throw RadiomicsError("a Cox model needs at least one predictor") }
        guard events > 0 else { throw RadiomicsError("no events: a Cox model needs at least one death (event = 1)") }
        let problem = CoxProblem(x: x, time: time, event: event, ties: ties)
        for j in 0..<p where problem.isConstant(j) {
            throw RadiomicsError("predictor '\(names[j])' has the same value in every case: its hazard ratio cannot be estimated")
        }

        var beta = [Double](repeating: 0, count: p)
        var current = problem.evaluate(beta)
        let null = current
        guard let l0 = LinearAlgebra.cholesky(null.information) else {
            throw RadiomicsError("the predictors are collinear (their information matrix is singular at β = 0)")
        }
        let score = zip(null.gradient, LinearAlgebra.choleskySolve(l0, null.gradient)).reduce(0) { $0 + $1.0 * $1.1 }
        var iterations = 0
        var converged = false
        // A likelihood that keeps rising as a coefficient grows (R: "coefficient may be infinite") ends with an
        // information matrix that vanishes, or without convergence: either way the predictor is named.
        func diverging() -> RadiomicsError {
            let largest = beta.indices.max { abs(beta[$0]) < abs(beta[$1]) }!
            return RadiomicsError("the Cox fit did not converge in \(iterations) iterations ('\(names[largest])' at β = \(Format.number(beta[largest])): a hazard ratio that grows without bound, e.g. a predictor that orders the deaths perfectly)")
        }
        while iterations < maxIterations {
            iterations += 1
            guard let l = LinearAlgebra.cholesky(current.information) else { throw diverging() }
            var step = LinearAlgebra.choleskySolve(l, current.gradient)
            var candidate = zip(beta, step).map { $0 + $1 }
            var next = problem.evaluate(candidate)
            var halvings = 0
            while !(next.logLikelihood >= current.logLikelihood - 1e-12 * abs(current.logLikelihood)) && halvings < 30 {
                step = step.map { $0 / 2 }
                candidate = zip(beta, step).map { $0 + $1 }
                next = problem.evaluate(candidate)
                halvings += 1
            }
            let change = abs(next.logLikelihood - current.logLikelihood)
            let small = zip(step, candidate).allSatisfy { abs($0) <= 1e-10 * (1 + abs($1)) }
            beta = candidate
            current = next
            if change <= 1e-13 * abs(current.logLikelihood) && small { converged = true; break }
        }
        guard converged else { throw diverging() }
        guard let l = LinearAlgebra.cholesky(current.information) else {
            throw RadiomicsError("the predictors are collinear (the information matrix is singular at the solution)")
        }
        return CoxFit(coefficients: beta, covariance: LinearAlgebra.choleskyInverse(l), logLikelihood: current.logLikelihood,
                      nullLogLikelihood: null.logLikelihood, scoreTest: score, iterations: iterations, events: events, ties: ties)
    }
}

/// The data of one Cox fit, sorted by time, with centred predictors: evaluates ℓ, U and I at any β.
struct CoxProblem {
    let n: Int, p: Int
    /// Centred predictors, row-major, in time order (descending: the risk set grows as the pass goes on).
    let x: [Double]
    let event: [Bool]
    /// Times in the same (descending) order.
    let times: [Double]
    /// Start of each group of equal times in the sorted order, and its end (exclusive).
    let groups: [Range<Int>]
    let ties: CoxTies

    init(x rows: [[Double]], time: [Double], event: [Bool], ties: CoxTies) {
        let n = rows.count, p = rows.first?.count ?? 0
        self.n = n
        self.p = p
        let order = (0..<n).sorted { time[$0] > time[$1] || (time[$0] == time[$1] && $0 < $1) }
        var means = [Double](repeating: 0, count: p)
        for r in rows { for j in 0..<p { means[j] += r[j] } }
        means = means.map { $0 / Double(max(n, 1)) }
        var flat = [Double](repeating: 0, count: n * p)
        for (k, i) in order.enumerated() { for j in 0..<p { flat[k * p + j] = rows[i][j] - means[j] } }
        x = flat
        self.event = order.map { event[$0] }
        times = order.map { time[$0] }
        groups = equalTimeRuns(order, time: time).map(\.indices)
        self.ties = ties
    }

    func isConstant(_ j: Int) -> Bool { (0..<n).allSatisfy { x[$0 * p + j] == x[j] } }

    struct Value {
        var logLikelihood: Double
        var gradient: [Double]
        var information: [[Double]]
        /// With time weights g (one per group): Σ_t g_t U_t, Σ_t g_t I_t and Σ_t g_t² I_t, U_t and I_t the score
        /// and information of event time t (what a covariate x g(t) adds to the model, at its coefficient 0).
        var weighted: (gradient: [Double], information: [[Double]], squared: [[Double]])?
    }

    /// ℓ, U and I at β; with `timeWeights` (one per group of `groups`) also their time-weighted sums.
    func evaluate(_ beta: [Double], timeWeights g: [Double]? = nil) -> Value {
        var ll = 0.0
        var gradient = [Double](repeating: 0, count: p), info = [Double](repeating: 0, count: p * p)
        var weightedGradient = gradient, weightedInfo = info, squaredInfo = info
        // Risk-set sums S0, S1, S2 (lower triangle used), the same over the deaths of the current time, and the
        // current time's own score u and information v.
        var s0 = 0.0, s1 = [Double](repeating: 0, count: p), s2 = [Double](repeating: 0, count: p * p)
        var d1 = s1, d2 = s2, a = s1, u = s1, v = s2
        x.withUnsafeBufferPointer { x in
            for (index, group) in groups.enumerated() {
                var d0 = 0.0, deaths = 0
                for j in 0..<p { d1[j] = 0; u[j] = 0 }
                for k in 0..<(p * p) { d2[k] = 0; v[k] = 0 }
                for i in group {
                    let row = x.baseAddress! + i * p
                    var eta = 0.0
                    for j in 0..<p { eta += row[j] * beta[j] }
                    let r = exp(eta)
                    s0 += r
                    for j in 0..<p {
                        let rx = r * row[j]
                        s1[j] += rx
                        for k in 0...j { s2[j * p + k] += rx * row[k] }
                    }
                    if event[i] {
                        deaths += 1
                        d0 += r
                        ll += eta
                        for j in 0..<p {
                            let rx = r * row[j]
                            u[j] += row[j]
                            d1[j] += rx
                            for k in 0...j { d2[j * p + k] += rx * row[k] }
                        }
                    }
                }
                guard deaths > 0 else { continue }
                let d = Double(deaths)
                for r in 0..<deaths {
                    let f = ties == .efron ? Double(r) / d : 0
                    let den = s0 - f * d0
                    ll -= log(den)
                    for j in 0..<p {
                        a[j] = (s1[j] - f * d1[j]) / den
                        u[j] -= a[j]
                    }
                    for j in 0..<p {
                        for k in 0...j { v[j * p + k] += (s2[j * p + k] - f * d2[j * p + k]) / den - a[j] * a[k] }
                    }
                }
                for j in 0..<p { gradient[j] += u[j] }
                for k in 0..<(p * p) { info[k] += v[k] }
                if let g {
                    let w = g[index]
                    for j in 0..<p { weightedGradient[j] += w * u[j] }
                    for k in 0..<(p * p) { weightedInfo[k] += w * v[k]; squaredInfo[k] += w * w * v[k] }
                }
            }
        }
        func symmetric(_ lower: [Double]) -> [[Double]] {
            var m = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
            for j in 0..<p {
                for k in 0...j { m[j][k] = lower[j * p + k]; m[k][j] = lower[j * p + k] }
            }
            return m
        }
        return Value(logLikelihood: ll, gradient: gradient, information: symmetric(info),
                     weighted: g == nil ? nil : (weightedGradient, symmetric(weightedInfo), symmetric(squaredInfo)))
    }

    /// The time of each group of `groups`.
    var groupTimes: [Double] { groups.map { times[$0.lowerBound] } }
}
