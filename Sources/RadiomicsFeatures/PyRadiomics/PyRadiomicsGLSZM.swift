import Foundation

/// The neighbours of a voxel as PyRadiomics' C code visits them (cmatrices.c: calculate_glszm, calculate_gldm,
/// calculate_ngtdm): every offset of the bidirectional angle set (`PyRadiomicsAngles`), skipping offsets that leave
/// the box. Whether a neighbour is in the ROI is left to the caller.
///
/// Shared by `PyRadiomicsGLSZM`, `PyRadiomicsGLDM` and `PyRadiomicsNGTDM`.
struct PyRadiomicsNeighbourStencil {
    let size: SIMD3<Int>
    /// Offsets, both directions of each angle, (i, j, k) order.
    let offsets: [SIMD3<Int>]
    /// The same offsets as steps in the flat (i fastest) array.
    let steps: [Int]
    /// Largest |offset| per axis: voxels at least this far from every face need no bounds checks.
    let reach: SIMD3<Int>

    init(size: SIMD3<Int>, distances: [Int], force2D: Bool, force2Ddimension: Int) {
        self.size = size
        offsets = PyRadiomicsAngles.generate(size: size, distances: distances, force2D: force2D,
                                             force2Ddimension: force2Ddimension, bidirectional: true)
        steps = offsets.map { $0.x + size.x * ($0.y + size.y * $0.z) }
        var r = SIMD3<Int>(0, 0, 0)
        for o in offsets { r = pointwiseMax(r, SIMD3(abs(o.x), abs(o.y), abs(o.z))) }
        reach = r
    }

    /// Is voxel (i, j, k) far enough from every face that all its neighbours lie in the box?
    @inline(__always)
    func isInterior(_ i: Int, _ j: Int, _ k: Int) -> Bool {
        i >= reach.x && i < size.x - reach.x && j >= reach.y && j < size.y - reach.y && k >= reach.z && k < size.z - reach.z
    }

    /// Calls `body` with the flat index of every neighbour of voxel (i, j, k) (flat index `v`) inside the box.
    @inline(__always)
    func forEachNeighbour(_ i: Int, _ j: Int, _ k: Int, _ v: Int, _ body: (Int) -> Void) {
        if isInterior(i, j, k) {
            for s in steps { body(v + s) }
            return
        }
        for (o, s) in zip(offsets, steps) {
            let ni = i + o.x, nj = j + o.y, nk = k + o.z
            if ni >= 0, ni < size.x, nj >= 0, nj < size.y, nk >= 0, nk < size.z { body(v + s) }
        }
    }
}

/// PyRadiomics' Gray Level Size Zone Matrix features (radiomics/glszm.py, matrix from cmatrices.c calculate_glszm).
///
/// A zone is a set of ROI voxels of one grey level connected through PyRadiomics' distance-1 angle set: 26-connected
/// in 3D, 8-connected within each slice with `force2D` (slices cut across `force2Ddimension`), and never across an
/// axis on which the box is one voxel thick (PyRadiomics drops those directions, which changes nothing). Unlike
/// IBSI's 2D variant, zones from all slices go into one matrix. Empty grey levels and zone sizes are removed from the
/// matrix as PyRadiomics does, which leaves every feature unchanged, so only the zones found are summed over.
/// Grey levels are the discretised values themselves (1 ... max), as in PyRadiomics, not ranks.
public enum PyRadiomicsGLSZM {
    /// PyRadiomics' feature names (without the `original_glszm_` prefix) in its alphabetical output order.
    public static let featureNames: [String] = [
        "GrayLevelNonUniformity", "GrayLevelNonUniformityNormalized", "GrayLevelVariance",
        "HighGrayLevelZoneEmphasis", "LargeAreaEmphasis", "LargeAreaHighGrayLevelEmphasis",
        "LargeAreaLowGrayLevelEmphasis", "LowGrayLevelZoneEmphasis", "SizeZoneNonUniformity",
        "SizeZoneNonUniformityNormalized", "SmallAreaEmphasis", "SmallAreaHighGrayLevelEmphasis",
        "SmallAreaLowGrayLevelEmphasis", "ZoneEntropy", "ZonePercentage", "ZoneVariance",
    ]

