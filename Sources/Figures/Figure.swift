import CCairo
import Foundation
import RadiomicsCore

/// A colour with opacity, components 0...1.
public struct Colour: Sendable, Equatable {
    public var r: Double, g: Double, b: Double, a: Double
    public init(_ r: Double, _ g: Double, _ b: Double, _ a: Double = 1) { self.r = r; self.g = g; self.b = b; self.a = a }

    public static let black = Colour(0, 0, 0), white = Colour(1, 1, 1)
    public static let grey = Colour(0.55, 0.55, 0.55), lightGrey = Colour(0.88, 0.88, 0.88)
    // The Okabe-Ito palette (distinguishable with every common colour-vision deficiency).
    public static let blue = Colour(0, 0.447, 0.698), orange = Colour(0.902, 0.624, 0), green = Colour(0, 0.620, 0.451)
    public static let vermillion = Colour(0.835, 0.369, 0), purple = Colour(0.800, 0.475, 0.655), sky = Colour(0.337, 0.706, 0.914)
    public static let lightBlue = Colour(0, 0.447, 0.698, 0.22)
    /// Series colours in order.
    public static let series: [Colour] = [.blue, .vermillion, .green, .orange, .purple, .sky, .black]

    public func opacity(_ a: Double) -> Colour { Colour(r, g, b, a) }
}

/// A point in the figure's coordinates (points, y down).
public struct Point: Sendable, Equatable {
    public var x: Double, y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

/// A figure as a list of drawing operations, rendered by cairo to PNG (anti-aliased, at `scale` pixels per point)
/// and to SVG (vector, text as glyph outlines) from the same list, so both files show the same figure. Text is set
/// in DejaVu Sans (Debian's fonts-dejavu-core) at sizes in points.
public struct Figure: Sendable {
    public enum Anchor: Sendable { case start, middle, end }

    enum Operation: Sendable {
        case path([Point], closed: Bool, stroke: Colour?, fill: Colour?, width: Double, dash: [Double])
        case circle(Point, radius: Double, stroke: Colour?, fill: Colour?, width: Double)
        case text(String, Point, size: Double, colour: Colour, anchor: Anchor, vertical: Bool, bold: Bool)
        case clip((x: Double, y: Double, width: Double, height: Double)?)
    }

    public let width: Double, height: Double
    var operations: [Operation] = []
    public static let font = "DejaVu Sans"

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
        rect(x: 0, y: 0, width: width, height: height, fill: .white)
    }

    public mutating func line(_ a: Point, _ b: Point, _ colour: Colour, width: Double = 1, dash: [Double] = []) {
        operations.append(.path([a, b], closed: false, stroke: colour, fill: nil, width: width, dash: dash))
    }

    public mutating func polyline(_ points: [Point], _ colour: Colour, width: Double = 1.5, dash: [Double] = []) {
        guard points.count >= 2 else { return }
        operations.append(.path(points, closed: false, stroke: colour, fill: nil, width: width, dash: dash))
    }

    public mutating func polygon(_ points: [Point], fill: Colour?, stroke: Colour? = nil, width: Double = 1) {
        guard points.count >= 3 else { return }
        operations.append(.path(points, closed: true, stroke: stroke, fill: fill, width: width, dash: []))
    }

    public mutating func rect(x: Double, y: Double, width w: Double, height h: Double, fill: Colour?, stroke: Colour? = nil, width: Double = 1) {
        operations.append(.path([Point(x, y), Point(x + w, y), Point(x + w, y + h), Point(x, y + h)], closed: true, stroke: stroke,
                                fill: fill, width: width, dash: []))
    }

    public mutating func circle(_ centre: Point, radius: Double, fill: Colour?, stroke: Colour? = nil, width: Double = 1) {
        operations.append(.circle(centre, radius: radius, stroke: stroke, fill: fill, width: width))
    }

