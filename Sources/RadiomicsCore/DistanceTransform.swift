/// Exact Euclidean distance maps in millimetres (Felzenszwalb & Huttenlocher 2012, "Distance transforms of
/// sampled functions": the lower envelope of parabolas, one pass per axis, O(n) per row), with each axis
/// weighted by its spacing so anisotropic CT (thick slices) is measured in patient space. Lines run on all cores.
public enum DistanceTransform {
    /// For every voxel of the region (mask != 0) the distance to the nearest voxel centre outside it, in mm;
    /// 0 outside the region. Voxels beyond the grid count as outside, so a region touching the grid's edge
    /// has depth one voxel there. Edge voxels of the region have the distance to their outside neighbour.
    public static func depth(of mask: Mask) -> Volume<Float> {
        euclidean(mask, sitesWhere: 0, borderIsSite: true)
    }

    /// For every voxel outside the region the distance to the nearest region voxel centre, in mm; 0 inside.
    /// Infinity everywhere when the region is empty.
    public static func distance(from mask: Mask) -> Volume<Float> {
        euclidean(mask, sitesWhere: 1, borderIsSite: false)
    }

    private static func euclidean(_ mask: Mask, sitesWhere siteValue: UInt8, borderIsSite: Bool) -> Volume<Float> {
        let g = mask.geometry, n = g.size
        let big = Double.greatestFiniteMagnitude / 4
        // Squared distances, as Double for exactness of the parabola intersections.
        var f = [Double](repeating: 0, count: g.voxelCount)
        for i in 0..<f.count {
            let inRegion = mask.voxels[i] != 0
            let isSite = siteValue == 0 ? !inRegion : inRegion
            f[i] = isSite ? 0 : big
        }
        let weights = [g.spacing.x * g.spacing.x, g.spacing.y * g.spacing.y, g.spacing.z * g.spacing.z]
        for axis in 0..<3 {
            let lines = GridLines(size: n, axis: axis)
            let len = lines.length, stride = lines.stride, w = weights[axis]
            // With the border as a site, pad one site before and after the line.
            let pad = borderIsSite ? 1 : 0
            let m = len + 2 * pad
            f.withUnsafeMutableBufferPointer { buffer in
                let data = UnsafeSendable(buffer.baseAddress!)
                lines.parallelChunks { range in
                    var line = [Double](repeating: 0, count: m), out = [Double](repeating: 0, count: m)
                    var v = [Int](repeating: 0, count: m), z = [Double](repeating: 0, count: m + 1)
                    for o in range {
                        let p = data.value + lines.start(o)
                        for t in 0..<len { line[t + pad] = p[t * stride] }
                        if pad == 1 { line[0] = 0; line[m - 1] = 0 }
                        envelope(line, m, w, &out, &v, &z)
                        for t in 0..<len { p[t * stride] = out[t + pad] }
                    }
                }
            }
        }
        return Volume(geometry: g, voxels: f.map { $0 >= big / 2 ? Float.infinity : Float($0.squareRoot()) })
    }

    /// One-dimensional squared distance transform of `f` (positions spaced so that squared step = w).
    private static func envelope(_ f: [Double], _ m: Int, _ w: Double, _ d: inout [Double], _ v: inout [Int], _ z: inout [Double]) {
        let big = Double.greatestFiniteMagnitude / 4
        // Skip leading infinite samples: a parabola with an infinite floor never forms the envelope.
        var k = -1
        for q in 0..<m where f[q] < big / 2 {
            if k < 0 {
                k = 0; v[0] = q; z[0] = -.infinity; z[1] = .infinity
                continue
            }
            // Drop the parabolas the new one hides (z[0] = -infinity stops this at the first).
            func meet(_ p: Int) -> Double {
                ((f[q] + w * Double(q * q)) - (f[p] + w * Double(p * p))) / (2 * w * Double(q - p))
            }
            var s = meet(v[k])
            while s <= z[k] { k -= 1; s = meet(v[k]) }
            k += 1
            v[k] = q; z[k] = s; z[k + 1] = .infinity
        }
        guard k >= 0 else {
            for q in 0..<m { d[q] = big }
            return
        }
        var j = 0
        for q in 0..<m {
            while z[j + 1] < Double(q) { j += 1 }
            let dq = Double(q - v[j])
            d[q] = w * dq * dq + f[v[j]]
        }
    }
}
