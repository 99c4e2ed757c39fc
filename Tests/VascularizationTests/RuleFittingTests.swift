import Foundation
import RadiomicsCore
import RadiomicsIO
import Testing
import TestSupport
import Vascularization

@Suite struct RuleFittingTests {
    /// Thresholds set far off are brought back by fitting to labelled cases, and the cross-validated accuracy says
    /// how well the re-tuned rules type cases they were not fitted on.
    @Test func fittingRecoversFromBadThresholds() throws {
        var cohort = SyntheticEvaluation.Cohort()
        cohort.seeds = Array(501...508)
        cohort.pixel = 1.4...1.8
        cohort.sliceThickness = 2.5...5
        let rows = SyntheticEvaluation.run(cohort)
        let cases = rows.map { RuleFitting.Labelled(caseID: $0.result.caseID, truth: $0.truth, quantities: $0.result.quantities) }
        var bad = VascularizationRules()
        bad.thresholds.hyperenhancementHU = 70
        bad.thresholds.heterogeneitySDHU = 80
        bad.thresholds.septumFraction = 0.9
        bad.thresholds.ringRimMinusCoreHU = 200
        let before = TypeAgreement(pairs: cases.map { ($0.truth, bad.classify($0.quantities).type) })
        let fit = try RuleFitting.fit(cases, start: bad, folds: 4, seed: 2)
        print("before: \(before.accuracy)\ncross-validated:\n\(fit.crossValidated.report)\ntraining:\n\(fit.training.report)")
        #expect(before.accuracy <= 0.5)
        #expect(fit.training.accuracy >= 0.95)
        #expect(fit.crossValidated.accuracy >= 0.8)
        #expect(fit.crossValidated.total == cases.count)
        #expect(fit.rules.description.contains("cross-validated accuracy"))
        // The fitted file reads back as the same rules.
        #expect(try VascularizationRules.parse(fit.rules.yaml(comment: "fitted")) == fit.rules)
    }

    @Test func tooFewCasesOrAMissingCaseAreErrors() throws {
        let one = RuleFitting.Labelled(caseID: "a", truth: 1, quantities: EnhancementQuantities())
        #expect(throws: RadiomicsError.self) { try RuleFitting.fit([one, one], start: VascularizationRules(), folds: 5) }
        let labels = try CSVTable.parse("case_id,type\nA,2\nB,3\n", source: "labels.csv")
        let quantities = try CSVTable.parse("case_id,type,arterial_tumour_minus_liver_hu,error\nA,2,30,\n", source: "q.csv")
        let e = #expect(throws: RadiomicsError.self) { try RuleFitting.labelled(labels: labels, quantities: quantities) }
        #expect(e?.description == "q.csv: case B (labelled in labels.csv) has no row here")
        let wrong = try CSVTable.parse("case_id,type\nA,5\n", source: "labels.csv")
        #expect(throws: RadiomicsError.self) { try RuleFitting.labelled(labels: wrong, quantities: quantities) }
    }
}
