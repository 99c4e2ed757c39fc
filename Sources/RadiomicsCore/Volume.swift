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

    /// A copy of the voxels inside `box` (and only those), on the matching sub-grid.
    public func cropped(to box: BoundingBox) -> Volume<Scalar> {
        precondition(geometry.contains(box.lower) && geometry.contains(box.upper), "box outside the grid")
        let s = box.size
        var out = [Scalar]()
        out.reserveCapacity(box.voxelCount)
        voxels.withUnsafeBufferPointer { src in
            for k in box.lower.z...box.upper.z {
                for j in box.lower.y...box.upper.y {
                    let start = geometry.linearIndex(box.lower.x, j, k)
                    out.append(contentsOf: src[start..<(start + s.x)])
                }
            }
        }
        return Volume(geometry: geometry.subGrid(box), voxels: out)
    }
}
