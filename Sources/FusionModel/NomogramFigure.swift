import Figures
import Foundation

/// A nomogram drawn as a figure: the points axis (0-100), one axis per predictor (its values at their points),
/// total points, and one axis per outcome scale (a probability, or survival at several times) at total points.
enum NomogramFigure {
    /// The predictors' axes of a nomogram: ticks labelled with as many decimals as their spacing needs.
    static func predictorRows(_ n: Nomogram) -> [(name: String, ticks: [(String, Double)], span: ClosedRange<Double>?)] {
        n.predictors.map { a in
            let values = a.ticks.map(\.value)
            let spread = (values.max() ?? 0) - (values.min() ?? 0)
            let d = values.allSatisfy { $0 == $0.rounded() } || spread >= 10 ? 0 : spread >= 1 ? 1 : 2
            return (a.name, a.ticks.map { (String(format: "%.\(d)f", $0.value), $0.points) }, a.span)
        }
    }

    /// `predictors`: name, (label, points) ticks and the points its observed range spans; `outcomes`: name and
    /// (label, total points) ticks.
    static func draw(title: String, predictors: [(name: String, ticks: [(String, Double)], span: ClosedRange<Double>?)],
                     maxTotalPoints: Double, outcomes: [(name: String, ticks: [(String, Double)])]) -> Figure {
        let rowHeight = 46.0, x0 = 170.0, x1 = 700.0
        var figure = Figure(width: 730, height: 70 + rowHeight * Double(predictors.count + 2 + outcomes.count))
        figure.text(title, at: Point(figure.width / 2, 24), size: 13, anchor: .middle, bold: true)
        func axis(row: Int, label: String, ticks: [(String, Double)], maxPoints: Double, span: ClosedRange<Double>? = nil) {
            let y = 62 + Double(row) * rowHeight
            figure.text(label, at: Point(12, y + 4), size: 11, bold: row == 0)
            let pos = { (p: Double) in x0 + p / max(maxPoints, 1e-12) * (x1 - x0) }
            let ps = ticks.map(\.1) + (span.map { [$0.lowerBound, $0.upperBound] } ?? [])
            figure.line(Point(pos(ps.min() ?? 0), y), Point(pos(ps.max() ?? 0), y), .black, width: 1.2)
            // Labels go above the axis, below it when they would overlap the previous one, and are left out
            // (the tick stays) when they would overlap on both sides: a short axis keeps readable labels.
            var lastAbove = -Double.infinity, lastBelow = -Double.infinity
            for (text, p) in ticks.sorted(by: { $0.1 < $1.1 }) {
                figure.line(Point(pos(p), y), Point(pos(p), y - 5), .black, width: 1.2)
                let w = Figure.textWidth(text, size: 10), left = pos(p) - w / 2
                if left > lastAbove + 4 {
                    figure.text(text, at: Point(pos(p), y - 9), size: 10, anchor: .middle)
                    lastAbove = left + w
                } else if left > lastBelow + 4 {
                    figure.text(text, at: Point(pos(p), y + 15), size: 10, anchor: .middle)
                    lastBelow = left + w
                }
            }
        }
        axis(row: 0, label: "Points", ticks: stride(from: 0.0, through: 100, by: 10).map { (String(format: "%.0f", $0), $0) }, maxPoints: 100)
        for (k, a) in predictors.enumerated() { axis(row: k + 1, label: a.name, ticks: a.ticks, maxPoints: 100, span: a.span) }
        let total = Chart.niceTicks(0, maxTotalPoints, count: 8)
        axis(row: predictors.count + 1, label: "Total points", ticks: total.map { (String(format: "%.0f", $0), $0) }, maxPoints: maxTotalPoints,
             span: 0...maxTotalPoints)
        for (k, o) in outcomes.enumerated() { axis(row: predictors.count + 2 + k, label: o.name, ticks: o.ticks, maxPoints: maxTotalPoints) }
        return figure
    }
}
