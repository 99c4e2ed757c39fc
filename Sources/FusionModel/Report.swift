import Foundation
import RadiomicsCore

/// The validation report of `radiomics model evaluate --report DIR`: roc.png, calibration.png,
/// decision_curve.png, nomogram.png (when a model is given) and index.html showing them with the numbers.
public enum Report {
    public static func write(_ e: Evaluation, model: LogisticModel?, to directory: String, seed: UInt64 = 1) throws {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw RadiomicsError(file: directory, "cannot create the report directory: \(error.localizedDescription)")
        }
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        try roc(e, seed: seed).write(to: path("roc.png"))
        try calibration(e).write(to: path("calibration.png"))
        try decisionCurve(e).write(to: path("decision_curve.png"))
        if let model { try nomogram(model).write(to: path("nomogram.png")) }
        do { try html(e, model: model).write(toFile: path("index.html"), atomically: true, encoding: .utf8) } catch {
            throw RadiomicsError(file: path("index.html"), "cannot write: \(error.localizedDescription)")
        }
    }

    static func f(_ v: Double, _ d: Int = 3) -> String { String(format: "%.\(d)f", v) }

    /// ROC curve with a pointwise 95% bootstrap band of sensitivity and the diagonal of chance.
    public static func roc(_ e: Evaluation, seed: UInt64 = 1) -> Canvas {
        var c = Chart(x: 0...1, y: 0...1)
        let grid = (0...100).map { Double($0) / 100 }
        let band = ROC.bootstrapBand(scores: e.predicted, outcome: e.outcome, grid: grid, replicates: 500, seed: seed)
        c.band(xs: grid, lower: band.lower, upper: band.upper, .lightBlue)
        let ticks = stride(from: 0.0, through: 1.0, by: 0.2).map { $0 }
        c.axes(title: "ROC  AUC \(f(e.delong.auc)) (95% CI \(f(e.delong.lower))-\(f(e.delong.upper)))",
               xLabel: "1 - specificity", yLabel: "Sensitivity", xTicks: ticks, yTicks: ticks)
        c.curve([(0, 0), (1, 1)], .grey, thickness: 1, dash: 6)
        // Step curve: horizontal then vertical moves between successive points.
        let pts = ROC.curve(scores: e.predicted, outcome: e.outcome)
        c.curve(pts.map { ($0.fpr, $0.tpr) }, .blue, thickness: 3)
        c.legend([("Model", .blue), ("95% bootstrap band", .lightBlue), ("Chance", .grey)], bottomRight: true)
        return c.canvas
    }

    /// Observed event rate against mean predicted risk in the 10 Hosmer-Lemeshow groups, with the ideal line.
    public static func calibration(_ e: Evaluation) -> Canvas {
        let groups = e.hosmerLemeshow.groups
        let top = min(1, max(0.2, ceil(10 * (groups.map { max($0.meanPredicted, $0.observedRate) }.max() ?? 1)) / 10 + 0.05))
        var c = Chart(x: 0...top, y: 0...top)
        let ticks = Chart.niceTicks(0, top, count: 5)
        c.axes(title: "Calibration  slope \(f(e.calibration.slope, 2))  intercept \(f(e.calibration.intercept, 2))",
               xLabel: "Predicted risk (deciles)", yLabel: "Observed rate", xTicks: ticks, yTicks: ticks)
        c.curve([(0, 0), (top, top)], .grey, thickness: 1, dash: 6)
        let points = groups.map { ($0.meanPredicted, $0.observedRate) }
        c.curve(points, .blue, thickness: 2)
        c.markers(points, .blue)
        c.canvas.text("HL = \(f(e.hosmerLemeshow.statistic, 2)), P = \(f(e.hosmerLemeshow.pValue))", x: c.left + 15, y: c.top + 15, scale: 2)
        c.canvas.text("Brier = \(f(e.calibration.brier))", x: c.left + 15, y: c.top + 40, scale: 2)
        c.legend([("Deciles", .blue), ("Ideal", .grey)], bottomRight: true)
        return c.canvas
    }

    /// Net benefit of the model against treat-all and treat-none over thresholds 0.01-0.99.
    public static func decisionCurve(_ e: Evaluation) -> Canvas {
        let prevalence = e.outcome.reduce(0, +) / Double(e.outcome.count)
        let yTop = max(0.05, (prevalence * 1.25 * 20).rounded(.up) / 20), yBottom = -yTop / 4
        var c = Chart(x: 0...1, y: yBottom...yTop)
        c.axes(title: "Decision curve", xLabel: "Threshold probability", yLabel: "Net benefit",
               xTicks: stride(from: 0.0, through: 1.0, by: 0.2).map { $0 }, yTicks: Chart.niceTicks(yBottom, yTop, count: 5), yDecimals: 2)
        c.curve([(0, 0), (1, 0)], .black, thickness: 2)
        c.curve(e.decisionCurve.map { ($0.threshold, $0.treatAll) }, .orange, thickness: 2, clip: false)
        c.curve(e.decisionCurve.map { ($0.threshold, $0.model) }, .blue, thickness: 3, clip: false)
        c.legend([("Model", .blue), ("Treat all", .orange), ("Treat none", .black)], topRight: true)
        return c.canvas
    }

    /// Points, one axis per predictor, total points and predicted probability (see `Nomogram`).
    public static func nomogram(_ model: LogisticModel) -> Canvas {
        let n = Nomogram(model: model)
        let rowHeight = 70, x0 = 260, x1 = 960
        var canvas = Canvas(width: 1000, height: 120 + rowHeight * (n.predictors.count + 2))
        canvas.centredText("Nomogram: risk of \(model.outcome)", x: canvas.width / 2, y: 14, scale: 2)
        func axis(row: Int, label: String, ticks: [(String, Double)], maxPoints: Double, span: ClosedRange<Double>? = nil) {
            let y = 70 + row * rowHeight
            canvas.text(label, x: 12, y: y - 7, scale: 2)
            let pos = { (p: Double) in x0 + Int((p / max(maxPoints, 1e-12) * Double(x1 - x0)).rounded()) }
            let ps = ticks.map(\.1) + (span.map { [$0.lowerBound, $0.upperBound] } ?? [])
            canvas.line(pos(ps.min() ?? 0), y, pos(ps.max() ?? 0), y, .black, thickness: 2)
            // Labels go above the axis, below it when they would overlap the previous one, and are left out
            // (the tick stays) when they would overlap on both sides: a short axis keeps readable labels.
            var lastAbove = Int.min, lastBelow = Int.min
            for (text, p) in ticks.sorted(by: { $0.1 < $1.1 }) {
                canvas.line(pos(p), y, pos(p), y - 8, .black, thickness: 2)
                let w = Canvas.textWidth(text, scale: 2), left = pos(p) - w / 2
                if left > lastAbove + 6 {
                    canvas.text(text, x: left, y: y - 26, scale: 2)
                    lastAbove = left + w
                } else if left > lastBelow + 6 {
                    canvas.text(text, x: left, y: y + 8, scale: 2)
                    lastBelow = left + w
                }
            }
        }
        axis(row: 0, label: "Points", ticks: stride(from: 0.0, through: 100, by: 10).map { (f($0, 0), $0) }, maxPoints: 100)
        for (k, a) in n.predictors.enumerated() {
            let values = a.ticks.map(\.value)
            let spread = (values.max() ?? 0) - (values.min() ?? 0)
            let d = values.allSatisfy { $0 == $0.rounded() } || spread >= 10 ? 0 : spread >= 1 ? 1 : 2
            axis(row: k + 1, label: a.name, ticks: a.ticks.map { (f($0.value, d), $0.points) }, maxPoints: 100, span: a.span)
        }
        let totalTicks = Chart.niceTicks(0, n.maxTotalPoints, count: 8)
        axis(row: n.predictors.count + 1, label: "Total points", ticks: totalTicks.map { (f($0, 0), $0) }, maxPoints: n.maxTotalPoints)
        axis(row: n.predictors.count + 2, label: "Probability", ticks: n.probabilityTicks.map { (f($0.probability, 2), $0.points) },
             maxPoints: n.maxTotalPoints)
        return canvas
    }

    static func html(_ e: Evaluation, model: LogisticModel?) -> String {
        func esc(_ s: String) -> String { TextOutput.html(s) }
        var rows = e.scalars.map { "<tr><td>\($0.0)</td><td>\(Format.number($0.1))</td></tr>" }.joined(separator: "\n")
        rows += "\n"
        let coefficientRows = e.coefficients.map { c in
            let extra = [c.standardError, c.ciLower, c.ciUpper, c.pValue].map { $0.map { f($0, 4) } ?? "" }
            return "<tr><td>\(esc(c.name))</td><td>\(f(c.estimate, 4))</td>" + extra.map { "<td>\($0)</td>" }.joined() + "</tr>"
        }.joined(separator: "\n")
        let nomogram = model == nil ? "" : "<h2>Nomogram</h2>\n<img src=\"nomogram.png\" alt=\"nomogram\">\n"
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Model validation report</title>
        <style>body{font-family:sans-serif;margin:2em;max-width:1100px} table{border-collapse:collapse;margin-bottom:1.5em}
        td,th{border:1px solid #ccc;padding:3px 8px;text-align:right} td:first-child{text-align:left} img{max-width:100%;margin:0.5em}</style>
        </head>
        <body>
        <h1>Model validation report\(model.map { " — outcome " + esc($0.outcome) } ?? "")</h1>
        <h2>Statistics</h2>
        <table><tr><th>metric</th><th>value</th></tr>
        \(rows)</table>
        <h2>Coefficients</h2>
        <table><tr><th>term</th><th>estimate</th><th>SE</th><th>95% CI lower</th><th>95% CI upper</th><th>P</th></tr>
        \(coefficientRows)
        </table>
        <h2>Discrimination and calibration</h2>
        <img src="roc.png" alt="ROC curve"> <img src="calibration.png" alt="calibration curve">
        <h2>Decision curve</h2>
        <img src="decision_curve.png" alt="decision curve">
        \(nomogram)</body>
        </html>

        """
    }
}
