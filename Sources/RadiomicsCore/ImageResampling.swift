/// Resampling images between grids through patient coordinates, and how grids overlap.
///
/// Images are interpolated trilinearly; masks by nearest neighbour (`Mask.resampledNearest(onto:)`). The
/// IBSI and PyRadiomics preprocessing keep their own separable resamplers (`RadiomicsFeatures/Preprocessing`):
/// those define a feature's value (IBSI grid alignment, ITK's B-spline), while this one places a phase of a
/// study on another phase's grid, with any orientation, and marks what lies outside as NaN.

extension ImageGeometry {
    /// The box of this grid's voxel indices that covers `box` of `other` (its voxels' extent, so ±0.5 voxel
    /// around the centres) grown by `margin` voxels, clipped to this grid. Nil when they do not overlap.
    public func indexBox(covering box: BoundingBox, of other: ImageGeometry, margin: Int = 0) -> BoundingBox? {
        guard let inverse = indexToPhysicalMatrix.inverse else { return nil }
        var lo = SIMD3<Double>(repeating: .infinity), hi = SIMD3<Double>(repeating: -.infinity)
        for corner in 0..<8 {
            let c = SIMD3<Double>(
                corner & 1 == 0 ? Double(box.lower.x) - 0.5 : Double(box.upper.x) + 0.5,
                corner & 2 == 0 ? Double(box.lower.y) - 0.5 : Double(box.upper.y) + 0.5,
                corner & 4 == 0 ? Double(box.lower.z) - 0.5 : Double(box.upper.z) + 0.5)
            let t = inverse * (other.physicalPoint(index: c) - origin)
            lo = pointwiseMin(lo, t)
            hi = pointwiseMax(hi, t)
        }
        guard lo.x.isFinite, hi.x.isFinite, lo.y.isFinite, hi.y.isFinite, lo.z.isFinite, hi.z.isFinite else { return nil }
        let n = size
        let cap = Double(Int32.max)
        func low(_ v: Double) -> Int { Int(max(-cap, min(cap, v.rounded(.down)))) - margin }
        func high(_ v: Double) -> Int { Int(max(-cap, min(cap, v.rounded(.up)))) + margin }
        let lower = SIMD3<Int>(max(0, low(lo.x)), max(0, low(lo.y)), max(0, low(lo.z)))
        let upper = SIMD3<Int>(min(n.x - 1, high(hi.x)), min(n.y - 1, high(hi.y)), min(n.z - 1, high(hi.z)))
        guard lower.x <= upper.x, lower.y <= upper.y, lower.z <= upper.z else { return nil }
        return BoundingBox(lower: lower, upper: upper)
    }

    /// The affine map from this grid's indices to `source`'s continuous indices: s = a t + b.
    func indexMap(to source: ImageGeometry) -> (a: Matrix3, b: SIMD3<Double>)? {
        guard let inverse = source.indexToPhysicalMatrix.inverse else { return nil }
        return (inverse * indexToPhysicalMatrix, inverse * (origin - source.origin))
    }
}

extension Volume {
    /// This image on `target`'s grid by trilinear interpolation in patient coordinates. A target voxel whose
    /// centre lies more than half a voxel outside this grid is `outside` (NaN by default); within that half
    /// voxel the edge value is used, as ITK's linear interpolator does at the image border.
    public func resampledLinear(onto target: ImageGeometry, outside: Float = .nan) -> Volume<Float> {
        var out = Volume<Float>(geometry: target, repeating: outside)
        guard let (a, b) = target.indexMap(to: geometry) else { return out }
        let s = geometry.size, n = target.size
        let limit = SIMD3<Double>(Double(s.x) - 0.5, Double(s.y) - 0.5, Double(s.z) - 0.5)
        let step = a[0]
        voxels.withUnsafeBufferPointer { src in
            out.voxels.withUnsafeMutableBufferPointer { dst in
                var index = 0
                for k in 0..<n.z {
                    for j in 0..<n.y {
                        var p = a * SIMD3<Double>(0, Double(j), Double(k)) + b
                        for _ in 0..<n.x {
                            defer { p += step; index += 1 }
                            guard p.x >= -0.5, p.y >= -0.5, p.z >= -0.5, p.x <= limit.x, p.y <= limit.y, p.z <= limit.z
                            else { continue }
                            // Clamp into [0, n-1] (the half-voxel border takes the edge value).
                            let q = pointwiseMin(pointwiseMax(p, .zero), SIMD3<Double>(s &- 1))
                            let f = q.rounded(.down)
                            let i0 = Int(f.x), j0 = Int(f.y), k0 = Int(f.z)
                            let i1 = min(i0 + 1, s.x - 1), j1 = min(j0 + 1, s.y - 1), k1 = min(k0 + 1, s.z - 1)
                            let w = q - f
                            @inline(__always) func v(_ i: Int, _ j: Int, _ k: Int) -> Double {
                                src[i + s.x * (j + s.y * k)].doubleValue
                            }
                            let c00 = v(i0, j0, k0) + w.x * (v(i1, j0, k0) - v(i0, j0, k0))
                            let c10 = v(i0, j1, k0) + w.x * (v(i1, j1, k0) - v(i0, j1, k0))
                            let c01 = v(i0, j0, k1) + w.x * (v(i1, j0, k1) - v(i0, j0, k1))
                            let c11 = v(i0, j1, k1) + w.x * (v(i1, j1, k1) - v(i0, j1, k1))
                            let c0 = c00 + w.y * (c10 - c00), c1 = c01 + w.y * (c11 - c01)
                            dst[index] = Float(c0 + w.z * (c1 - c0))
                        }
                    }
                }
            }
        }
        return out
    }
}

extension ScalarImage {
    /// This image on `target`'s grid by trilinear interpolation (see `Volume.resampledLinear(onto:outside:)`).
    public func resampledLinear(onto target: ImageGeometry, outside: Float = .nan) -> Volume<Float> {
        switch self {
        case .int16(let v): return v.resampledLinear(onto: target, outside: outside)
        case .float(let v): return v.resampledLinear(onto: target, outside: outside)
        }
    }

    /// The voxels inside `box` as Float, on the matching sub-grid.
    public func croppedFloat(to box: BoundingBox) -> Volume<Float> {
        switch self {
        case .int16(let v): let c = v.cropped(to: box); return Volume(geometry: c.geometry, voxels: c.voxels.map { Float($0) })
        case .float(let v): return v.cropped(to: box)
        }
    }
}
