import FusionModel
import Foundation
import Testing

@Suite struct PTACETests {
    @Test func afpCutOffs() {
        #expect(PTACE.afpGrade(80) == 1)
        #expect(PTACE.afpGrade(80.0001) == 2)
        #expect(PTACE.afpGrade(4000) == 2)
        #expect(PTACE.afpGrade(4000.0001) == 3)
    }

    @Test func ggtCutOffs() {
        #expect(PTACE.ggtGrade(50) == 1)
        #expect(PTACE.ggtGrade(50.0001) == 2)
        #expect(PTACE.ggtGrade(75) == 2)
        #expect(PTACE.ggtGrade(75.0001) == 3)
        #expect(PTACE.ggtGrade(135) == 3)
        #expect(PTACE.ggtGrade(135.0001) == 4)
    }

    @Test func pointsPerFactorAndSizeCutOff() {
        func s(type: Int = 1, albi: Int = 1, afp: Double = 10, ggt: Double = 10, size: Double = 2) -> Double {
            PTACE.score(vascularizationType: type, albiGrade: albi, afp: afp, ggt: ggt, tumorSizeCM: size)
        }
        #expect(s() == 0)
        #expect(s(type: 2) == 0)
        #expect(s(type: 3) == 5.5)
        #expect(s(type: 4) == 5.5)
        #expect(s(albi: 2) == 3.5)
        #expect(s(albi: 3) == 3.5)
        #expect(s(afp: 80) == 0)
        #expect(s(afp: 80.0001) == 3)
        #expect(s(afp: 4000) == 3)
        #expect(s(afp: 4000.0001) == 5)
        #expect(s(ggt: 50) == 0)
        #expect(s(ggt: 50.0001) == 1)
        #expect(s(ggt: 75) == 1)
        #expect(s(ggt: 75.0001) == 2)
        #expect(s(ggt: 135) == 2)
        #expect(s(ggt: 135.0001) == 3.5)
        #expect(s(size: 5) == 0)
        #expect(s(size: 5.0001) == 2)
        #expect(s(type: 4, albi: 3, afp: 5000, ggt: 200, size: 9) == 19.5)
    }

    @Test func gradeCutOffsAtAndJustAboveTheBoundaries() {
        #expect(PTACE.grade(score: 0) == 1)
        #expect(PTACE.grade(score: 3.5) == 1)
        let boundaries: [(Double, Int)] = [(4, 2), (7, 3), (10, 4), (13, 5), (16, 6)]
        for (b, g) in boundaries {
            #expect(PTACE.grade(score: b.nextDown) == g - 1)
            #expect(PTACE.grade(score: b) == g)
            #expect(PTACE.grade(score: b + 0.5) == g)
        }
        #expect(PTACE.grade(score: 19.5) == 6)
        #expect(PTACE.risk(grade: 1) == 0.134)
        #expect(PTACE.risk(grade: 6) == 0.881)
    }

    /// Hand-worked patient: type 3 (5.5), bilirubin 20 umol/L and albumin 35 g/L -> ALBI 0.66 log10(20) - 2.975
    /// = -2.11632 (grade 2, 3.5), AFP 120 (3), gGT 80 (grade 3, 2), size 6 cm (2): score 16 -> grade 6, risk 88.1%.
    /// Logistic: eta = -5.242 + 1.327 + 0.936 + 0.531 + 0.783 + 0.526 = -1.139, p = 1/(1 + e^1.139) = 0.242504...
    @Test func handWorkedPatient() {
        let r = PTACEResult(ClinicalRecord(caseID: "P1", vascularizationType: 3, afp: 120, ggt: 80, albumin: 35, bilirubin: 20, tumorSizeCM: 6))
        #expect(abs(r.albiScore - (0.66 * log10(20.0) - 2.975)) < 1e-12)
        #expect(abs(r.albiScore - (-2.116320)) < 1e-6)
        #expect(r.albiGrade == 2)
        #expect(r.afpGrade == 2 && r.ggtGrade == 3)
        #expect(r.score == 16)
        #expect(r.grade == 6)
        #expect(r.risk == 0.881)
        #expect(abs(r.probability - 1 / (1 + exp(1.139))) < 1e-12)
        #expect(abs(r.probability - 0.2425040) < 1e-7)
        #expect(r.csvRow.hasPrefix("P1,-2.1163"))
    }

    /// Lowest-risk patient: every indicator 0, p = 1/(1 + e^5.242); ALBI grade 1 (bilirubin 10, albumin 40 -> -2.74).
    @Test func lowestRiskPatient() {
        let r = PTACEResult(ClinicalRecord(caseID: "P2", vascularizationType: 1, afp: 80, ggt: 50, albumin: 40, bilirubin: 10, tumorSizeCM: 5))
        #expect(r.score == 0 && r.grade == 1 && r.albiGrade == 1)
        #expect(abs(r.probability - 1 / (1 + exp(5.242))) < 1e-15)
    }

    @Test func indicatorsOfTheLogisticModel() {
        #expect(PTACE.indicators(vascularizationType: 4, albiGrade: 3, afp: 4000.0001, ggt: 135.0001, tumorSizeCM: 5.0001)
            == [1, 1, 1, 0, 1, 0, 0, 1])
        #expect(PTACE.indicators(vascularizationType: 2, albiGrade: 1, afp: 80.0001, ggt: 50.0001, tumorSizeCM: 5)
            == [0, 0, 0, 1, 0, 1, 0, 0])
    }
}
