import Foundation

/// The p-TACE score: pre-treatment risk of TACE refractoriness (824 patients; training AUC 0.784,
/// validation 0.743). Points, grades, published risks and the logistic model behind it are those of
/// shared/docs/DOMAIN.md.
///
/// | factor | category | points |
/// |---|---|---|
/// | vascularization pattern | type 1/2 · type 3/4 | 0 · 5.5 |
/// | ALBI grade | 1 · 2/3 | 0 · 3.5 |
/// | AFP (ng/mL) | <= 80 · (80, 4000] · > 4000 | 0 · 3 · 5 |
/// | gGT (U/L) | <= 50 · (50, 75] · (75, 135] · > 135 | 0 · 1 · 2 · 3.5 |
/// | tumour size (cm) | <= 5 · > 5 | 0 · 2 |
public enum PTACE {
    /// AFP category 1 (<= 80 ng/mL), 2 (> 80 and <= 4000), 3 (> 4000).
    public static func afpGrade(_ afp: Double) -> Int { afp <= 80 ? 1 : afp <= 4000 ? 2 : 3 }

    /// gGT category 1 (<= 50 U/L), 2 (<= 75), 3 (<= 135), 4 (> 135).
    public static func ggtGrade(_ ggt: Double) -> Int { ggt <= 50 ? 1 : ggt <= 75 ? 2 : ggt <= 135 ? 3 : 4 }

    /// Score 0 to 19.5. All points are multiples of 0.5, so the sum is exact in floating point.
    public static func score(vascularizationType: Int, albiGrade: Int, afp: Double, ggt: Double, tumorSizeCM: Double) -> Double {
        let vascular = vascularizationType >= 3 ? 5.5 : 0
        let albi = albiGrade >= 2 ? 3.5 : 0
        let afpPoints = [0.0, 3, 5][afpGrade(afp) - 1]
        let ggtPoints = [0.0, 1, 2, 3.5][ggtGrade(ggt) - 1]
        let size = tumorSizeCM > 5 ? 2.0 : 0
        return vascular + albi + afpPoints + ggtPoints + size
    }

    /// Risk grade 1-6: 1 (< 4), 2 (>= 4), 3 (>= 7), 4 (>= 10), 5 (>= 13), 6 (>= 16).
    public static func grade(score: Double) -> Int {
        if score >= 16 { return 6 }
        if score >= 13 { return 5 }
        if score >= 10 { return 4 }
        if score >= 7 { return 3 }
        if score >= 4 { return 2 }
        return 1
    }

    /// Published estimated risk of refractoriness by grade, training cohort (fraction, not %).
    public static let trainingRisk = [0.134, 0.251, 0.421, 0.611, 0.773, 0.881]
    /// Published estimated risk by grade, validation cohort (fraction).
    public static let validationRisk = [0.187, 0.300, 0.444, 0.598, 0.735, 0.838]

    /// Published risk for a grade 1-6 (training cohort).
    public static func risk(grade: Int) -> Double { trainingRisk[grade - 1] }

    /// Coefficients of the published logistic model (training cohort, n = 412), in the order of `modelTerms`.
    public static let modelIntercept = -5.242
    public static let modelTerms = ["type_3_4", "albi_2_3", "size_gt_5", "afp_grade_2", "afp_grade_3",
                                    "ggt_grade_2", "ggt_grade_3", "ggt_grade_4"]
    public static let modelCoefficients = [1.327, 0.936, 0.531, 0.783, 1.217, 0.259, 0.526, 0.935]

    /// The 0/1 indicators of `modelTerms` for one patient.
    public static func indicators(vascularizationType: Int, albiGrade: Int, afp: Double, ggt: Double, tumorSizeCM: Double) -> [Double] {
        let a = afpGrade(afp), g = ggtGrade(ggt)
        let flags = [vascularizationType >= 3, albiGrade >= 2, tumorSizeCM > 5, a == 2, a == 3, g == 2, g == 3, g == 4]
        return flags.map { $0 ? 1 : 0 }
    }

