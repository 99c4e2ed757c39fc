import FusionModel
import Foundation
import RadiomicsIO
import RadiomicsCore
import TestSupport
import Testing

@Suite struct FittingTests {
    static let features = """
    case_id,f1,f2
    A,0.1,1
    B,0.4,2
    C,0.35,3
    D,0.8,2.5
    """
    static let clinical = """
    case_id,afp,outcome
    D,10,1
    C,20,0
    B,30,1
    A,40,0
    """

    func problem(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as RadiomicsError { return e.description } catch { return "\(error)" }
    }

    @Test func tablesAreJoinedOnCaseID() throws {
        let d = try ModelData.join(tables: [CSVTable.parse(Self.features, source: "f.csv"), CSVTable.parse(Self.clinical, source: "c.csv")],
                                   predictors: ["f1", "afp"], outcome: "outcome")
        #expect(d.caseIDs == ["A", "B", "C", "D"])
        #expect(d.x == [[0.1, 40], [0.4, 30], [0.35, 20], [0.8, 10]])
        #expect(d.y == [0, 1, 0, 1])
    }

    @Test func joinProblemsAreNamed() throws {
        let f = try CSVTable.parse(Self.features, source: "f.csv")
        let short = try CSVTable.parse("case_id,afp,outcome\nA,1,0\nB,2,1\nC,3,0\n", source: "c.csv")
        #expect(problem { _ = try ModelData.join(tables: [f, short], predictors: ["f1"], outcome: "outcome") }
            == "c.csv: case 'D' (in f.csv) is missing from this table")
        #expect(problem { _ = try ModelData.join(tables: [short, f], predictors: ["f1"], outcome: "outcome") }
            == "c.csv: case 'D' (in f.csv) is missing from this table")
        #expect(problem { _ = try ModelData.join(tables: [f], predictors: ["f3"], outcome: nil) } == "no column 'f3' in f.csv")
        let bad = try CSVTable.parse("case_id,f1,y\nA,1,2\n", source: "b.csv")
        #expect(problem { _ = try ModelData.join(tables: [bad], predictors: ["f1"], outcome: "y") }
            == "b.csv: row 1 (line 2, case A), column 'y': outcome must be 0 or 1, not 2")
    }

    @Test func separationAndConstantPredictorsAreReported() throws {
        let sep = ModelData(caseIDs: ["a", "b", "c", "d"], predictorNames: ["x"], x: [[1], [2], [3], [4]], y: [0, 0, 1, 1])
        #expect(problem { _ = try ModelFitter.fit(sep, outcome: "y", options: FitOptions()) }?.contains("separated") == true)
        let constant = ModelData(caseIDs: ["a", "b", "c"], predictorNames: ["x"], x: [[1], [1], [1]], y: [0, 1, 1])
        #expect(problem { _ = try ModelFitter.fit(constant, outcome: "y", options: FitOptions()) } == "predictor 'x' is constant in the fitting data")
        // A ridge penalty makes the separated case estimable.
        let ridge = try ModelFitter.fit(sep, outcome: "y", options: FitOptions(penalty: .l2, lambda: 0.1))
        #expect(ridge.coefficients[1].estimate > 0)
    }

    @Test func foldsAreDeterministicStratifiedAndBalanced() {
        let y = (0..<103).map { Double($0 % 3 == 0 ? 1 : 0) }
        let a = CrossValidation.folds(outcome: y, k: 5, seed: 42)
        #expect(a == CrossValidation.folds(outcome: y, k: 5, seed: 42))
        #expect(a != CrossValidation.folds(outcome: y, k: 5, seed: 43))
        for f in 0..<5 {
            let members = y.indices.filter { a[$0] == f }
            #expect((20...21).contains(members.count))
            #expect((6...8).contains(members.filter { y[$0] == 1 }.count))
        }
    }

    /// LASSO with cross-validated λ on the reference data plus two pure-noise columns: the true predictors
    /// stay, the path is glmnet's (λ_max zeroes every coefficient), and the run is reproducible.
    @Test func lassoCrossValidationSelects() throws {
        var rng = SeededRandom(seed: 5)
        var table = try CSVTable.parse(ReferenceData.csv, source: "ref.csv")
        table.header += ["noise1", "noise2"]
        table.rows = table.rows.map { $0 + [String(rng.normal()), String(rng.normal())] }
        let data = try ModelData.join(tables: [table], predictors: ["x1", "x2", "x3", "noise1", "noise2"], outcome: "y")
        let options = FitOptions(penalty: .l1, cvFolds: 5, seed: 11)
        let m = try ModelFitter.fit(data, outcome: "y", options: options)
        let cv = try #require(m.crossValidation)
        #expect(cv.lambdas.count == 100 && cv.lambda1SE >= cv.lambdaMin)
        #expect(m.lambda == cv.lambdaMin)
        #expect(Set(["x1", "x3"]).isSubset(of: Set(m.selected)))
        let atMax = try ModelFitter.fit(data, outcome: "y", options: FitOptions(penalty: .l1, lambda: cv.lambdas[0] * (1 + 1e-9)))
        #expect(atMax.selected.isEmpty)
        let again = try ModelFitter.fit(data, outcome: "y", options: options)
        #expect(again == m)
        // 1se rule: a sparser or equal model.
        let sparse = try ModelFitter.fit(data, outcome: "y", options: FitOptions(penalty: .l1, cvFolds: 5, seed: 11, cvRule: "1se"))
        #expect(sparse.selected.count <= m.selected.count)
    }

    @Test func modelFileRoundTripsAndPredicts() throws {
        let dir = try TemporaryDirectory("fusionmodel")
        let data = try ModelData.join(tables: [CSVTable.parse(ReferenceData.csv, source: "ref.csv")], predictors: ["x1", "x2", "x3"], outcome: "y")
        let m = try ModelFitter.fit(data, outcome: "y", options: FitOptions())
        let path = dir.file("model.json")
        try m.write(to: path)
        let back = try LogisticModel.read(path: path)
        #expect(back == m)
        let eta = m.coefficients[0].estimate + m.coefficients[1].estimate * data.x[0][0] + m.coefficients[2].estimate * data.x[0][1]
            + m.coefficients[3].estimate * data.x[0][2]
        #expect(abs(back.probability(data.x[0]) - 1 / (1 + exp(-eta))) < 1e-15)
    }
}
