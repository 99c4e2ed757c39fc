/// Scalar types a volume can hold.
public protocol VoxelScalar: Numeric, Comparable, Sendable {
    var doubleValue: Double { get }
}

extension UInt8: VoxelScalar { @inlinable public var doubleValue: Double { Double(self) } }
extension Int16: VoxelScalar { @inlinable public var doubleValue: Double { Double(self) } }
extension Int32: VoxelScalar { @inlinable public var doubleValue: Double { Double(self) } }
extension Float: VoxelScalar { @inlinable public var doubleValue: Double { Double(self) } }
extension Double: VoxelScalar { @inlinable public var doubleValue: Double { self } }

/// A 3D grid of scalars in contiguous storage (i fastest), placed in patient space by its geometry.
public struct Volume<Scalar: VoxelScalar>: Sendable {
    public var geometry: ImageGeometry
    public var voxels: [Scalar]

    public init(geometry: ImageGeometry, voxels: [Scalar]) {
        precondition(voxels.count == geometry.voxelCount, "voxel count does not match the grid size")
        self.geometry = geometry
        self.voxels = voxels
    }

    public init(geometry: ImageGeometry, repeating value: Scalar) {
        self.geometry = geometry
        self.voxels = Array(repeating: value, count: geometry.voxelCount)
    }

    public var size: SIMD3<Int> { geometry.size }

    @inlinable public subscript(i: Int, j: Int, k: Int) -> Scalar {
        get { voxels[geometry.linearIndex(i, j, k)] }
        set { voxels[geometry.linearIndex(i, j, k)] = newValue }
    }

    /// A copy of the voxels inside `box` (and only those), on the matching sub-grid: one block copy per row, or
    /// a single one when the box spans whole slices.
    public func cropped(to box: BoundingBox) -> Volume<Scalar> {
        precondition(geometry.contains(box.lower) && geometry.contains(box.upper), "box outside the grid")
        let s = box.size, n = geometry.size
        let out = [Scalar](unsafeUninitializedCapacity: box.voxelCount) { dst, initialised in
            voxels.withUnsafeBufferPointer { src in
                guard let from = src.baseAddress, let to = dst.baseAddress else { return }
                if s.x == n.x && s.y == n.y {
                    to.initialize(from: from + geometry.linearIndex(0, 0, box.lower.z), count: box.voxelCount)
                    return
                }
                var o = 0
                for k in box.lower.z...box.upper.z {
                    for j in box.lower.y...box.upper.y {
                        (to + o).initialize(from: from + geometry.linearIndex(box.lower.x, j, k), count: s.x)
                        o += s.x
                    }
                }
            }
            initialised = box.voxelCount
        }
        return Volume(geometry: geometry.subGrid(box), voxels: out)
    }
}
