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
        let held = Volume(geometry: ImageGeometry(size: region.size, spacing: grid.spacing), voxels: values)
        return held.cropped(to: box.relative(to: region.lower)).voxels
    }
}

extension ScalarImage {
    /// `region` as Double, in a window on this image's grid.
    public func window(_ region: BoundingBox) -> ImageWindow {
        ImageWindow(grid: geometry, region: region, values: cropped(to: region).voxels)
    }

    /// The smallest and largest value of the whole image, read in its own type.
    public var extremes: (min: Double, max: Double) {
        var range = ValueRange()
        switch self {
        case .int16(let v): v.voxels.withUnsafeBufferPointer { range.add($0) }
        case .float(let v): for x in v.voxels { range.add(x) }
        }
        return range.extremes
    }
}
