import Foundation

/// PyRadiomics' Neighbouring Gray Tone Difference Matrix features (radiomics/ngtdm.py, matrix from cmatrices.c
/// calculate_ngtdm).
///
/// Every ROI voxel adds 1 to n_i of its grey level i and |i - mean of its neighbours' levels| to s_i. Neighbours are
/// the ROI voxels at the offsets of the bidirectional angle set for `settings.distances` (PyRadiomicsAngles; within
/// slices with `force2D`); voxels outside the ROI or the box are ignored.
///
/// Differences from IBSI: a voxel with no neighbour in the ROI is NOT left out: it still counts in n_i (and in N_vp,
/// the voxel count) with a difference of 0. Grey levels are the discretised values themselves. Flat regions get
/// PyRadiomics' special values: Coarseness 1e6 when sum p_i s_i = 0, Contrast 0 with one grey level, Busyness 0 when
/// sum |i p_i - j p_j| = 0, Strength 0 when sum s_i = 0. PyRadiomics drops grey levels with n_i = 0 before the
/// features, so its p_i = 0 masking never applies; here only levels present are summed over, which is the same.
public enum PyRadiomicsNGTDM {
    /// PyRadiomics' feature names (without the `original_ngtdm_` prefix) in its alphabetical output order.
    public static let featureNames: [String] = ["Busyness", "Coarseness", "Complexity", "Contrast", "Strength"]

    /// n_i (voxels) and s_i (summed absolute differences) for levels 1 ... max, at index level - 1.
    public static func matrix(levels: [Int32], roi: PyRadiomicsROI, settings: PyRadiomicsSettings)
        -> (n: [Double], s: [Double]) {
        let size = roi.size
        let stencil = PyRadiomicsNeighbourStencil(size: size, distances: settings.distances,
                                                  force2D: settings.force2D,
                                                  force2Ddimension: settings.force2Ddimension)
        var ng = 0
        for (l, m) in zip(levels, roi.mask) where m != 0 { ng = max(ng, Int(l)) }
        var n = [Double](repeating: 0, count: ng), s = [Double](repeating: 0, count: ng)
        // Grey levels on the box grown by the stencil's reach, 0 outside the ROI and in the margin (levels start
        // at 1; sums in 64 bits: 65,536 levels times the 8 million neighbours of distance 100). A row at a time:
        // the neighbours' count and level sum of every voxel of the row are added one offset at a time over the
        // whole row (independent integer adds the compiler vectorises), then each ROI voxel adds to n and s in
        // voxel order, as the loop over voxels does.
        let pad = max(stencil.reach.x, stencil.reach.y, stencil.reach.z)
        let grid = PyRadiomicsPaddedGrid(boxSize: size, pad: pad, outside: 0) { roi.mask[$0] != 0 ? levels[$0] : 0 }
        let ps = grid.size, steps = grid.steps(stencil.offsets)
        let count = UnsafeMutablePointer<Int32>.allocate(capacity: size.x), sum = UnsafeMutablePointer<Int>.allocate(capacity: size.x)
        defer { count.deallocate(); sum.deallocate() }
        grid.values.withUnsafeBufferPointer { p in
            for k in 0..<size.z {
                for j in 0..<size.y {
                    let g = p.baseAddress! + pad + ps.x * (j + pad + ps.y * (k + pad))
                    count.initialize(repeating: 0, count: size.x)
                    sum.initialize(repeating: 0, count: size.x)
                    for step in steps {
                        let u = g + step
                        for x in 0..<size.x {
                            count[x] &+= u[x] != 0 ? 1 : 0
                            sum[x] &+= Int(u[x])
                        }
                    }
                    for x in 0..<size.x where g[x] != 0 {
                        let level = Int(g[x])
                        n[level - 1] += 1
                        if count[x] > 0 { s[level - 1] += abs(Double(level) - Double(sum[x]) / Double(count[x])) }
                    }
                }
            }
        }
        return (n, s)
    }

    /// The 5 features, in `featureNames` order. All NaN for an empty ROI.
    public static func features(levels: [Int32], roi: PyRadiomicsROI, settings: PyRadiomicsSettings)
        -> [(name: String, value: Double)] {
        let (n, sAll) = matrix(levels: levels, roi: roi, settings: settings)
        // Keep the levels present: grey level, p_i, s_i.
        var level: [Double] = [], p: [Double] = [], s: [Double] = []
        let nvp = n.reduce(0, +)
        guard nvp > 0 else { return featureNames.map { ($0, .nan) } }
        for g in n.indices where n[g] > 0 {
            level.append(Double(g + 1))
            p.append(n[g] / nvp)
            s.append(sAll[g])
        }
        let ngp = level.count
        var sumPS = 0.0, sumS = 0.0
        for a in 0..<ngp { sumPS += p[a] * s[a]; sumS += s[a] }
        // Pair sums over ordered pairs (a, b); a == b adds 0 to each, so twice the a < b sum.
        var contrastSum = 0.0, busyDenominator = 0.0, complexitySum = 0.0, strengthSum = 0.0
        for a in 0..<ngp {
            for b in (a + 1)..<ngp {
                let d = level[a] - level[b], d2 = d * d
                contrastSum += p[a] * p[b] * d2
                busyDenominator += abs(level[a] * p[a] - level[b] * p[b])
                complexitySum += abs(d) * (p[a] * s[a] + p[b] * s[b]) / (p[a] + p[b])
                strengthSum += (p[a] + p[b]) * d2
            }
        }
        contrastSum *= 2; busyDenominator *= 2; complexitySum *= 2; strengthSum *= 2
        let coarseness = sumPS != 0 ? 1 / sumPS : 1e6
        let div = Double(ngp * (ngp - 1))
        let contrast = div != 0 ? contrastSum * sumS / nvp / div : 0
        let busyness = busyDenominator != 0 ? sumPS / busyDenominator : 0
        let complexity = complexitySum / nvp
        let strength = sumS != 0 ? strengthSum / sumS : 0
        return zip(featureNames, [busyness, coarseness, complexity, contrast, strength]).map { (name: $0.0, value: $0.1) }
    }
}
