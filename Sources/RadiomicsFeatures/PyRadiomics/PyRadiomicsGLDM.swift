import Foundation
import RadiomicsCore

/// PyRadiomics' Gray Level Dependence Matrix features (radiomics/gldm.py, matrix from cmatrices.c calculate_gldm).
///
/// Each ROI voxel counts its dependent neighbours: ROI voxels at any offset of the bidirectional angle set for
/// `settings.distances` (PyRadiomicsAngles; 2D within slices with `force2D`) whose grey level differs by at most
/// `settings.gldmA` (PyRadiomics' `gldm_a`). The voxel goes into row = its grey level, column j = dependents + 1.
/// Close to IBSI's NGLDM with Chebyshev distance and alpha = gldm_a, but one matrix over the whole volume (also with
/// `force2D`), grey levels are the discretised values themselves, and PyRadiomics' feature set (no Dependence
/// Percentage or normalised GLN: deprecated). Removing empty rows and columns, as PyRadiomics does, changes nothing.
public enum PyRadiomicsGLDM {
    /// PyRadiomics' feature names (without the `original_gldm_` prefix) in its alphabetical output order.
    public static let featureNames: [String] = [
        "DependenceEntropy", "DependenceNonUniformity", "DependenceNonUniformityNormalized", "DependenceVariance",
        "GrayLevelNonUniformity", "GrayLevelVariance", "HighGrayLevelEmphasis", "LargeDependenceEmphasis",
        "LargeDependenceHighGrayLevelEmphasis", "LargeDependenceLowGrayLevelEmphasis", "LowGrayLevelEmphasis",
        "SmallDependenceEmphasis", "SmallDependenceHighGrayLevelEmphasis", "SmallDependenceLowGrayLevelEmphasis",
    ]

    /// The dependence matrix: `counts[(level - 1) * columns + dependents]` for levels 1 ... `levelCount`
    /// (the ROI's maximum) and 0 ... `columns - 1` dependents, `columns` = number of neighbour offsets + 1
    /// (PyRadiomics allocates 2 x offsets + 1 columns; the extra ones are always empty).
    public static func matrix(levels: [Int32], roi: PyRadiomicsROI, settings: PyRadiomicsSettings)
        -> (counts: [Double], levelCount: Int, columns: Int) {
        let size = roi.size
        let stencil = PyRadiomicsNeighbourStencil(size: size, distances: settings.distances,
                                                  force2D: settings.force2D,
                                                  force2Ddimension: settings.force2Ddimension)
        var maxLevel = 0
        for (l, m) in zip(levels, roi.mask) where m != 0 { maxLevel = max(maxLevel, Int(l)) }
        let ng = maxLevel, columns = stencil.steps.count + 1
        // Grey levels on the box grown by the stencil's reach, -1 outside the ROI and in the margin: a neighbour
        // outside the box counts as outside the ROI, with no bounds check. |difference| <= alpha for integer
        // levels is |difference| <= floor(alpha).
        let pad = max(stencil.reach.x, stencil.reach.y, stencil.reach.z)
        let grid = PyRadiomicsPaddedGrid(boxSize: size, pad: pad, outside: -1) { roi.mask[$0] != 0 ? levels[$0] : -1 }
        let ps = grid.size, padded = grid.values, steps = grid.steps(stencil.offsets)
        let alpha = Int32(clamping: Int(min(max(settings.gldmA, 0), Double(Int32.max)).rounded(.down)))
        // Slabs of slices on all cores, each with its own counts. A row at a time: the dependents of every voxel of
        // the row are counted one neighbour offset at a time over the whole row (independent compares the compiler
        // vectorises), then each ROI voxel adds to its cell.
        let slabs = min(size.z, 4 * ThreadBudget.threads)
        var slabCounts = [Int](repeating: 0, count: slabs * ng * columns)
        padded.withUnsafeBufferPointer { p in
            slabCounts.withUnsafeMutableBufferPointer { c in
                let shared = UnsafeSendable((p, c))
                parallelFor(slabs) { slab in
                    let (p, c) = shared.value
                    let cells = c.baseAddress! + slab * ng * columns
                    let dependents = UnsafeMutablePointer<Int32>.allocate(capacity: size.x)
                    defer { dependents.deallocate() }
                    let base = p.baseAddress!
                    for k in (slab * size.z / slabs)..<((slab + 1) * size.z / slabs) {
                        for j in 0..<size.y {
                            let g = base + pad + ps.x * (j + pad + ps.y * (k + pad))
                            dependents.initialize(repeating: 0, count: size.x)
                            for s in steps {
                                let n = g + s
                                if alpha == 0 {
                                    // PyRadiomics' default: equal levels (an equal neighbour of an ROI voxel is in it).
                                    for x in 0..<size.x { dependents[x] &+= n[x] == g[x] ? 1 : 0 }
                                } else {
                                    for x in 0..<size.x {
                                        let d = n[x] &- g[x]
                                        dependents[x] &+= (n[x] >= 0 && d <= alpha && d >= -alpha) ? 1 : 0
                                    }
                                }
                            }
                            for x in 0..<size.x where g[x] >= 0 {
                                cells[(Int(g[x]) - 1) * columns + Int(dependents[x])] += 1
                            }
                        }
                    }
                }
            }
        }
        var counts = [Double](repeating: 0, count: ng * columns)
        for slab in 0..<slabs {
            for e in 0..<(ng * columns) { counts[e] += Double(slabCounts[slab * ng * columns + e]) }
        }
        return (counts, ng, columns)
    }

