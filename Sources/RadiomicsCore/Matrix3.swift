/// A 3x3 matrix of Double stored by columns, for image orientation (direction cosines) in patient space.
public struct Matrix3: Equatable, Hashable, Sendable {
    public var columns: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)

    public init(columns c0: SIMD3<Double>, _ c1: SIMD3<Double>, _ c2: SIMD3<Double>) {
        columns = (c0, c1, c2)
    }

    public static let identity = Matrix3(columns: [1, 0, 0], [0, 1, 0], [0, 0, 1])

    public static func diagonal(_ d: SIMD3<Double>) -> Matrix3 {
        Matrix3(columns: [d.x, 0, 0], [0, d.y, 0], [0, 0, d.z])
    }

    public subscript(column: Int) -> SIMD3<Double> {
        switch column {
        case 0: return columns.0
        case 1: return columns.1
        default: return columns.2
        }
    }

    /// Element at (row, column).
    public subscript(row: Int, column: Int) -> Double { self[column][row] }

    public var transpose: Matrix3 {
        Matrix3(
            columns: [columns.0.x, columns.1.x, columns.2.x],
            [columns.0.y, columns.1.y, columns.2.y],
            [columns.0.z, columns.1.z, columns.2.z])
    }

    public var determinant: Double {
        let (a, b, c) = columns
        return a.x * (b.y * c.z - b.z * c.y) - b.x * (a.y * c.z - a.z * c.y) + c.x * (a.y * b.z - a.z * b.y)
    }

    /// The inverse, or nil for a singular matrix.
    public var inverse: Matrix3? {
        let det = determinant
        guard abs(det) > 1e-12 else { return nil }
        let (a, b, c) = columns
        let r0 = cross(b, c) / det
        let r1 = cross(c, a) / det
        let r2 = cross(a, b) / det
        // Rows of the inverse are r0, r1, r2.
        return Matrix3(columns: r0, r1, r2).transpose
    }

    public static func * (m: Matrix3, v: SIMD3<Double>) -> SIMD3<Double> {
        m.columns.0 * v.x + m.columns.1 * v.y + m.columns.2 * v.z
    }

    public static func * (a: Matrix3, b: Matrix3) -> Matrix3 {
        Matrix3(columns: a * b.columns.0, a * b.columns.1, a * b.columns.2)
    }

    public static func == (a: Matrix3, b: Matrix3) -> Bool {
        a.columns.0 == b.columns.0 && a.columns.1 == b.columns.1 && a.columns.2 == b.columns.2
    }

    public func hash(into hasher: inout Hasher) {
        for c in 0..<3 { for r in 0..<3 { hasher.combine(self[r, c]) } }
    }

    /// Largest absolute difference between corresponding elements.
    public func maxDifference(_ other: Matrix3) -> Double {
        var d = 0.0
        for c in 0..<3 { for r in 0..<3 { d = max(d, abs(self[r, c] - other[r, c])) } }
        return d
    }

    /// Row-major list of the nine elements (as ITK and SimpleITK print a direction).
    public var rowMajor: [Double] { (0..<3).flatMap { r in (0..<3).map { c in self[r, c] } } }
}

@inlinable public func dot(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { (a * b).sum() }

@inlinable public func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}

@inlinable public func length(_ a: SIMD3<Double>) -> Double { dot(a, a).squareRoot() }