    /// Probability from the published logistic model: p = 1 / (1 + e^(−η)),
    /// η = −5.242 + 1.327 [type 3/4] + 0.936 [ALBI 2/3] + 0.531 [size > 5 cm] + 0.783 [AFP grade 2]
    ///     + 1.217 [AFP grade 3] + 0.259 [gGT grade 2] + 0.526 [gGT grade 3] + 0.935 [gGT grade 4].
    public static func probability(vascularizationType: Int, albiGrade: Int, afp: Double, ggt: Double, tumorSizeCM: Double) -> Double {
        let x = indicators(vascularizationType: vascularizationType, albiGrade: albiGrade, afp: afp, ggt: ggt, tumorSizeCM: tumorSizeCM)
        let eta = zip(modelCoefficients, x).reduce(modelIntercept) { $0 + $1.0 * $1.1 }
        return SpecialFunctions.logistic(eta)
    }
}

/// ALBI and p-TACE results for one patient.
public struct PTACEResult: Sendable, Equatable {
    public var caseID: String
    /// The tumour size used (from the clinical table, or measured on the mask), cm.
    public var tumorSizeCM: Double
    public var albiScore: Double
    public var albiGrade: Int
    public var afpGrade: Int
    public var ggtGrade: Int
    public var score: Double
    public var grade: Int
    /// Published risk for the grade (training cohort), fraction.
    public var risk: Double
    /// Probability from the published logistic model.
    public var probability: Double

    public init(_ r: ClinicalRecord) {
        caseID = r.caseID
        tumorSizeCM = r.tumorSizeCM
        albiScore = ALBI.score(bilirubinMicromolPerL: r.bilirubin, albuminGramsPerL: r.albumin)
        albiGrade = ALBI.grade(score: albiScore)
        afpGrade = PTACE.afpGrade(r.afp)
        ggtGrade = PTACE.ggtGrade(r.ggt)
        score = PTACE.score(vascularizationType: r.vascularizationType, albiGrade: albiGrade, afp: r.afp, ggt: r.ggt, tumorSizeCM: r.tumorSizeCM)
        grade = PTACE.grade(score: score)
        risk = PTACE.risk(grade: grade)
        probability = PTACE.probability(vascularizationType: r.vascularizationType, albiGrade: albiGrade, afp: r.afp, ggt: r.ggt,
                                        tumorSizeCM: r.tumorSizeCM)
    }

    public static let csvHeader = "case_id,albi_score,albi_grade,afp_grade,ggt_grade,tumor_size_cm,ptace_score,ptace_grade,ptace_risk,ptace_probability"

    public var csvRow: String {
        [CSVWriter.field(caseID), Format.number(albiScore), String(albiGrade), String(afpGrade), String(ggtGrade),
         Format.number(tumorSizeCM), Format.number(score), String(grade), Format.number(risk), Format.number(probability)].joined(separator: ",")
    }

    public var json: JSONValue {
        .object([("case_id", .string(caseID)), ("albi_score", .number(albiScore)), ("albi_grade", .int(albiGrade)),
                 ("afp_grade", .int(afpGrade)), ("ggt_grade", .int(ggtGrade)), ("tumor_size_cm", .number(tumorSizeCM)), ("ptace_score", .number(score)),
                 ("ptace_grade", .int(grade)), ("ptace_risk", .number(risk)), ("ptace_probability", .number(probability))])
    }
}

/// Output of `radiomics model ptace`.
public enum PTACETable {
    /// Reads the clinical table and scores every patient (errors name row and column; nothing is dropped).
    /// With `featuresPath`, tumour sizes missing from the clinical table are the masks' largest diameters.
    public static func score(clinicalPath: String, featuresPath: String? = nil) throws -> [PTACEResult] {
        try score(clinicalPath: clinicalPath, featuresPath: featuresPath, vascularizationPath: nil).results
    }

    /// Scores every case; sizes missing from the clinical table come from `featuresPath`, types from
    /// `vascularizationPath` (`radiomics vasc classify --format csv`). Returns the warnings too.
    public static func score(clinicalPath: String, featuresPath: String?, vascularizationPath: String?)
        throws -> (results: [PTACEResult], warnings: [String]) {
        let sizes = try featuresPath.map(TumourSizes.read)
        let types = try vascularizationPath.map(MeasuredTypes.read)
        let table = try ClinicalTable.read(path: clinicalPath, measuredSizes: sizes, measuredTypes: types)
        return (table.records.map(PTACEResult.init), table.warnings)
    }

    public static func csv(_ results: [PTACEResult]) -> String {
        ([PTACEResult.csvHeader] + results.map(\.csvRow)).joined(separator: "\n") + "\n"
    }

    public static func json(_ results: [PTACEResult]) -> String { JSONValue.array(results.map(\.json)).rendered() + "\n" }
}
