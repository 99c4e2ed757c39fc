import FusionModel
import RadiomicsCore
import Testing

/// A cohort simulated from the published p-TACE logistic model is fitted back: every coefficient
/// (intercept included) must lie within two standard errors of the value it was simulated from.
@Suite struct SimulationTests {
    @Test func publishedPTACEModelIsRecovered() throws {
        var rng = SeededRandom(seed: 20_240_611)
        let n = 5000
        func draw(_ probabilities: [Double]) -> Int {
            var u = rng.uniform(), k = 0
            while k < probabilities.count - 1, u >= probabilities[k] { u -= probabilities[k]; k += 1 }
            return k + 1
        }
        var x: [[Double]] = [], y: [Double] = []
        for _ in 0..<n {
            let type = rng.uniform() < 0.45 ? 3 : 1
            let albi = rng.uniform() < 0.5 ? 2 : 1
            let size = rng.uniform() < 0.4 ? 7.0 : 3.0
            let afp = [10.0, 500, 8000][draw([0.55, 0.3, 0.15]) - 1]
            let ggt = [30.0, 60, 100, 300][draw([0.3, 0.2, 0.25, 0.25]) - 1]
            let row = PTACE.indicators(vascularizationType: type, albiGrade: albi, afp: afp, ggt: ggt, tumorSizeCM: size)
            let p = PTACE.probability(vascularizationType: type, albiGrade: albi, afp: afp, ggt: ggt, tumorSizeCM: size)
            x.append(row)
            y.append(rng.uniform() < p ? 1 : 0)
        }
        let data = ModelData(caseIDs: (1...n).map { "S\($0)" }, predictorNames: PTACE.modelTerms, x: x, y: y)
        let model = try ModelFitter.fit(data, outcome: "refractory", options: FitOptions())
        let truth = [PTACE.modelIntercept] + PTACE.modelCoefficients
        for (c, t) in zip(model.coefficients, truth) {
            let se = try #require(c.standardError)
            #expect(abs(c.estimate - t) <= 2 * se, "\(c.name): \(c.estimate) ± \(se) vs \(t)")
        }
    }
}
