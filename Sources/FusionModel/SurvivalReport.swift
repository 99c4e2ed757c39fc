import Figures
import Foundation
import RadiomicsCore

/// The validation report of `radiomics model evaluate --report DIR` for a Cox model: kaplan_meier (the risk groups'
/// curves with 95 % bands, censoring ticks, the log-rank P and the numbers at risk below), calibration (predicted
/// survival against Kaplan-Meier by quantile group at each of --times, with 95 % intervals), time_dependent_auc
/// (Uno's AUC over follow-up, --times marked) and nomogram (points, total points and a survival scale per time),
/// each as PNG and SVG, and index.html with the numbers.
public enum SurvivalReport {
    public static func write(_ e: SurvivalEvaluation, model: CoxModel, data: ModelData, to directory: String) throws {
        let path = try Report.directoryPaths(directory)
        let outcome = try data.requireSurvival()
        try kaplanMeier(e, time: outcome.time, event: outcome.event).write(base: path("kaplan_meier"))
        var figures = [("kaplan_meier", "Kaplan-Meier curves of the risk groups")]
        if !e.calibration.isEmpty {
            try calibration(e).write(base: path("calibration"))
            figures.append(("calibration", "calibration at the given times"))
        }
        if let auc = try timeDependentAUC(e, time: outcome.time, event: outcome.event, risk: data.x.map(model.linearPredictor)) {
            try auc.write(base: path("time_dependent_auc"))
            figures.append(("time_dependent_auc", "time-dependent AUC"))
        }
        try nomogram(model, times: e.times).write(base: path("nomogram"))
        figures.append(("nomogram", "nomogram"))
        try Report.writeText(html(e, model: model, figures: figures), to: path("index.html"))
    }

    static func f(_ v: Double, _ d: Int = 3) -> String { Report.f(v, d) }

    static func groupName(_ number: Int, of count: Int) -> String {
        count == 2 ? (number == 1 ? "Low risk" : "High risk") : count == 3 ? ["Low risk", "Intermediate risk", "High risk"][number - 1]
            : "Group \(number)\(number == 1 ? " (lowest risk)" : number == count ? " (highest risk)" : "")"
    }

    /// Kaplan-Meier curves of the risk groups with 95 % bands and censoring ticks; the numbers at risk at the x
    /// axis' ticks in a table below.
    public static func kaplanMeier(_ e: SurvivalEvaluation, time: [Double], event: [Bool]) -> Figure {
        let groups = e.riskGroups.groups.filter { $0.cases > 0 }
        let end = time.max() ?? 1
        let xTicks = timeTicks(end: end, times: e.times)
        let count = e.riskGroups.groups.count
        let rowHeight = 14.0, tableHeight = 30 + rowHeight * Double(groups.count)
        let labels = (groups.map { Figure.textWidth(groupName($0.number, of: count), size: 10) }.max() ?? 0) + 30
        var c = Chart(width: 560 + max(0, labels - 68), height: 440 + tableHeight, x: 0...max(xTicks.last ?? end, end), y: 0...1,
                      below: tableHeight, left: max(68, labels))
        c.axes(title: "Kaplan-Meier by risk group", xLabel: "Time", yLabel: "Survival probability", xTicks: xTicks,
               yTicks: stride(from: 0.0, through: 1.0, by: 0.2).map { $0 }, xDecimals: xTicks.allSatisfy { $0 == $0.rounded() } ? 0 : 1)
        for (k, g) in groups.enumerated() {
            let colour = Colour.series[k % Colour.series.count]
            let steps = g.curve.steps
            let bandSteps = steps.filter { $0.survival > 0 }
            let intervals = bandSteps.map { $0.interval() }
            c.stepBand(xs: [0] + bandSteps.map(\.time), lower: [1] + intervals.map(\.lower), upper: [1] + intervals.map(\.upper),
                       until: steps.last?.time ?? 0, colour.opacity(0.12))
            c.steps([(0, 1)] + steps.map { ($0.time, $0.survival) }, until: steps.last?.time ?? 0, colour)
            // Censoring ticks: a short vertical mark on the curve at each censored time.
            for s in steps where s.censored > 0 {
                let p = c.point((s.time, s.survival))
                c.figure.line(Point(p.x, p.y - 4), Point(p.x, p.y + 4), colour, width: 1.2)
            }
        }
        c.legend(groups.enumerated().map { k, g in ("\(groupName(g.number, of: count)) (n = \(g.cases), \(g.events) events)", Colour.series[k % Colour.series.count]) },
                 at: .topRight)
        if let t = e.riskGroups.logRank {
            c.note("Log-rank χ² = \(f(t.chiSquare, 2)), df \(t.degreesOfFreedom), P \(t.pValue < 0.001 ? "< 0.001" : "= " + f(t.pValue))", line: 0,
                   fromBottom: true)
        }
        // Numbers at risk.
        let top = c.bottom + 50
        c.figure.text("Number at risk", at: Point(12, top), size: 10.5, bold: true)
        for (k, g) in groups.enumerated() {
            let y = top + rowHeight * Double(k + 1)
            c.figure.text(groupName(g.number, of: count), at: Point(12, y), size: 10, Colour.series[k % Colour.series.count])
            for t in xTicks {
                c.figure.text("\(g.curve.atRisk(at: t))", at: Point(c.px(t), y), size: 10, anchor: .middle)
            }
        }
        return c.figure
    }

