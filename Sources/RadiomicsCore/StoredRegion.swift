/// Where the voxels of a region of a grid lie in the grid's storage: region voxel (i, j, k) at
/// `base + i * steps.x + j * steps.y + k * steps.z`. Lets a filter read a region in place, in the image's stored
/// type, instead of from a cropped copy.
public struct GridLayout: Sendable, Equatable {
    /// The region's extent.
    public let size: SIMD3<Int>
    /// The storage distance between neighbours along each axis.
    public let steps: SIMD3<Int>
    /// The storage position of the region's first voxel.
    public let base: Int

    /// Values of a grid of `size` stored alone, i fastest.
    public init(contiguous size: SIMD3<Int>) {
        self.size = size
        steps = SIMD3(1, size.x, size.x * size.y)
        base = 0
    }

    /// `region` of a grid of `gridSize` stored whole, i fastest.
    public init(region: BoundingBox, of gridSize: SIMD3<Int>) {
        precondition(BoundingBox(size: gridSize).contains(region), "region \(region) outside the grid \(gridSize)")
        size = region.size
        steps = SIMD3(1, gridSize.x, gridSize.x * gridSize.y)
        base = region.lower.x + steps.y * region.lower.y + steps.z * region.lower.z
    }

    /// Slices `z` (indices along the region's z) of the region, where they lie in the same storage.
    public func slices(_ z: Range<Int>) -> GridLayout {
        precondition(z.lowerBound >= 0 && z.upperBound <= size.z, "slices outside the region")
        return GridLayout(size: SIMD3(size.x, size.y, z.count), steps: steps, base: base + z.lowerBound * steps.z)
    }

    init(size: SIMD3<Int>, steps: SIMD3<Int>, base: Int) {
        self.size = size
        self.steps = steps
        self.base = base
    }

    /// The storage position of region voxel (i, j, k).
    @inlinable public func index(_ i: Int, _ j: Int, _ k: Int) -> Int { base &+ i &* steps.x &+ j &* steps.y &+ k &* steps.z }
}

/// A region of an image's voxels as stored (Int16 or Float), with where they lie: what a filter reads in place.
public enum StoredRegion {
    case int16(UnsafeBufferPointer<Int16>, GridLayout)
    case float(UnsafeBufferPointer<Float>, GridLayout)
}

extension ScalarImage {
    /// Calls `body` with `region`'s voxels in place, in their stored type (valid only inside `body`).
    public func withStored<R>(_ region: BoundingBox, _ body: (StoredRegion) throws -> R) rethrows -> R {
        let layout = GridLayout(region: region, of: geometry.size)
        switch self {
        case .int16(let v): return try v.voxels.withUnsafeBufferPointer { try body(.int16($0, layout)) }
        case .float(let v): return try v.voxels.withUnsafeBufferPointer { try body(.float($0, layout)) }
        }
    }
}
