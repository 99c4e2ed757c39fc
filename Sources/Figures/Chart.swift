import Foundation

/// A plot in a `Figure`: data ranges mapped to a plot area with margins for ticks, axis titles and the title;
/// curves, step functions, bands, markers, error bars and a legend in data coordinates, clipped to the area.
public struct Chart: Sendable {
    public var figure: Figure
    public let left: Double, top: Double, right: Double, bottom: Double
    public let x: ClosedRange<Double>, y: ClosedRange<Double>

    /// `width` × `height` points; `below` extra points under the x axis (a numbers-at-risk table, say), `left`
    /// the margin left of the y axis.
    public init(width: Double = 480, height: Double = 420, x: ClosedRange<Double>, y: ClosedRange<Double>, below: Double = 0,
                left: Double = 68) {
        figure = Figure(width: width, height: height)
        self.left = left; right = width - 18; top = 38; bottom = height - 56 - below
        self.x = x
        self.y = y
    }

    public func px(_ v: Double) -> Double { left + (v - x.lowerBound) / (x.upperBound - x.lowerBound) * (right - left) }
    public func py(_ v: Double) -> Double { bottom - (v - y.lowerBound) / (y.upperBound - y.lowerBound) * (bottom - top) }
    public func point(_ p: (Double, Double)) -> Point { Point(px(p.0), py(p.1)) }

    /// Grid, frame, ticks with labels, axis titles and the title.
    public mutating func axes(title: String, xLabel: String, yLabel: String, xTicks: [Double], yTicks: [Double], xDecimals: Int = 1,
                              yDecimals: Int = 1) {
        for t in xTicks { figure.line(Point(px(t), top), Point(px(t), bottom), .lightGrey, width: 0.6) }
        for t in yTicks { figure.line(Point(left, py(t)), Point(right, py(t)), .lightGrey, width: 0.6) }
        figure.line(Point(left, bottom), Point(right, bottom), .black, width: 1)
        figure.line(Point(left, top), Point(left, bottom), .black, width: 1)
        for t in xTicks {
            figure.line(Point(px(t), bottom), Point(px(t), bottom + 4), .black, width: 1)
            figure.text(String(format: "%.\(xDecimals)f", t), at: Point(px(t), bottom + 16), size: 10, anchor: .middle)
        }
        for t in yTicks {
            figure.line(Point(left - 4, py(t)), Point(left, py(t)), .black, width: 1)
            figure.text(String(format: "%.\(yDecimals)f", t), at: Point(left - 7, py(t) + 3.5), size: 10, anchor: .end)
        }
        figure.text(xLabel, at: Point((left + right) / 2, bottom + 36), size: 11, anchor: .middle)
        figure.text(yLabel, at: Point(max(18, left - 50), (top + bottom) / 2), size: 11, anchor: .middle, vertical: true)
        figure.text(title, at: Point(figure.width / 2, 22), size: 12, anchor: .middle, bold: true)
    }

    mutating func clipped(_ body: (inout Figure) -> Void) {
        figure.clip(x: left, y: top, width: right - left, height: bottom - top)
        body(&figure)
        figure.unclip()
    }

    /// Points joined by straight segments, drawn inside the plot area only.
    public mutating func curve(_ points: [(Double, Double)], _ c: Colour, width: Double = 1.8, dash: [Double] = []) {
        let pts = points.map(point)
        clipped { $0.polyline(pts, c, width: width, dash: dash) }
    }

    /// A right-continuous step function from (x_k, y_k) steps: level y_k from x_k to x_{k+1}, continued to `until`.
    public mutating func steps(_ points: [(Double, Double)], until end: Double, _ c: Colour, width: Double = 1.8) {
        guard let first = points.first else { return }
        var path: [(Double, Double)] = [first]
        for (a, b) in zip(points, points.dropFirst()) { path += [(b.0, a.1), b] }
        path.append((max(end, points.last!.0), points.last!.1))
        curve(path, c, width: width)
    }