    /// Time ticks from 0 to `end`: multiples of the given times' spacing when they are evenly spaced (12, 24, 36
    /// months give 0, 12, 24, ...), round values otherwise.
    public static func timeTicks(end: Double, times: [Double]) -> [Double] {
        let marks = [0] + times.sorted()
        let gaps = zip(marks, marks.dropFirst()).map { $1 - $0 }
        if let step = gaps.first, step > 0, gaps.allSatisfy({ abs($0 - step) < 1e-9 * step }), end / step <= 12 {
            return stride(from: 0, through: end + 1e-9 * step, by: step).map { $0 }
        }
        return Chart.niceTicks(0, end, count: 6).filter { $0 <= end }
    }

    /// Mean predicted survival against the Kaplan-Meier estimate per quantile group, one series per time, with the
    /// estimates' 95 % intervals and the line of perfect calibration.
    public static func calibration(_ e: SurvivalEvaluation) -> Figure {
        var c = Chart(x: 0...1, y: 0...1)
        let ticks = stride(from: 0.0, through: 1.0, by: 0.2).map { $0 }
        c.axes(title: "Calibration (\(e.calibration.first?.points.count ?? 0) groups)", xLabel: "Predicted survival",
               yLabel: "Observed survival (Kaplan-Meier)", xTicks: ticks, yTicks: ticks)
        c.curve([(0, 0), (1, 1)], .grey, width: 1, dash: [5, 4])
        for (k, cal) in e.calibration.enumerated() {
            let colour = Colour.series[k % Colour.series.count]
            let points = cal.points.filter { $0.lower.isFinite && $0.upper.isFinite }
            c.errorBars(x: points.map(\.predicted), lower: points.map(\.lower), upper: points.map(\.upper), colour.opacity(0.6))
            c.curve(cal.points.map { ($0.predicted, $0.observed) }, colour, width: 1.4)
            c.markers(cal.points.map { ($0.predicted, $0.observed) }, colour)
        }
        c.legend(e.calibration.enumerated().map { ("t = \(Format.number($1.time))", Colour.series[$0 % Colour.series.count]) }
                 + [("Ideal", .grey)], at: .bottomRight, dashed: ["Ideal"])
        if let ibs = e.integratedBrier { c.note("Integrated Brier score \(f(ibs))", line: 0) }
        return c.figure
    }