    /// Text with its baseline at `at.y`; `vertical` reads bottom to top, anchored on `at`.
    public mutating func text(_ s: String, at: Point, size: Double = 11, _ colour: Colour = .black, anchor: Anchor = .start,
                              vertical: Bool = false, bold: Bool = false) {
        operations.append(.text(s, at, size: size, colour: colour, anchor: anchor, vertical: vertical, bold: bold))
    }

    /// Later drawing only inside the rectangle (nil: everywhere again).
    public mutating func clip(x: Double, y: Double, width w: Double, height h: Double) { operations.append(.clip((x, y, w, h))) }
    public mutating func unclip() { operations.append(.clip(nil)) }

    /// The advance width of `s` at `size` points.
    public static func textWidth(_ s: String, size: Double = 11, bold: Bool = false) -> Double {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)
        let cr = cairo_create(surface)
        defer { cairo_destroy(cr); cairo_surface_destroy(surface) }
        select(cr, size: size, bold: bold)
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, s, &extents)
        return extents.x_advance
    }

    static func select(_ cr: OpaquePointer?, size: Double, bold: Bool) {
        cairo_select_font_face(cr, font, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
    }

    func render(_ cr: OpaquePointer?) {
        func set(_ c: Colour) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a) }
        // Fills and/or strokes the current path.
        func paint(fill: Colour?, stroke: Colour?, width: Double, dash: [Double]) {
            if let fill {
                set(fill)
                if stroke != nil { cairo_fill_preserve(cr) } else { cairo_fill(cr) }
            }
            if let stroke {
                set(stroke)
                cairo_set_line_width(cr, width)
                dash.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32(dash.count), 0) }
                cairo_stroke(cr)
            }
        }
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
        for op in operations {
            switch op {
            case let .path(points, closed, stroke, fill, width, dash):
                cairo_new_path(cr)
                cairo_move_to(cr, points[0].x, points[0].y)
                for p in points.dropFirst() { cairo_line_to(cr, p.x, p.y) }
                if closed { cairo_close_path(cr) }
                paint(fill: fill, stroke: stroke, width: width, dash: dash)
            case let .circle(centre, radius, stroke, fill, width):
                cairo_new_path(cr)
                cairo_arc(cr, centre.x, centre.y, radius, 0, 2 * Double.pi)
                paint(fill: fill, stroke: stroke, width: width, dash: [])
            case let .text(s, at, size, colour, anchor, vertical, bold):
                Self.select(cr, size: size, bold: bold)
                var extents = cairo_text_extents_t()
                cairo_text_extents(cr, s, &extents)
                let shift = anchor == .start ? 0 : anchor == .middle ? -extents.x_advance / 2 : -extents.x_advance
                cairo_save(cr)
                cairo_translate(cr, at.x, at.y)
                if vertical { cairo_rotate(cr, -Double.pi / 2) }
                cairo_move_to(cr, shift, 0)
                set(colour)
                cairo_show_text(cr, s)
                cairo_restore(cr)
            case let .clip(rect):
                cairo_reset_clip(cr)
                if let rect {
                    cairo_new_path(cr)
                    cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
                    cairo_clip(cr)
                }
            }
        }
    }

    /// PNG at `scale` pixels per point.
    public func writePNG(to path: String, scale: Double = 2) throws {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32((width * scale).rounded(.up)), Int32((height * scale).rounded(.up)))
        let cr = cairo_create(surface)
        cairo_scale(cr, scale, scale)
        render(cr)
        cairo_destroy(cr)
        let status = cairo_surface_write_to_png(surface, path)
        cairo_surface_destroy(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RadiomicsError(file: path, "cannot write the PNG: \(String(cString: cairo_status_to_string(status)))")
        }
    }

    public func writeSVG(to path: String) throws {
        let surface = cairo_svg_surface_create(path, width, height)
        let cr = cairo_create(surface)
        render(cr)
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RadiomicsError(file: path, "cannot write the SVG: \(String(cString: cairo_status_to_string(status)))")
        }
    }

    /// `BASE.png` and `BASE.svg`.
    public func write(base: String) throws {
        try writePNG(to: base + ".png")
        try writeSVG(to: base + ".svg")
    }
}
