/// A binary region of interest: 1 inside, 0 outside, on its own grid.
public typealias Mask = Volume<UInt8>

extension Volume where Scalar == UInt8 {
    /// Number of voxels in the region.
    public var regionVoxelCount: Int {
        voxels.withUnsafeBytes { ByteScan.countNonZero($0) }
    }

    /// The axial slice (k) holding the most voxels of the region, the first of equals; nil for a grid without
    /// slices. Snapshots and the review page open there.
    public var fullestSlice: Int? {
        let n = geometry.size, plane = n.x * n.y
        guard n.z > 0 else { return nil }
        var best = 0, bestCount = -1
        voxels.withUnsafeBytes { bytes in
            for k in 0..<n.z {
                let count = ByteScan.countNonZero(UnsafeRawBufferPointer(rebasing: bytes[(k * plane)..<((k + 1) * plane)]))
                if count > bestCount { best = k; bestCount = count }
            }
        }
        return best
    }

    /// The smallest box holding every voxel of the region, nil when the region is empty. Rows are tested by
    /// `ByteScan.contains`, so the mostly empty volume around a tumour costs a read at memory speed.
    public var boundingBox: BoundingBox? {
        let n = geometry.size
        var lower = SIMD3<Int>(n.x, n.y, n.z)
        var upper = SIMD3<Int>(-1, -1, -1)
        voxels.withUnsafeBytes { bytes in
            var row = 0
            for k in 0..<n.z {
                for j in 0..<n.y {
                    defer { row += n.x }
                    let start = bytes.baseAddress! + row
                    guard ByteScan.contains(UnsafeRawBufferPointer(start: start, count: n.x), nil) else { continue }
                    var first = 0, last = n.x - 1
                    while start.load(fromByteOffset: first, as: UInt8.self) == 0 { first += 1 }
                    while start.load(fromByteOffset: last, as: UInt8.self) == 0 { last -= 1 }
                    lower = pointwiseMin(lower, SIMD3(first, j, k))
                    upper = pointwiseMax(upper, SIMD3(last, j, k))
                }
            }
        }
        return upper.x < 0 ? nil : BoundingBox(lower: lower, upper: upper)
    }

    /// The region over `box` of a larger grid `grid`, of which this mask holds the part starting at `offset`
    /// (e.g. the slices read around a tumour): on `grid.subGrid(box)`, 0 where this mask holds nothing.
    public func cut(to box: BoundingBox, from offset: SIMD3<Int>, grid: ImageGeometry) -> Mask {
        let held = BoundingBox(lower: offset, upper: offset &+ geometry.size &- 1)
        if held.contains(box) {
            var out = cropped(to: box.relative(to: offset))
            out.geometry = grid.subGrid(box)
            return out
        }
        var out = Mask(geometry: grid.subGrid(box), repeating: 0)
        let lo = pointwiseMax(box.lower, held.lower), hi = pointwiseMin(box.upper, held.upper)
        guard all(lo .<= hi) else { return out }
        for k in lo.z...hi.z {
            for j in lo.y...hi.y {
                let from = geometry.linearIndex(lo.x - offset.x, j - offset.y, k - offset.z)
                let to = out.geometry.linearIndex(lo.x - box.lower.x, j - box.lower.y, k - box.lower.z)
                for i in 0...(hi.x - lo.x) { out.voxels[to + i] = voxels[from + i] }
            }
        }
        return out
    }

    /// This mask on another grid, by nearest neighbour in patient coordinates: each target voxel takes the
    /// value of the source voxel whose centre is nearest its own centre (none outside the source grid).
    /// Only the part of the target grid that the region can reach is visited.
    public func resampledNearest(onto target: ImageGeometry) -> Mask {
        var out = Mask(geometry: target, repeating: 0)
        guard let box = boundingBox, let reach = target.indexBox(covering: box, of: geometry),
              let (a, b) = target.indexMap(to: geometry)
        else { return out }
        // Target index -> source continuous index: s = a t + b, visited over the target box the region reaches.
        let t0 = reach.lower, t1 = reach.upper

        let s = geometry.size
        voxels.withUnsafeBufferPointer { src in
            out.voxels.withUnsafeMutableBufferPointer { dst in
                for k in t0.z...t1.z {
                    for j in t0.y...t1.y {
                        var p = a * SIMD3<Double>(Double(t0.x), Double(j), Double(k)) + b
                        let step = a[0]
                        var index = target.linearIndex(t0.x, j, k)
                        for _ in t0.x...t1.x {
                            let r = (p + 0.5).rounded(.down)
                            let si = Int(r.x), sj = Int(r.y), sk = Int(r.z)
                            if si >= 0, sj >= 0, sk >= 0, si < s.x, sj < s.y, sk < s.z,
                               src[si + s.x * (sj + s.y * sk)] != 0 {
                                dst[index] = 1
                            }
                            p += step
                            index += 1
                        }
                    }
                }
            }
        }
        return out
    }
}
