/// A part of an image held in memory as Double: the whole image's grid and the region of it that is held, indexed
/// by the whole image's voxel indices. Code that must behave as if it saw the whole image (PyRadiomics' filters:
/// boundaries at the image's edges, periodic wrapping) reads through it, while only the region it needs is
/// converted and kept.
public struct ImageWindow: Sendable {
    /// The whole image's grid.
    public let grid: ImageGeometry
    /// The part held (inclusive indices on `grid`).
    public let region: BoundingBox
    /// The region's values, i fastest.
    public let values: [Double]

    public init(grid: ImageGeometry, region: BoundingBox, values: [Double]) {
        precondition(values.count == region.voxelCount, "values do not fill the region")
        precondition(grid.contains(region.lower) && grid.contains(region.upper), "region outside the grid")
        self.grid = grid
        self.region = region
        self.values = values
    }

    /// A whole image held whole.
    public init(_ volume: Volume<Double>) {
        self.init(grid: volume.geometry, region: BoundingBox(size: volume.geometry.size), values: volume.voxels)
    }

    public var size: SIMD3<Int> { grid.size }

    /// Position in `values` of whole-image voxel (i, j, k), which must lie in `region`.
    @inlinable public func offset(_ i: Int, _ j: Int, _ k: Int) -> Int {
        let s = region.size
        return (i - region.lower.x) + s.x * ((j - region.lower.y) + s.y * (k - region.lower.z))
    }

    @inlinable public subscript(i: Int, j: Int, k: Int) -> Double { values[offset(i, j, k)] }

    /// The values of `box` (inside `region`), i fastest.
    public func values(in box: BoundingBox) -> [Double] {
        if box == region { return values }
        let bs = box.size
        var out = [Double](repeating: 0, count: box.voxelCount)
        var t = 0
        for k in box.lower.z...box.upper.z {
            for j in box.lower.y...box.upper.y {
                let start = offset(box.lower.x, j, k)
                for i in 0..<bs.x {
                    out[t] = values[start + i]
                    t += 1
                }
            }
        }
        return out
    }
}

extension ScalarImage {
    /// `region` as Double, in a window on this image's grid.
    public func window(_ region: BoundingBox) -> ImageWindow {
        ImageWindow(grid: geometry, region: region, values: cropped(to: region).voxels)
    }

    /// The largest absolute value of the whole image, read in its own type.
    public var largestMagnitude: Double {
        switch self {
        case .int16(let v):
            var m: Int32 = 0
            for x in v.voxels { m = max(m, abs(Int32(x))) }
            return Double(m)
        case .float(let v):
            var m: Float = 0
            for x in v.voxels { m = max(m, abs(x)) }
            return Double(m)
        }
    }
}
