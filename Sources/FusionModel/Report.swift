import Figures
import Foundation
import RadiomicsCore

/// The validation report of `radiomics model evaluate --report DIR`: roc, calibration, decision_curve and nomogram
/// (when a model is given), each as PNG and SVG drawn by cairo (`Figures`), and index.html showing them with the
/// numbers and linking the SVGs for print.
public enum Report {
    public static func write(_ e: Evaluation, model: LogisticModel?, to directory: String, seed: UInt64 = 1) throws {
        let path = try directoryPaths(directory)
        try roc(e, seed: seed).write(base: path("roc"))
        try calibration(e).write(base: path("calibration"))
        try decisionCurve(e).write(base: path("decision_curve"))
        if let model { try nomogram(model).write(base: path("nomogram")) }
        try writeText(html(e, model: model), to: path("index.html"))
    }

    /// Creates the report directory; the path of a file in it.
    static func directoryPaths(_ directory: String) throws -> (String) -> String {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw RadiomicsError(file: directory, "cannot create the report directory: \(error.localizedDescription)")
        }
        return { (directory as NSString).appendingPathComponent($0) }
    }

    static func writeText(_ text: String, to path: String) throws {
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw RadiomicsError(file: path, "cannot write: \(error.localizedDescription)")
        }
    }

    /// A report page: its title, heading and body in the reports' style.
    static func page(title: String, heading: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>\(title)</title>
        <style>body{font-family:sans-serif;margin:2em;max-width:1200px} table{border-collapse:collapse;margin-bottom:1.5em}
        td,th{border:1px solid #ccc;padding:3px 8px;text-align:right} td:first-child{text-align:left} img{max-width:100%}
        figure{display:inline-block;margin:0.5em} figcaption{font-size:small}</style>
        </head>
        <body>
        <h1>\(heading)</h1>
        \(body)
        </body>
        </html>

        """
    }

    /// `metric | value` table rows.
    static func scalarRows(_ scalars: [(String, Double)]) -> String {
        scalars.map { "<tr><td>\($0.0)</td><td>\(Format.number($0.1))</td></tr>" }.joined(separator: "\n")
    }

    static func f(_ v: Double, _ d: Int = 3) -> String { String(format: "%.\(d)f", v) }

    /// ROC curve with a pointwise 95% bootstrap band of sensitivity and the diagonal of chance.
    public static func roc(_ e: Evaluation, seed: UInt64 = 1) -> Figure {
        var c = Chart(x: 0...1, y: 0...1)
        let grid = (0...100).map { Double($0) / 100 }
        let band = ROC.bootstrapBand(scores: e.predicted, outcome: e.outcome, grid: grid, replicates: 500, seed: seed)
        let ticks = stride(from: 0.0, through: 1.0, by: 0.2).map { $0 }
        c.axes(title: "ROC: AUC \(f(e.delong.auc)) (95% CI \(f(e.delong.lower))–\(f(e.delong.upper)))",
               xLabel: "1 − specificity", yLabel: "Sensitivity", xTicks: ticks, yTicks: ticks)
        c.band(xs: grid, lower: band.lower, upper: band.upper, .lightBlue)
        c.curve([(0, 0), (1, 1)], .grey, width: 1, dash: [5, 4])
        c.curve(ROC.curve(scores: e.predicted, outcome: e.outcome).map { ($0.fpr, $0.tpr) }, .blue, width: 2.2)
        c.legend([("Model", .blue), ("95% bootstrap band", .lightBlue.opacity(0.5)), ("Chance", .grey)], at: .bottomRight, dashed: ["Chance"])
        return c.figure
    }

    /// Observed event rate against mean predicted risk in the 10 Hosmer-Lemeshow groups, with the ideal line.
    public static func calibration(_ e: Evaluation) -> Figure {
        let groups = e.hosmerLemeshow.groups
        let top = min(1, max(0.2, ceil(10 * (groups.map { max($0.meanPredicted, $0.observedRate) }.max() ?? 1)) / 10 + 0.05))
        var c = Chart(x: 0...top, y: 0...top)
        let ticks = Chart.niceTicks(0, top, count: 5)
        c.axes(title: "Calibration: slope \(f(e.calibration.slope, 2)), intercept \(f(e.calibration.intercept, 2))",
               xLabel: "Predicted risk (deciles)", yLabel: "Observed rate", xTicks: ticks, yTicks: ticks)
        c.curve([(0, 0), (top, top)], .grey, width: 1, dash: [5, 4])
        let points = groups.map { ($0.meanPredicted, $0.observedRate) }
        c.curve(points, .blue, width: 1.8)
        c.markers(points, .blue)
        c.note("Hosmer-Lemeshow χ² = \(f(e.hosmerLemeshow.statistic, 2)), P = \(f(e.hosmerLemeshow.pValue))", line: 0)
        c.note("Brier = \(f(e.calibration.brier))", line: 1)
        c.legend([("Deciles", .blue), ("Ideal", .grey)], at: .bottomRight, dashed: ["Ideal"])
        return c.figure
    }

    /// Net benefit of the model against treat-all and treat-none over thresholds 0.01-0.99.
    public static func decisionCurve(_ e: Evaluation) -> Figure {
        let prevalence = e.outcome.reduce(0, +) / Double(e.outcome.count)
        let yTop = max(0.05, (prevalence * 1.25 * 20).rounded(.up) / 20), yBottom = -yTop / 4
        var c = Chart(x: 0...1, y: yBottom...yTop)
        c.axes(title: "Decision curve", xLabel: "Threshold probability", yLabel: "Net benefit",
               xTicks: stride(from: 0.0, through: 1.0, by: 0.2).map { $0 }, yTicks: Chart.niceTicks(yBottom, yTop, count: 5), yDecimals: 2)
        c.curve([(0, 0), (1, 0)], .black, width: 1.5)
        c.curve(e.decisionCurve.map { ($0.threshold, $0.treatAll) }, .orange, width: 1.8)
        c.curve(e.decisionCurve.map { ($0.threshold, $0.model) }, .blue, width: 2.2)
        c.legend([("Model", .blue), ("Treat all", .orange), ("Treat none", .black)], at: .topRight)
        return c.figure
    }

    /// Points, one axis per predictor, total points and predicted probability (see `Nomogram`).
    public static func nomogram(_ model: LogisticModel) -> Figure {
        let n = Nomogram(model: model)
        return NomogramFigure.draw(title: "Nomogram: risk of \(model.outcome)", predictors: NomogramFigure.predictorRows(n), maxTotalPoints: n.maxTotalPoints,
                                   outcomes: [("Probability", n.probabilityTicks.map { (f($0.probability, 2), $0.points) })])
    }

    /// A figure's PNG, linking its SVG.
    static func figure(_ base: String, _ alt: String) -> String {
        "<figure><a href=\"\(base).svg\"><img src=\"\(base).png\" alt=\"\(alt)\" width=\"480\"></a><figcaption><a href=\"\(base).svg\">SVG</a></figcaption></figure>"
    }

    static func html(_ e: Evaluation, model: LogisticModel?) -> String {
        func esc(_ s: String) -> String { TextOutput.html(s) }
        let coefficientRows = e.coefficients.map { c in
            let extra = [c.standardError, c.ciLower, c.ciUpper, c.pValue].map { $0.map { f($0, 4) } ?? "" }
            return "<tr><td>\(esc(c.name))</td><td>\(f(c.estimate, 4))</td>" + extra.map { "<td>\($0)</td>" }.joined() + "</tr>"
        }.joined(separator: "\n")
        let nomogram = model == nil ? "" : "<h2>Nomogram</h2>\n\(figure("nomogram", "nomogram"))\n"
        return page(title: "Model validation report", heading: "Model validation report\(model.map { " — outcome " + esc($0.outcome) } ?? "")", body: """
        <h2>Statistics</h2>
        <table><tr><th>metric</th><th>value</th></tr>
        \(scalarRows(e.scalars))
        </table>
        <h2>Coefficients</h2>
        <table><tr><th>term</th><th>estimate</th><th>SE</th><th>95% CI lower</th><th>95% CI upper</th><th>P</th></tr>
        \(coefficientRows)
        </table>
        <h2>Discrimination and calibration</h2>
        \(figure("roc", "ROC curve")) \(figure("calibration", "calibration curve"))
        <h2>Decision curve</h2>
        \(figure("decision_curve", "decision curve"))
        \(nomogram)
        """)
    }
}