    /// The 14 features, in `featureNames` order. All NaN for an empty ROI.
    public static func features(levels: [Int32], roi: PyRadiomicsROI, settings: PyRadiomicsSettings)
        -> [(name: String, value: Double)] {
        let (p, ng, columns) = matrix(levels: levels, roi: roi, settings: settings)
        guard ng > 0 else { return featureNames.map { ($0, .nan) } }
        var pg = [Double](repeating: 0, count: ng), pd = [Double](repeating: 0, count: columns)
        var entropyCells: [Double] = []
        var sdlgle = 0.0, sdhgle = 0.0, ldlgle = 0.0, ldhgle = 0.0, nz = 0.0
        for r in 0..<ng {
            let i2 = Double(r + 1) * Double(r + 1)
            for c in 0..<columns where p[r * columns + c] > 0 {
                let x = p[r * columns + c], j2 = Double(c + 1) * Double(c + 1)
                pg[r] += x
                pd[c] += x
                nz += x
                entropyCells.append(x)
                sdlgle += x / (i2 * j2)
                sdhgle += x * i2 / j2
                ldlgle += x * j2 / i2
                ldhgle += x * i2 * j2
            }
        }
        let eps = Double.ulpOfOne
        var entropy = 0.0
        for x in entropyCells { let q = x / nz; entropy -= q * log2(q + eps) }
        var sde = 0.0, lde = 0.0, dn = 0.0, meanJ = 0.0
        for c in 0..<columns where pd[c] > 0 {
            let j = Double(c + 1)
            sde += pd[c] / (j * j)
            lde += pd[c] * j * j
            dn += pd[c] * pd[c]
            meanJ += pd[c] / nz * j
        }
        var dv = 0.0
        for c in 0..<columns where pd[c] > 0 { dv += pd[c] / nz * (Double(c + 1) - meanJ) * (Double(c + 1) - meanJ) }
        var gln = 0.0, lgle = 0.0, hgle = 0.0, meanI = 0.0
        for r in 0..<ng where pg[r] > 0 {
            let i = Double(r + 1)
            gln += pg[r] * pg[r]
            lgle += pg[r] / (i * i)
            hgle += pg[r] * i * i
            meanI += pg[r] / nz * i
        }
        var glv = 0.0
        for r in 0..<ng where pg[r] > 0 { glv += pg[r] / nz * (Double(r + 1) - meanI) * (Double(r + 1) - meanI) }
        let values: [Double] = [
            entropy, dn / nz, dn / (nz * nz), dv, gln / nz, glv, hgle / nz, lde / nz, ldhgle / nz, ldlgle / nz,
            lgle / nz, sde / nz, sdhgle / nz, sdlgle / nz,
        ]
        return zip(featureNames, values).map { (name: $0.0, value: $0.1) }
    }
}
