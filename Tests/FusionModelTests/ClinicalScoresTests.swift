import FusionModel
import Testing

@Suite struct ALBITests {
    /// Hand-worked: bilirubin 10 umol/L, albumin 40 g/L -> 0.66 * 1 - 3.4 = -2.74, grade 1.
    @Test func handWorkedScore() {
        let s = ALBI.score(bilirubinMicromolPerL: 10, albuminGramsPerL: 40)
        #expect(abs(s - (-2.74)) < 1e-12)
        #expect(ALBI.grade(score: s) == 1)
    }

    @Test func gradeCutOffsAtAndJustAboveTheBoundaries() {
        #expect(ALBI.grade(score: -2.60) == 1)
        #expect(ALBI.grade(score: -2.60 + 1e-9) == 2)
        #expect(ALBI.grade(score: -1.39) == 2)
        #expect(ALBI.grade(score: -1.39 + 1e-9) == 3)
    }
}
