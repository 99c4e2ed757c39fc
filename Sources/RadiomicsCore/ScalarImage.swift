/// An image volume in the narrowest storage that holds its values exactly: Int16 for most CT (HU), Float
/// otherwise. Feature code reads it through `cropped(to:)` as Double, on the ROI's bounding box only.
public enum ScalarImage: Sendable {
    case int16(Volume<Int16>)
    case float(Volume<Float>)

    public var geometry: ImageGeometry {
        switch self {
        case .int16(let v): return v.geometry
        case .float(let v): return v.geometry
        }
    }

    /// The voxels inside `box` as Double, on the matching sub-grid.
    public func cropped(to box: BoundingBox) -> Volume<Double> {
        switch self {
        case .int16(let v): return Self.crop(v, box)
        case .float(let v): return Self.crop(v, box)
        }
    }

    private static func crop<S: VoxelScalar>(_ v: Volume<S>, _ box: BoundingBox) -> Volume<Double> {
        let c = v.cropped(to: box)
        return Volume(geometry: c.geometry, voxels: c.voxels.map(\.doubleValue))
    }

    /// The whole image as Double (filters work on Double).
    public var doubleVolume: Volume<Double> { cropped(to: BoundingBox(size: geometry.size)) }

    /// Value at a voxel as Double.
    public subscript(i: Int, j: Int, k: Int) -> Double {
        switch self {
        case .int16(let v): return Double(v[i, j, k])
        case .float(let v): return Double(v[i, j, k])
        }
    }
}

/// Count, mean, minimum and maximum of the image inside a mask on the same grid.
public struct RegionStatistics: Equatable, Sendable {
    public var count: Int
    public var mean: Double
    public var minimum: Double
    public var maximum: Double

    /// Statistics of `image` over the region of `mask` (same grid), visiting only `box` (default: the
    /// region's bounding box). Nil when the region is empty.
    public init?(image: ScalarImage, mask: Mask, box: BoundingBox? = nil) {
        precondition(image.geometry.size == mask.geometry.size, "image and mask grids differ")
        guard let box = box ?? mask.boundingBox else { return nil }
        var acc = Accumulator()
        switch image {
        case .int16(let v): acc.add(v, mask, box)
        case .float(let v): acc.add(v, mask, box)
        }
        guard acc.count > 0 else { return nil }
        count = acc.count
        mean = acc.sum / Double(acc.count)
        minimum = acc.minimum
        maximum = acc.maximum
    }

    private struct Accumulator {
        var count = 0
        var sum = 0.0
        var minimum = Double.infinity
        var maximum = -Double.infinity

        mutating func add<S: VoxelScalar>(_ v: Volume<S>, _ mask: Mask, _ box: BoundingBox) {
            let g = v.geometry
            v.voxels.withUnsafeBufferPointer { values in
                mask.voxels.withUnsafeBufferPointer { m in
                    for k in box.lower.z...box.upper.z {
                        for j in box.lower.y...box.upper.y {
                            let row = g.linearIndex(0, j, k)
                            for i in box.lower.x...box.upper.x where m[row + i] != 0 {
                                let x = values[row + i].doubleValue
                                count += 1
                                sum += x
                                minimum = Swift.min(minimum, x)
                                maximum = Swift.max(maximum, x)
                            }
                        }
                    }
                }
            }
        }
    }
}