    /// Shades between two curves given at the same x values.
    public mutating func band(xs: [Double], lower: [Double], upper: [Double], _ c: Colour) {
        let outline = zip(xs, upper).map(point) + zip(xs, lower).reversed().map(point)
        clipped { $0.polygon(outline, fill: c) }
    }

    /// Shades a step band (pointwise interval of a step function).
    public mutating func stepBand(xs: [Double], lower: [Double], upper: [Double], until end: Double, _ c: Colour) {
        guard !xs.isEmpty else { return }
        var upperPath: [(Double, Double)] = [], lowerPath: [(Double, Double)] = []
        for k in xs.indices {
            let next = k + 1 < xs.count ? xs[k + 1] : max(end, xs[k])
            upperPath += [(xs[k], upper[k]), (next, upper[k])]
            lowerPath += [(xs[k], lower[k]), (next, lower[k])]
        }
        let outline = upperPath.map(point) + lowerPath.reversed().map(point)
        clipped { $0.polygon(outline, fill: c) }
    }

    /// Filled circles.
    public mutating func markers(_ points: [(Double, Double)], _ c: Colour, radius: Double = 3.5) {
        let pts = points.map(point)
        clipped { f in for p in pts { f.circle(p, radius: radius, fill: c) } }
    }

    /// Vertical bars from `lower` to `upper` at each x, with short caps.
    public mutating func errorBars(x xs: [Double], lower: [Double], upper: [Double], _ c: Colour, width: Double = 1.2) {
        let bars = xs.indices.map { (px(xs[$0]), py(lower[$0]), py(upper[$0])) }
        clipped { f in
            for (x, lo, hi) in bars {
                f.line(Point(x, lo), Point(x, hi), c, width: width)
                f.line(Point(x - 3, lo), Point(x + 3, lo), c, width: width)
                f.line(Point(x - 3, hi), Point(x + 3, hi), c, width: width)
            }
        }
    }

    /// Text inside the plot area, `line` lines below its top-left corner (above its bottom-left corner with
    /// `fromBottom`).
    public mutating func note(_ s: String, line: Int, fromBottom: Bool = false) {
        let y = fromBottom ? bottom - 10 - Double(line) * 15 : top + 16 + Double(line) * 15
        figure.text(s, at: Point(left + 10, y), size: 10.5)
    }

    public enum Corner: Sendable { case topLeft, topRight, bottomRight, bottomLeft }

    /// A legend box in a corner of the plot area; a dashed entry is drawn dashed.
    public mutating func legend(_ entries: [(String, Colour)], at corner: Corner = .topLeft, dashed: Set<String> = []) {
        let w = (entries.map { Figure.textWidth($0.0, size: 10) }.max() ?? 0) + 40, h = Double(entries.count) * 15 + 8
        let x0 = corner == .topRight || corner == .bottomRight ? right - w - 8 : left + 8
        let y0 = corner == .bottomRight || corner == .bottomLeft ? bottom - h - 8 : top + 8
        figure.rect(x: x0, y: y0, width: w, height: h, fill: Colour.white.opacity(0.9), stroke: .lightGrey, width: 0.6)
        for (k, e) in entries.enumerated() {
            let yy = y0 + 13 + Double(k) * 15
            figure.line(Point(x0 + 6, yy - 3.5), Point(x0 + 28, yy - 3.5), e.1, width: 2.5, dash: dashed.contains(e.0) ? [4, 3] : [])
            figure.text(e.0, at: Point(x0 + 34, yy), size: 10)
        }
    }

    /// About `count` round tick values (1, 2 or 5 × 10^k apart) covering lo...hi.
    public static func niceTicks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard hi > lo else { return [lo] }
        let raw = (hi - lo) / Double(count), mag = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        var ticks: [Double] = []
        var t = ceil(lo / step - 1e-9) * step
        while t <= hi + 1e-9 * step { ticks.append(abs(t) < 1e-12 * step ? 0 : t); t += step }
        return ticks
    }
}