    /// The zones of the ROI: grey level and voxel count of each, in order of their first voxel.
    ///
    /// - Parameter levels: grey levels of the box (`PyRadiomicsBinning.discretise`), >= 1 inside the ROI.
    public static func zones(levels: [Int32], roi: PyRadiomicsROI, settings: PyRadiomicsSettings)
        -> (level: [Int32], size: [Int32]) {
        let size = roi.size
        let stencil = PyRadiomicsNeighbourStencil(size: size, distances: [1], force2D: settings.force2D,
                                                  force2Ddimension: settings.force2Ddimension)
        // Flood fill from each unvisited ROI voxel in storage order. Levels sit on the box grown by one voxel, 0
        // outside the ROI, in the margin and once visited, so neighbours need neither a bounds check nor the
        // voxel's (i, j, k).
        let grid = PyRadiomicsPaddedGrid(boxSize: size, pad: 1, outside: 0) { roi.mask[$0] != 0 ? max(levels[$0], 0) : 0 }
        let ps = grid.size, steps = grid.steps(stencil.offsets)
        var open = grid.values
        var zoneLevel: [Int32] = [], zoneSize: [Int32] = []
        var stack: [Int] = []
        open.withUnsafeMutableBufferPointer { open in
            for k in 1...size.z {
                for j in 1...size.y {
                    let row = ps.x * (j + ps.y * k)
                    for v in (row + 1)...(row + size.x) where open[v] != 0 {
                        let g = open[v]
                        open[v] = 0
                        stack.append(v)
                        var count: Int32 = 0
                        while let u = stack.popLast() {
                            count += 1
                            for s in steps where open[u + s] == g {
                                open[u + s] = 0
                                stack.append(u + s)
                            }
                        }
                        zoneLevel.append(g)
                        zoneSize.append(count)
                    }
                }
            }
        }
        return (zoneLevel, zoneSize)
    }

    /// The 16 features, in `featureNames` order. All NaN for an empty ROI.
    public static func features(levels: [Int32], roi: PyRadiomicsROI, settings: PyRadiomicsSettings)
        -> [(name: String, value: Double)] {
        let (zl, zs) = zones(levels: levels, roi: roi, settings: settings)
        guard !zl.isEmpty else { return featureNames.map { ($0, .nan) } }
        let ng = Int(zl.max()!), maxSize = Int(zs.max()!)
        // Marginals: zones per grey level (pg) and per size (ps).
        var pg = [Double](repeating: 0, count: ng + 1), ps = [Double](repeating: 0, count: maxSize + 1)
        // Joint emphases add one term per zone.
        var salgle = 0.0, sahgle = 0.0, lalgle = 0.0, lahgle = 0.0
        for (g, s) in zip(zl, zs) {
            pg[Int(g)] += 1
            ps[Int(s)] += 1
            let i2 = Double(g) * Double(g), j2 = Double(s) * Double(s)
            salgle += 1 / (i2 * j2)
            sahgle += i2 / j2
            lalgle += j2 / i2
            lahgle += i2 * j2
        }
        let nz = Double(zl.count)
        var np = 0.0, sae = 0.0, lae = 0.0, szn = 0.0, meanJ = 0.0
        for j in 1...maxSize where ps[j] > 0 {
            let jd = Double(j)
            np += ps[j] * jd
            sae += ps[j] / (jd * jd)
            lae += ps[j] * jd * jd
            szn += ps[j] * ps[j]
            meanJ += ps[j] / nz * jd
        }
        var zv = 0.0
        for j in 1...maxSize where ps[j] > 0 { zv += ps[j] / nz * (Double(j) - meanJ) * (Double(j) - meanJ) }
        var gln = 0.0, lglze = 0.0, hglze = 0.0, meanI = 0.0
        for i in 1...ng where pg[i] > 0 {
            let id = Double(i)
            gln += pg[i] * pg[i]
            lglze += pg[i] / (id * id)
            hglze += pg[i] * id * id
            meanI += pg[i] / nz * id
        }
        var glv = 0.0
        for i in 1...ng where pg[i] > 0 { glv += pg[i] / nz * (Double(i) - meanI) * (Double(i) - meanI) }
        let entropy = PyRadiomicsMatrixEntropy.ofPairs(first: zl, second: zs, secondMax: maxSize, total: nz)
        let values: [Double] = [
            gln / nz, gln / (nz * nz), glv, hglze / nz, lae / nz, lahgle / nz, lalgle / nz, lglze / nz,
            szn / nz, szn / (nz * nz), sae / nz, sahgle / nz, salgle / nz, entropy, nz / np, zv,
        ]
        return zip(featureNames, values).map { (name: $0.0, value: $0.1) }
    }
}

/// PyRadiomics' matrix entropy, -sum p log2(p + eps) with eps = numpy.spacing(1) (2.2e-16), of a matrix given as a
/// list of (row, column) entries, one per count; p = count / `total`. Empty cells add nothing.
enum PyRadiomicsMatrixEntropy {
    static func ofPairs(first: [Int32], second: [Int32], secondMax: Int, total: Double) -> Double {
        var keys = zip(first, second).map { Int($0) * (secondMax + 1) + Int($1) }
        keys.sort()
        let eps = Double.ulpOfOne
        var sum = 0.0, start = 0
        while start < keys.count {
            var end = start + 1
            while end < keys.count, keys[end] == keys[start] { end += 1 }
            let p = Double(end - start) / total
            sum -= p * log2(p + eps)
            start = end
        }
        return sum
    }
}
