import Foundation
import RadiomicsIO

/// An RGB colour.
public struct RGB: Sendable, Equatable {
    public var r: UInt8, g: UInt8, b: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }
    public static let white = RGB(255, 255, 255), black = RGB(0, 0, 0), grey = RGB(128, 128, 128)
    public static let lightGrey = RGB(225, 225, 225), blue = RGB(31, 100, 180), lightBlue = RGB(190, 212, 238)
    public static let red = RGB(200, 40, 40), green = RGB(40, 150, 60), orange = RGB(230, 120, 20)
}

/// A raster picture with the primitives the report plots need: rectangles, thick or dashed lines
/// (Bresenham), and text in the 5×7 bitmap font (scaled by an integer, horizontal or turned 90° for
/// y-axis titles). Saved as PNG with `PNGWriter`.
public struct Canvas: Sendable {
    public let width: Int, height: Int
    public private(set) var pixels: [UInt8]

    public init(width: Int, height: Int, background: RGB = .white) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        fillRect(x0: 0, y0: 0, x1: width - 1, y1: height - 1, background)
    }

    public mutating func set(_ x: Int, _ y: Int, _ c: RGB) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let k = 3 * (y * width + x)
        pixels[k] = c.r; pixels[k + 1] = c.g; pixels[k + 2] = c.b
    }

    public mutating func fillRect(x0: Int, y0: Int, x1: Int, y1: Int, _ c: RGB) {
        for y in max(0, min(y0, y1))...min(height - 1, max(y0, y1)) {
            for x in max(0, min(x0, x1))...min(width - 1, max(x0, x1)) { set(x, y, c) }
        }
    }

    /// A line of `thickness` pixels; `dash` > 0 draws dashes of that many pixels with equal gaps.
    public mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ c: RGB, thickness: Int = 1, dash: Int = 0) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy, step = 0
        let lo = -(thickness - 1) / 2, hi = thickness / 2
        while true {
            if dash == 0 || (step / dash) % 2 == 0 {
                for oy in lo...hi { for ox in lo...hi { set(x + ox, y + oy, c) } }
            }
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
            step += 1
        }
    }

    /// Width in pixels of `text` at `scale`.
    public static func textWidth(_ text: String, scale: Int = 1) -> Int {
        max(0, text.count * BitmapFont.advance - 1) * scale
    }

    /// Draws `text` with its top-left corner at (x, y); `vertical` turns it 90° anticlockwise (reading
    /// upwards, then (x, y) is the bottom-left corner).
    public mutating func text(_ text: String, x: Int, y: Int, _ c: RGB = .black, scale: Int = 1, vertical: Bool = false) {
        for (n, ch) in text.enumerated() {
            let rows = BitmapFont.glyph(ch) ?? Array(repeating: "#####", count: BitmapFont.height)
            for (r, row) in rows.enumerated() {
                for (col, bit) in row.enumerated() where bit == "#" {
                    let u = (n * BitmapFont.advance + col) * scale, v = r * scale
                    for a in 0..<scale {
                        for b in 0..<scale {
                            if vertical { set(x + v + b, y - u - a, c) } else { set(x + u + a, y + v + b, c) }
                        }
                    }
                }
            }
        }
    }

    /// Text centred horizontally on x.
    public mutating func centredText(_ s: String, x: Int, y: Int, _ c: RGB = .black, scale: Int = 1) {
        text(s, x: x - Self.textWidth(s, scale: scale) / 2, y: y, c, scale: scale)
    }

    public func write(to path: String) throws {
        try PNGWriter.write(pixels: pixels, width: width, height: height, rgb: true, to: path)
    }
}

/// A chart: a canvas with a plotting area mapped to data ranges, axes with ticks and labels, curves,
/// shaded bands, markers and a legend.
public struct Chart: Sendable {
    public var canvas: Canvas
    public let left: Int, top: Int, right: Int, bottom: Int
    public let x: ClosedRange<Double>, y: ClosedRange<Double>

    public init(width: Int = 640, height: Int = 560, x: ClosedRange<Double>, y: ClosedRange<Double>) {
        canvas = Canvas(width: width, height: height)
        left = 90; right = width - 30; top = 50; bottom = height - 80
        self.x = x
        self.y = y
    }

    public func px(_ v: Double) -> Int { left + Int(((v - x.lowerBound) / (x.upperBound - x.lowerBound) * Double(right - left)).rounded()) }
    public func py(_ v: Double) -> Int { bottom - Int(((v - y.lowerBound) / (y.upperBound - y.lowerBound) * Double(bottom - top)).rounded()) }

