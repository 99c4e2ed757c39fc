/// An inclusive box of voxel indices [lower, upper] on some grid.
public struct BoundingBox: Equatable, Hashable, Sendable {
    public var lower: SIMD3<Int>
    public var upper: SIMD3<Int>

    public init(lower: SIMD3<Int>, upper: SIMD3<Int>) {
        self.lower = lower
        self.upper = upper
    }

    /// The box covering a whole grid of the given size.
    public init(size: SIMD3<Int>) {
        self.init(lower: .zero, upper: size &- 1)
    }

    public var size: SIMD3<Int> { upper &- lower &+ 1 }
    public var voxelCount: Int { let s = size; return s.x * s.y * s.z }

    /// [x0, y0, z0, x1, y1, z1] as the diagnostics print it.
    public var flat: [Int] { [lower.x, lower.y, lower.z, upper.x, upper.y, upper.z] }

    /// The smallest box holding both.
    public func union(_ other: BoundingBox) -> BoundingBox {
        BoundingBox(lower: pointwiseMin(lower, other.lower), upper: pointwiseMax(upper, other.upper))
    }

    /// Does this box hold all of `other`?
    public func contains(_ other: BoundingBox) -> Bool {
        all(other.lower .>= lower) && all(other.upper .<= upper)
    }

    /// The same box in indices counted from `origin` (its lower corner becomes `lower - origin`).
    public func relative(to origin: SIMD3<Int>) -> BoundingBox {
        BoundingBox(lower: lower &- origin, upper: upper &- origin)
    }

    /// The box moved by `delta` voxels.
    public func shifted(by delta: SIMD3<Int>) -> BoundingBox {
        BoundingBox(lower: lower &+ delta, upper: upper &+ delta)
    }

    /// The box grown by `margin` voxels on each side and clipped to a grid of size `size`.
    public func expanded(by margin: SIMD3<Int>, within size: SIMD3<Int>) -> BoundingBox {
        BoundingBox(lower: pointwiseMax(lower &- margin, .zero), upper: pointwiseMin(upper &+ margin, size &- 1))
    }
}