    /// Uno's AUC(t) at 60 times from the first event to the last asked time (or the 90th percentile of the
    /// observed times), with the asked times marked; nil when no time has both cases and controls.
    public static func timeDependentAUC(_ e: SurvivalEvaluation, time: [Double], event: [Bool], risk: [Double]) throws -> Figure? {
        let eventTimes = zip(time, event).filter(\.1).map(\.0).sorted()
        guard let first = eventTimes.first else { return nil }
        let sorted = time.sorted()
        let last = e.times.max() ?? SampleStatistics.quantile(sorted: sorted, 0.9)
        guard last > first else { return nil }
        let grid = (0..<60).map { first + (last - first) * Double($0) / 59 }
        let curve = grid.compactMap { t in (try? TimeDependentAUC.uno(time: time, event: event, risk: risk, at: t)).flatMap { $0.isFinite ? (t, $0) : nil } }
        guard !curve.isEmpty else { return nil }
        let xTicks = timeTicks(end: last, times: e.times)
        var c = Chart(x: 0...last, y: 0.4...1)
        c.axes(title: "Time-dependent AUC (Uno)", xLabel: "Time", yLabel: "AUC(t)", xTicks: xTicks,
               yTicks: stride(from: 0.4, through: 1.0, by: 0.1).map { $0 }, xDecimals: xTicks.allSatisfy { $0 == $0.rounded() } ? 0 : 1,
               yDecimals: 1)
        c.curve([(0, 0.5), (last, 0.5)], .grey, width: 1, dash: [5, 4])
        c.curve(curve, .blue, width: 2)
        c.markers(Array(zip(e.times, e.timeDependentAUC)), .vermillion, radius: 4)
        for (t, a) in zip(e.times, e.timeDependentAUC) {
            let p = c.point((t, a))
            c.figure.text(f(a), at: Point(p.x, p.y - 9), size: 10, .vermillion, anchor: p.x > c.right - 20 ? .end : .middle, bold: true)
        }
        c.note("Harrell's C = \(f(e.concordance.index)) (95% CI \(f(e.concordance.interval.lower))–\(f(e.concordance.interval.upper)))", line: 0)
        c.legend([("AUC(t)", .blue), ("At the given times", .vermillion), ("Chance", .grey)], at: .bottomRight, dashed: ["Chance"])
        return c.figure
    }

    /// Points per predictor, total points, and a survival scale at each time (the 1-, 2- and 3-year survival when
    /// the times are 12, 24 and 36 months).
    public static func nomogram(_ model: CoxModel, times: [Double]) -> Figure {
        let n = Nomogram(model: model)
        let scales = times.map { t in ("Survival at \(Format.number(t))", n.survivalTicks(model: model, at: t).map { (f($0.survival, 2), $0.points) }) }
        return NomogramFigure.draw(title: "Nomogram: survival (\(model.event))", predictors: NomogramFigure.predictorRows(n), maxTotalPoints: n.maxTotalPoints,
                                   outcomes: scales.filter { !$0.1.isEmpty })
    }

    static func html(_ e: SurvivalEvaluation, model: CoxModel, figures: [(String, String)]) -> String {
        func esc(_ s: String) -> String { TextOutput.html(s) }
        let byTime = e.times.indices.map { k in
            "<tr><td>\(Format.number(e.times[k]))</td><td>\(f(e.timeDependentAUC[k]))</td><td>\(f(e.brier[k]))</td></tr>"
        }.joined(separator: "\n")
        let coefficients = e.coefficients.map { c in
            let extra = [c.standardError, c.hazardRatioLower, c.hazardRatioUpper, c.pValue].map { $0.map { f($0, 4) } ?? "" }
            return "<tr><td>\(esc(c.name))</td><td>\(f(c.estimate, 4))</td><td>\(f(c.hazardRatio, 4))</td>"
                + extra.map { "<td>\($0)</td>" }.joined() + "</tr>"
        }.joined(separator: "\n")
        let groups = e.riskGroups.groups.map { g in
            let m = g.curve.median()
            return "<tr><td>\(esc(groupName(g.number, of: e.riskGroups.groups.count)))</td><td>\(g.cases)</td><td>\(g.events)</td><td>"
                + [m.median, m.lower, m.upper].map { $0.map { Format.number($0) } ?? "not reached" }.joined(separator: "</td><td>") + "</td></tr>"
        }.joined(separator: "\n")
        return Report.page(title: "Survival model validation report",
                           heading: "Survival model validation report — \(esc(model.time)), event \(esc(model.event))", body: """
        <h2>Statistics</h2>
        <table><tr><th>metric</th><th>value</th></tr>
        \(Report.scalarRows(e.scalars))
        </table>
        <table><tr><th>time</th><th>Uno's AUC</th><th>Brier score</th></tr>
        \(byTime)
        </table>
        <h2>Coefficients</h2>
        <table><tr><th>term</th><th>log HR</th><th>HR</th><th>SE</th><th>HR 95% CI lower</th><th>HR 95% CI upper</th><th>P</th></tr>
        \(coefficients)
        </table>
        <h2>Risk groups</h2>
        <table><tr><th>group</th><th>cases</th><th>events</th><th>median survival</th><th>95% CI lower</th><th>95% CI upper</th></tr>
        \(groups)
        </table>
        <h2>Figures</h2>
        \(figures.map { Report.figure($0.0, $0.1) }.joined(separator: "\n"))
        """)
    }
}
