import Foundation
import RadiomicsCore

/// The test of proportional hazards by scaled Schoenfeld residuals, as R survival 3.x's `cox.zph` (default
/// transform "km") computes it (Grambsch & Therneau 1994; Therneau & Grambsch 2000, §6.2): the score test, at
/// the fitted β and 0, of adding x_j g(t) to the model, g(t) = 1 − S(t−) from the Kaplan-Meier estimate of all
/// cases, centred on its mean over the deaths. A covariate x g(t) changes each event time's score and
/// information by the factor g(t), so the test needs U and I of each time: u = Σ_t g_t U_t (the added
/// coefficients' score; the model's own is 0 at β̂) against the information [[Σ I_t, Σ g I_t], [Σ g I_t, Σ g² I_t]].
/// Per predictor (1 degree of freedom) and global (p degrees).
public struct ProportionalHazardsTest: Sendable {
    public var predictors: [String]
    public var chiSquare: [Double]
    public var global: Double
    public var pValues: [Double] { chiSquare.map { SpecialFunctions.chiSquareSurvival($0, degreesOfFreedom: 1) } }
    public var globalPValue: Double { SpecialFunctions.chiSquareSurvival(global, degreesOfFreedom: Double(predictors.count)) }

    /// For the model with coefficients `beta` fitted to these cases.
    public init(x: [[Double]], time: [Double], event: [Bool], ties: CoxTies, beta: [Double], predictorNames: [String]) throws {
        let p = beta.count
        // g at each death: 1 − S(t−), S the Kaplan-Meier estimate over every time; centred over the deaths.
        let km = KaplanMeier(time: time, event: event)
        let stepTimes = km.steps.map(\.time)
        func before(_ t: Double) -> Double { lastIndex(atOrBefore: t, in: stepTimes, strictly: true).map { km.steps[$0].survival } ?? 1 }
        let deathTimes = time.indices.filter { event[$0] }.map { time[$0] }
        let mean = deathTimes.reduce(0) { $0 + (1 - before($1)) } / Double(deathTimes.count)
        let problem = CoxProblem(x: x, time: time, event: event, ties: ties)
        let value = problem.evaluate(beta, timeWeights: problem.groupTimes.map { 1 - before($0) - mean })
        let (u, i12, i22) = value.weighted!
        let i11 = value.information
        func test(_ columns: [Int]) throws -> Double {
            // Rows and columns: the p model coefficients, then the added ones in `columns`.
            let m = p + columns.count
            var info = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
            for a in 0..<p { for b in 0..<p { info[a][b] = i11[a][b] } }
            for (k, c) in columns.enumerated() {
                for a in 0..<p { info[a][p + k] = i12[a][c]; info[p + k][a] = i12[c][a] }
                for (l, e) in columns.enumerated() { info[p + k][p + l] = i22[c][e] }
            }
            let score = [Double](repeating: 0, count: p) + columns.map { u[$0] }
            guard let l = LinearAlgebra.cholesky(info) else {
                throw RadiomicsError("the proportional-hazards test has a singular information matrix (too few events at distinct times)")
            }
            return zip(score, LinearAlgebra.choleskySolve(l, score)).reduce(0) { $0 + $1.0 * $1.1 }
        }
        predictors = predictorNames
        chiSquare = try (0..<p).map { try test([$0]) }
        global = try test(Array(0..<p))
    }
}
