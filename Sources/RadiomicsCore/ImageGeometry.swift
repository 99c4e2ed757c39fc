/// Where a voxel grid sits in patient space (DICOM LPS, millimetres).
///
/// Voxel (i, j, k) has its centre at `origin + direction * (spacing * (i, j, k))`; the columns of `direction`
/// are the unit vectors of the i, j and k axes. Storage order is i fastest, then j, then k.
public struct ImageGeometry: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var size: SIMD3<Int>
    public var spacing: SIMD3<Double>
    public var origin: SIMD3<Double>
    public var direction: Matrix3

    public init(size: SIMD3<Int>, spacing: SIMD3<Double>, origin: SIMD3<Double> = .zero,
                direction: Matrix3 = .identity) {
        self.size = size
        self.spacing = spacing
        self.origin = origin
        self.direction = direction
    }

    public var voxelCount: Int { size.x * size.y * size.z }

    /// Index-to-patient linear part: direction scaled by spacing.
    public var indexToPhysicalMatrix: Matrix3 {
        Matrix3(columns: direction[0] * spacing.x, direction[1] * spacing.y, direction[2] * spacing.z)
    }

    @inlinable public func linearIndex(_ i: Int, _ j: Int, _ k: Int) -> Int { i + size.x * (j + size.y * k) }

    public func contains(_ index: SIMD3<Int>) -> Bool {
        index.x >= 0 && index.y >= 0 && index.z >= 0 && index.x < size.x && index.y < size.y && index.z < size.z
    }

    /// Patient position of a (continuous) voxel index.
    public func physicalPoint(index: SIMD3<Double>) -> SIMD3<Double> {
        origin + indexToPhysicalMatrix * index
    }

    /// Continuous voxel index of a patient position.
    public func continuousIndex(physical p: SIMD3<Double>) -> SIMD3<Double> {
        // direction is orthonormal for every grid this project makes or accepts, but invert in general.
        let inv = indexToPhysicalMatrix.inverse ?? .identity
        return inv * (p - origin)
    }

    /// Same grid within a tolerance: equal size, spacing and origin within `tolerance` x spacing,
    /// direction cosines within 1e-4.
    public func isSameGrid(as other: ImageGeometry, tolerance: Double = 1e-3) -> Bool {
        guard size == other.size else { return false }
        let spacingOK = (0..<3).allSatisfy { abs(spacing[$0] - other.spacing[$0]) <= tolerance * spacing[$0] }
        let minSpacing = min(spacing.x, spacing.y, spacing.z)
        let originOK = length(origin - other.origin) <= tolerance * minSpacing * 10
        return spacingOK && originOK && direction.maxDifference(other.direction) <= 1e-4
    }

    /// The grid of a sub-box of this one (same spacing and direction, origin moved to the box's first voxel).
    public func subGrid(_ box: BoundingBox) -> ImageGeometry {
        ImageGeometry(size: box.size, spacing: spacing,
                      origin: physicalPoint(index: SIMD3<Double>(box.lower)), direction: direction)
    }

    /// The box of whole slices `slices` (z indices) of this grid.
    public func zSlab(_ slices: ClosedRange<Int>) -> BoundingBox {
        BoundingBox(lower: SIMD3(0, 0, slices.lowerBound), upper: SIMD3(size.x - 1, size.y - 1, slices.upperBound))
    }

    public var description: String {
        "size \(size.x)x\(size.y)x\(size.z), spacing \(spacing.x)x\(spacing.y)x\(spacing.z) mm, origin (\(origin.x), \(origin.y), \(origin.z))"
    }
}
