import FusionModel
import Foundation
import RadiomicsIO
import Testing

/// Acceptance: our fit and validation statistics equal those of trusted implementations (statsmodels,
/// scikit-learn, scipy, a numpy DeLong equal to R pROC's) to 1e-6 relative, on the fixed data set of ReferenceData.swift.
/// The reference numbers were printed by the script in ReferenceData.swift (numpy 2, scipy 1.17,
/// statsmodels 0.15, scikit-learn 1.9).
@Suite struct ReferenceValuesTests {
    static let table = try! CSVTable.parse(ReferenceData.csv, source: "ReferenceData.csv")
    static let all = try! ModelData.join(tables: [table], predictors: ["x1", "x2", "x3"], outcome: "y")
    static let training = all.subset(Array(0..<200))
    static let validation = all.subset(Array(200..<300))
    static let model = try! ModelFitter.fit(training, outcome: "y", options: FitOptions())

    func close(_ ours: Double?, _ trusted: Double, relative: Double = 1e-6, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let ours else { Issue.record("missing value", sourceLocation: sourceLocation); return }
        #expect(abs(ours - trusted) <= relative * abs(trusted), "ours \(ours) vs trusted \(trusted)", sourceLocation: sourceLocation)
    }

    /// statsmodels: sm.Logit(y, add_constant(X)).fit(): params, bse, conf_int().
    @Test func coefficientsStandardErrorsAndWaldIntervals() {
        let coef = [-1.975115780317758, 0.9330991418268013, 0.02628153174574785, 0.8772333699167524]
        let se = [0.7656570190423582, 0.19060221198056057, 0.014320518658685468, 0.323484409942244]
        let ci = [[-3.4757759621510784, -0.47445559848443764], [0.5595256709712337, 1.306672612682369],
                  [-0.001786169065209512, 0.05434923255670521], [0.24321557686976358, 1.5112511629637413]]
        let m = Self.model
        #expect(m.coefficients.map(\.name) == ["(Intercept)", "x1", "x2", "x3"])
        for k in 0..<4 {
            close(m.coefficients[k].estimate, coef[k])
            close(m.coefficients[k].standardError, se[k])
            close(m.coefficients[k].ciLower, ci[k][0])
            close(m.coefficients[k].ciUpper, ci[k][1])
        }
        #expect(m.cases == 200 && m.events == Int(Self.training.y!.reduce(0, +)))
    }

    /// Apparent performance on the 200 training cases.
    @Test func trainingDiscriminationAndCalibration() throws {
        let p = Self.model.probabilities(Self.training)
        let e = try Evaluation(caseIDs: Self.training.caseIDs, predicted: p, outcome: Self.training.y!, bootstrapReplicates: 200)
        close(e.delong.auc, 0.7302121583027336)  // DeLong: numpy script and pROC 1.18.0 ci.auc(method = "delong")
        close(e.delong.lower, 0.6582623984949931)
        close(e.delong.upper, 0.802161918110474)
        close(e.hosmerLemeshow.statistic, 5.864098870067381)
        close(e.hosmerLemeshow.pValue, 0.6624517071442475)
        #expect(e.hosmerLemeshow.degreesOfFreedom == 8)
        close(e.calibration.brier, 0.20233718744720935)
        close(e.calibration.slope, 1.0000000000000002)
        #expect(abs(e.calibration.intercept) < 1e-9)  // statsmodels: 5.3e-17
    }

    /// The training-fitted model applied to the 100 validation cases.
    @Test func validationDiscriminationAndCalibration() throws {
        let p = Self.model.probabilities(Self.validation)
        let e = try Evaluation.of(model: Self.model, data: Self.validation, bootstrapReplicates: 500, seed: 7)
        #expect(e.predicted == p)
        close(e.delong.auc, 0.7294917967186875)
        close(e.delong.lower, 0.6276236184788856)
        close(e.delong.upper, 0.8313599749584893)
        close(e.hosmerLemeshow.statistic, 19.760159371788074)
        close(e.hosmerLemeshow.pValue, 0.011282550139218597)
        close(e.calibration.brier, 0.22217500395470258)
        close(e.calibration.slope, 0.9407561191325131)
        close(e.calibration.intercept, 0.46786467686133787)
        // Bootstrap interval: seeded, so reproducible; it must bracket the AUC and resemble DeLong's.
        let again = try Evaluation.of(model: Self.model, data: Self.validation, bootstrapReplicates: 500, seed: 7)
        #expect(again.bootstrap == e.bootstrap)
        #expect(e.bootstrap.lower < e.delong.auc && e.delong.auc < e.bootstrap.upper)
        #expect(abs(e.bootstrap.lower - e.delong.lower) < 0.03 && abs(e.bootstrap.upper - e.delong.upper) < 0.03)
    }

    /// scikit-learn LogisticRegression on standardised columns (population SD), C = 1/(n λ):
    /// ridge with lbfgs, LASSO and elastic net with saga, tol 1e-15 (glmnet's objective, see PenalisedLogistic).
    @Test(arguments: [
        (Penalty.l2, 0.0, 0.05, [-0.31291340861321915, 0.6468156248678372, 0.20804178393590125, 0.3319608681101623]),
        (Penalty.l1, 1.0, 0.02, [-0.31526464681390926, 0.7042872703922514, 0.1692570152126365, 0.314764558628827]),
        (Penalty.elasticnet, 0.5, 0.03, [-0.31376565450955296, 0.6785636464203618, 0.17715636466791476, 0.3157906236025229]),
    ])
    func penalisedFitsMatchScikitLearn(penalty: Penalty, alpha: Double, lambda: Double, standardized: [Double]) throws {
        let m = try ModelFitter.fit(Self.training, outcome: "y", options: FitOptions(penalty: penalty, alpha: alpha, lambda: lambda))
        for k in 0..<4 { close(m.coefficients[k].standardized, standardized[k]) }
        #expect(m.coefficients[1].standardError == nil)
        // Original scale: beta_j = gamma_j / sd_j.
        for j in 0..<3 { close(m.coefficients[j + 1].estimate, m.coefficients[j + 1].standardized / m.predictors[j].sd, relative: 1e-12) }
    }

    @Test func specialFunctionsMatchScipy() {
        // scipy.special.gammainc / gammaincc
        close(SpecialFunctions.regularizedGammaP(0.5, 0.1), 0.34527915398142317, relative: 1e-12)
        close(SpecialFunctions.regularizedGammaP(2.5, 1.3), 0.23863473215498604, relative: 1e-12)
        close(SpecialFunctions.regularizedGammaQ(4, 20), 3.203719780476998e-06, relative: 1e-10)
        close(SpecialFunctions.regularizedGammaP(10, 3), 0.0011024881301154815, relative: 1e-10)
        close(SpecialFunctions.regularizedGammaQ(4, 2.932), 0.6624627740015454, relative: 1e-12)
        // scipy.stats.chi2.sf(15.507313055865453, 8) = 0.05 (the 95th percentile with 8 df)
        close(SpecialFunctions.chiSquareSurvival(15.507313055865453, degreesOfFreedom: 8), 0.05, relative: 1e-12)
    }
}