    /// Frame, grid, ticks with labels, axis titles and the title.
    public mutating func axes(title: String, xLabel: String, yLabel: String, xTicks: [Double], yTicks: [Double], xDecimals: Int = 1,
                              yDecimals: Int = 1) {
        for t in xTicks { canvas.line(px(t), top, px(t), bottom, .lightGrey) }
        for t in yTicks { canvas.line(left, py(t), right, py(t), .lightGrey) }
        canvas.line(left, bottom, right, bottom, .black, thickness: 2)
        canvas.line(left, top, left, bottom, .black, thickness: 2)
        for t in xTicks {
            canvas.line(px(t), bottom, px(t), bottom + 6, .black, thickness: 2)
            canvas.centredText(String(format: "%.\(xDecimals)f", t), x: px(t), y: bottom + 12, scale: 2)
        }
        for t in yTicks {
            canvas.line(left - 6, py(t), left, py(t), .black, thickness: 2)
            let s = String(format: "%.\(yDecimals)f", t)
            canvas.text(s, x: left - 10 - Canvas.textWidth(s, scale: 2), y: py(t) - 7, scale: 2)
        }
        canvas.centredText(xLabel, x: (left + right) / 2, y: bottom + 45, scale: 2)
        canvas.text(yLabel, x: 12, y: (top + bottom) / 2 + Canvas.textWidth(yLabel, scale: 2) / 2, scale: 2, vertical: true)
        canvas.centredText(title, x: canvas.width / 2, y: 14, scale: 2)
    }

    /// Points joined by straight segments. With `clip` values outside the y range are drawn at its edge;
    /// without, segments leaving the range are cut where they cross it.
    public mutating func curve(_ points: [(Double, Double)], _ c: RGB, thickness: Int = 2, dash: Int = 0, clip: Bool = true) {
        let lo = y.lowerBound, hi = y.upperBound
        for (a, b) in zip(points, points.dropFirst()) {
            var (p, q) = (a, b)
            if clip {
                p.1 = min(max(p.1, lo), hi); q.1 = min(max(q.1, lo), hi)
            } else {
                if (p.1 < lo && q.1 < lo) || (p.1 > hi && q.1 > hi) { continue }
                for bound in [lo, hi] {
                    func cut(_ u: (Double, Double), _ v: (Double, Double)) -> (Double, Double) {
                        (u.0 + (bound - u.1) / (v.1 - u.1) * (v.0 - u.0), bound)
                    }
                    if (p.1 - bound) * (q.1 - bound) < 0 {
                        let outsideP = bound == lo ? p.1 < lo : p.1 > hi
                        if outsideP { p = cut(p, q) } else { q = cut(p, q) }
                    }
                }
            }
            canvas.line(px(p.0), py(p.1), px(q.0), py(q.1), c, thickness: thickness, dash: dash)
        }
    }

    /// Shades between two curves given at the same x values (linear interpolation per pixel column).
    public mutating func band(xs: [Double], lower: [Double], upper: [Double], _ c: RGB) {
        for k in 0..<(xs.count - 1) {
            let c0 = px(xs[k]), c1 = px(xs[k + 1])
            for col in min(c0, c1)...max(c0, c1) {
                let t = c1 == c0 ? 0 : Double(col - c0) / Double(c1 - c0)
                let lo = lower[k] + t * (lower[k + 1] - lower[k]), hi = upper[k] + t * (upper[k + 1] - upper[k])
                canvas.fillRect(x0: col, y0: py(min(max(hi, y.lowerBound), y.upperBound)), x1: col,
                                y1: py(min(max(lo, y.lowerBound), y.upperBound)), c)
            }
        }
    }

    /// Filled squares of side 2r+1.
    public mutating func markers(_ points: [(Double, Double)], _ c: RGB, radius r: Int = 4) {
        for p in points { canvas.fillRect(x0: px(p.0) - r, y0: py(p.1) - r, x1: px(p.0) + r, y1: py(p.1) + r, c) }
    }

    /// A legend box inside the plot area: top-left by default, or bottom-right, or top-right.
    public mutating func legend(_ entries: [(String, RGB)], bottomRight: Bool = false, topRight: Bool = false) {
        let w = (entries.map { Canvas.textWidth($0.0, scale: 2) }.max() ?? 0) + 50, h = entries.count * 22 + 8
        let x0 = bottomRight || topRight ? right - w - 10 : left + 10, y0 = bottomRight ? bottom - h - 10 : top + 10
        canvas.fillRect(x0: x0, y0: y0, x1: x0 + w, y1: y0 + h, .white)
        for (k, e) in entries.enumerated() {
            let yy = y0 + 8 + k * 22
            canvas.fillRect(x0: x0 + 8, y0: yy + 5, x1: x0 + 32, y1: yy + 8, e.1)
            canvas.text(e.0, x: x0 + 40, y: yy, scale: 2)
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
