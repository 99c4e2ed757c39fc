import Figures
import FusionModel
import Foundation
import RadiomicsIO
import TestSupport
import Testing

@Suite struct ReportTests {
    @Test func reportDirectoryHoldsThePlotsAndIndex() throws {
        let data = try ModelData.join(tables: [CSVTable.parse(ReferenceData.csv, source: "ref.csv")], predictors: ["x1", "x2", "x3"], outcome: "y")
        let model = try ModelFitter.fit(data.subset(Array(0..<200)), outcome: "y", options: FitOptions())
        let e = try Evaluation.of(model: model, data: data.subset(Array(200..<300)), bootstrapReplicates: 200)
        let dir = try TemporaryDirectory("fusionmodel-report")
        try Report.write(e, model: model, to: dir.path)
        for name in ["roc", "calibration", "decision_curve", "nomogram"] {
            let png = try #require(FileManager.default.contents(atPath: dir.file(name + ".png")))
            #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(name).png is a PNG")
            let svg = try String(contentsOfFile: dir.file(name + ".svg"), encoding: .utf8)
            #expect(svg.contains("<svg") && svg.contains("</svg>"), "\(name).svg is an SVG")
        }
        let html = try String(contentsOfFile: dir.file("index.html"), encoding: .utf8)
        for name in ["roc.png", "roc.svg", "calibration.png", "calibration.svg", "decision_curve.png", "nomogram.png", "nomogram.svg",
                     "hl_pvalue", "auc_ci_lower"] {
            #expect(html.contains(name))
        }
    }

    /// The figures' text is set in a real font: widths grow with the text and the size, a wide letter is wider
    /// than a narrow one, and drawn text leaves dark pixels in the PNG.
    @Test func figuresSetTextInARealFont() throws {
        #expect(Figure.textWidth("W") > Figure.textWidth("i") && Figure.textWidth("AUC", size: 22) > 1.9 * Figure.textWidth("AUC", size: 11))
        #expect(Figure.textWidth("") == 0 && Figure.textWidth("0.95") > 10)
        let dir = try TemporaryDirectory("figures")
        var text = Figure(width: 60, height: 20), blank = Figure(width: 60, height: 20)
        text.text("AUC", at: Point(4, 15), size: 14)
        try text.writePNG(to: dir.file("text.png"))
        try blank.writePNG(to: dir.file("blank.png"))
        let drawn = try #require(FileManager.default.contents(atPath: dir.file("text.png")))
        let empty = try #require(FileManager.default.contents(atPath: dir.file("blank.png")))
        #expect(drawn.count > empty.count + 100, "\(drawn.count) against \(empty.count) bytes")
    }

    /// Net benefit by hand: 4 cases, p = (0.9, 0.6, 0.3, 0.1), y = (1, 0, 1, 0). At pt = 0.5 two are treated
    /// (TP 1, FP 1): NB = 1/4 − 1/4 · 1 = 0; treat-all = 0.5 − 0.5 · 1 = 0. At pt = 0.25: TP 2, FP 1:
    /// NB = 0.5 − 0.25/3 = 0.41667; treat-all 0.5 − 0.5/3 = 0.33333.
    @Test func decisionCurveByHand() {
        let points = DecisionCurve.netBenefit(predicted: [0.9, 0.6, 0.3, 0.1], outcome: [1, 0, 1, 0], thresholds: [0.25, 0.5])
        #expect(abs(points[0].model - (0.5 - 0.25 / 3)) < 1e-15)
        #expect(abs(points[0].treatAll - (0.5 - 0.5 / 3)) < 1e-15)
        #expect(abs(points[1].model) < 1e-15 && abs(points[1].treatAll) < 1e-15)
        #expect(DecisionCurve.defaultThresholds.count == 99 && DecisionCurve.defaultThresholds.first == 0.01)
    }

    /// AUC with ties by hand: events (0.8, 0.5), non-events (0.5, 0.2): pairs 1, 1, 0.5, 1 -> 3.5/4.
    @Test func aucWithTies() {
        let r = ROC.delong(scores: [0.8, 0.5, 0.5, 0.2], outcome: [1, 1, 0, 0])
        #expect(r.auc == 0.875)
        #expect(ROC.auc(scores: [0.8, 0.5, 0.5, 0.2], outcome: [1, 1, 0, 0]) == 0.875)
    }
}

/// The survival report: its four figures as PNG and SVG, and the page with the evaluation's numbers.
@Suite struct SurvivalReportTests {
    @Test func reportDirectoryHoldsTheFiguresAndIndex() throws {
        let table = try CSVTable.parse(SurvivalReference.a + "\n", source: "A")
        let data = try ModelData.join(tables: [table], predictors: ["age", "afp"], outcome: nil, survival: ("time", "event"))
        let model = try CoxModel.fit(data, ties: .efron)
        let e = try SurvivalEvaluation.of(model: model, data: data, groups: 2, times: [2, 4, 6], calibrationGroups: 3)
        let dir = try TemporaryDirectory("survival-report")
        try SurvivalReport.write(e, model: model, data: data, to: dir.path)
        for name in ["kaplan_meier", "calibration", "time_dependent_auc", "nomogram"] {
            let png = try #require(FileManager.default.contents(atPath: dir.file(name + ".png")), "\(name).png")
            #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(name).png is a PNG")
            let svg = try String(contentsOfFile: dir.file(name + ".svg"), encoding: .utf8)
            #expect(svg.contains("<svg") && svg.contains("</svg>"), "\(name).svg is an SVG")
        }
        let html = try String(contentsOfFile: dir.file("index.html"), encoding: .utf8)
        for text in ["kaplan_meier.svg", "time_dependent_auc.png", "c_index", "integrated_brier_score", Format.number(e.concordance.index),
                     "High risk", "not reached"] {
            #expect(html.contains(text), "\(text)")
        }
        // Time ticks follow evenly spaced times (12, 24, 36 months give 0, 12, ..., 60), round values otherwise.
        #expect(SurvivalReport.timeTicks(end: 60.1, times: [12, 24, 36]) == [0, 12, 24, 36, 48, 60])
        #expect(SurvivalReport.timeTicks(end: 21.3, times: [2.5, 5, 10]) == [0, 5, 10, 15, 20])
        // The nomogram's survival scale: a case's total points give its predicted survival.
        let n = Nomogram(model: model)
        let ticks = n.survivalTicks(model: model, at: 4)
        #expect(ticks.count >= 3)
        for tick in ticks {
            let eta = n.eta0 + tick.points * n.d / 100
            #expect(abs(exp(-model.baselineCumulativeHazard(at: 4) * exp(eta)) - tick.survival) < 1e-12)
        }
    }
}
