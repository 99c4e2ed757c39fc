import Foundation
import RadiomicsCore

/// PyRadiomics 3.1's grey level run length matrix features (radiomics/glrlm.py, matrix from cmatrices.c
/// `calculate_glrlm`).
///
/// Matrix: one per direction of `PyRadiomicsAngles.generate` with distance 1 (the `distances` setting is not used
/// by PyRadiomics' GLRLM; `force2D` / `force2Ddimension` are). Every line of the bounding box along the direction
/// is walked from where it enters the box; a run is a maximal stretch of consecutive ROI voxels with one grey level
/// (a voxel outside the ROI ends the run). The run length axis has max(box size) entries. A direction in which no
/// line holds more than one ROI voxel is emptied (PyRadiomics treats it as "2D for this angle").
/// Grey levels absent from the ROI are removed, the remaining grey level values are used as i, run lengths are
/// j = 1, 2, ....
///
/// Aggregation (`weightingNorm`): nil gives features per direction, then the mean over directions (NaN ignored);
/// "no_weighting", "manhattan", "euclidean" or "infinity" sum the direction matrices into one, weighted by the
/// norm of offset ⊙ spacing (1 for "no_weighting" or an unknown norm; note: *not* the exp(-d²) of the GLCM).
/// Empty directions are dropped when more than one matrix remains. N_r (number of runs) and N_p (Σ j P) are
/// taken from the (weighted) matrix itself.
///
/// Differences from IBSI: direction handling above (IBSI merges or averages the same 13 / 4 directions but never
/// drops one, nor weights by distance); RunEntropy adds eps = 2⁻⁵² inside the log2.
public enum PyRadiomicsGLRLM {
    /// PyRadiomics' GLRLM feature names, in its (alphabetical) output order.
    public static let featureNames = [
        "GrayLevelNonUniformity", "GrayLevelNonUniformityNormalized", "GrayLevelVariance", "HighGrayLevelRunEmphasis",
        "LongRunEmphasis", "LongRunHighGrayLevelEmphasis", "LongRunLowGrayLevelEmphasis", "LowGrayLevelRunEmphasis",
        "RunEntropy", "RunLengthNonUniformity", "RunLengthNonUniformityNormalized", "RunPercentage", "RunVariance",
        "ShortRunEmphasis", "ShortRunHighGrayLevelEmphasis", "ShortRunLowGrayLevelEmphasis",
    ]

    /// The GLRLM features of `levels` (PyRadiomics grey levels, >= 1 inside `roi.mask`) in `featureNames` order.
    /// All NaN when the ROI is empty. `grey`: the levels' index when the caller has it (GLCM uses the same).
    public static func features(levels: [Int32], roi: PyRadiomicsROI, settings: PyRadiomicsSettings,
                                grey: PyRadiomicsGLCM.GreyLevelIndex? = nil) -> [(name: String, value: Double)] {
        guard let grey = grey ?? PyRadiomicsGLCM.GreyLevelIndex(levels: levels, mask: roi.mask) else {
            return featureNames.map { ($0, .nan) }
        }
        let (p, count, nr) = matrices(grey: grey, roi: roi, settings: settings)
        let ng = grey.values.count, nf = featureNames.count
        var perAngle = [Double](repeating: .nan, count: count * nf)
        for a in 0..<count {
            angleFeatures(p[(a * ng * nr)..<((a + 1) * ng * nr)], greyLevels: grey.values, runLengths: nr,
                          into: &perAngle[(a * nf)..<((a + 1) * nf)])
        }
        return featureNames.enumerated().map { f, name in
            (name, PyRadiomicsGLCM.nanMean((0..<count).map { perAngle[$0 * nf + f] }))
        }
    }

    /// glrlm.py `_calculateMatrix`: run counts P[a][g][r] (g = index of the present grey level, r = run length - 1),
    /// weighted into one matrix if asked, empty directions dropped (when more than one). Returns the matrices, how
    /// many and the run length axis size.
    static func matrices(grey: PyRadiomicsGLCM.GreyLevelIndex, roi: PyRadiomicsROI,
                         settings: PyRadiomicsSettings) -> (p: [Double], count: Int, runLengths: Int) {
        let s = roi.size
        let ng = grey.values.count, nr = max(s.x, s.y, s.z)
        let angles = PyRadiomicsAngles.generate(size: s, distances: [1], force2D: settings.force2D,
                                                force2Ddimension: settings.force2Ddimension)
        let na = angles.count, size = ng * nr
        // Streaming the box in storage order, each voxel's run length is its predecessor's (voxel - offset, already
        // visited) plus one when the grey level is the same, else one; a run is counted where it ends, at an ROI
        // voxel whose successor has another grey level or lies outside the ROI. Without branches (grey levels vary
        // voxel to voxel, so branches would be mispredicted): a voxel that ends no run adds to a spare cell. The
        // margin of -1 around the box ends every line without a bounds check. One direction per core.
        let padded = grey.padded(size: s, by: 1)
        let ps = padded.size, total = padded.values.count
        let spare = 8 // spare cells after each direction's matrix, rotated to keep the additions independent
        let cellsPerAngle = size + spare
        var runCounts = [Int32](repeating: 0, count: na * cellsPerAngle)
        var longestRun = [Int32](repeating: 0, count: na)
        padded.values.withUnsafeBufferPointer { g in
            runCounts.withUnsafeMutableBufferPointer { c in
                longestRun.withUnsafeMutableBufferPointer { longest in
                    let shared = UnsafeSendable((g, c, longest))
                    // One run-length buffer per core, reused for its directions (fresh pages for every direction
                    // would cost more than the counting).
                    let workers = min(na, ThreadBudget.threads)
                    parallelFor(workers) { worker in
                        let (g, c, longest) = shared.value
                        let run = UnsafeMutablePointer<Int32>.allocate(capacity: total)
                        let rowCells = UnsafeMutablePointer<Int32>.allocate(capacity: s.x)
                        defer { run.deallocate(); rowCells.deallocate() }
                        run.initialize(repeating: 0, count: total)
                        let grey = g.baseAddress!
                        // Cells as Int32 in the vectorised rows (every matrix of a real ROI is far smaller).
                        let narrow = size + spare <= Int(Int32.max)
                        let nr32 = Int32(truncatingIfNeeded: nr), size32 = Int32(truncatingIfNeeded: size)
                        // The spare cells of x ... x + 7 (x a multiple of 8).
                        let spares = SIMD8<Int32>(repeating: size32) &+ SIMD8(0, 1, 2, 3, 4, 5, 6, 7)
                        for a in stride(from: worker, to: na, by: workers) {
                            let o = angles[a]
                            let delta = o.x + ps.x * (o.y + ps.y * o.z)
                            let cells = c.baseAddress! + a * cellsPerAngle
                            var maxRun: Int32 = 0, maxRuns = SIMD8<Int32>(repeating: 0)
                            for k in 1...s.z {
                                for j in 1...s.y {
                                    let row = ps.x * (j + ps.y * k) + 1
                                    // Any direction but x reaches back to an earlier row (delta > the row's length):
                                    // the row's run lengths and cells are independent of each other, eight at a time,
                                    // then counted.
                                    var x = 0
                                    if delta != 1 && narrow {
                                        let gv = grey + row, before = gv - delta, after = gv + delta
                                        let r0 = run + row, rBefore = r0 - delta
                                        while x + 8 <= s.x {
                                            typealias V = SIMD8<Int32>
                                            func load(_ p: UnsafePointer<Int32>) -> V { UnsafeRawPointer(p + x).loadUnaligned(as: V.self) }
                                            // Lane masks as integers (-1 / 0) by sign bits: Swift's generic SIMD masks
                                            // and pointwiseMax go lane by lane. Levels and run lengths are far from overflow.
                                            func differs(_ a: V, _ b: V) -> V { ((a &- b) | (b &- a)) &>> 31 }
                                            let level = load(gv)
                                            let restarts = differs(load(before), level)
                                            let r = ((load(rBefore) &+ 1) & ~restarts) | (V(repeating: 1) & restarts)
                                            UnsafeMutableRawPointer(r0 + x).storeBytes(of: r, as: V.self)
                                            let ends = ~(level &>> 31) & differs(load(after), level)
                                            let cell = ((level &* nr32 &+ r &- 1) & ends) | (spares & ~ends)
                                            UnsafeMutableRawPointer(rowCells + x).storeBytes(of: cell, as: V.self)
                                            let ended = r & ends
                                            maxRuns ^= (maxRuns ^ ended) & ((maxRuns &- ended) &>> 31)
                                            x += 8
                                        }
                                        for t in 0..<x { cells[Int(rowCells[t])] &+= 1 }
                                    }
                                    // What is left of the row (all of it along x, where each run length needs the one
                                    // before it), a voxel at a time.
                                    for v in (row + x)..<(row + s.x) {
                                        let gv = grey[v]
                                        let r = grey[v - delta] == gv ? run[v - delta] &+ 1 : 1
                                        run[v] = r
                                        let ends = gv >= 0 && grey[v + delta] != gv
                                        let cell = ends ? Int(gv) &* nr &+ Int(r) &- 1 : size &+ (v & (spare - 1))
                                        cells[cell] &+= 1
                                        maxRun = ends ? max(maxRun, r) : maxRun
                                    }
                                }
                            }
                            longest[a] = max(maxRun, maxRuns.max())
                        }
                    }
                }
            }
        }
        var counts = [Double](repeating: 0, count: na * size)
        for a in 0..<na { for e in 0..<size { counts[a * size + e] = Double(runCounts[a * cellsPerAngle + e]) } }
        for (a, o) in angles.enumerated() where longestRun[a] < 2 && !hasLineWithTwoROIVoxels(grey.index, size: s, offset: o) {
            // No line with two ROI voxels: cmatrices.c clears the direction (only length-1 runs exist).
            for e in (a * size)..<((a + 1) * size) { counts[e] = 0 }
        }
        var p = counts, count = na
        if let norm = settings.weightingNorm {
            var merged = [Double](repeating: 0, count: size)
            for (a, o) in angles.enumerated() {
                let d = SIMD3(Double(abs(o.x)), Double(abs(o.y)), Double(abs(o.z))) * roi.spacing
                let w: Double
                switch norm {
                case "infinity": w = max(d.x, d.y, d.z)
                case "euclidean": w = (d * d).sum().squareRoot()
                case "manhattan": w = d.sum()
                default: w = 1 // "no_weighting", and PyRadiomics' fallback for an unknown norm
                }
                for e in 0..<size { merged[e] += counts[a * size + e] * w }
            }
            p = merged
            count = 1
        }
        if count > 1 {
            var kept: [Double] = []
            kept.reserveCapacity(p.count)
            for a in 0..<count where p[(a * size)..<((a + 1) * size)].contains(where: { $0 != 0 }) {
                kept.append(contentsOf: p[(a * size)..<((a + 1) * size)])
            }
            if kept.isEmpty { kept = [Double](repeating: 0, count: size) } // all empty: features NaN
            count = kept.count / size
            p = kept
        }
        return (p, count, nr)
    }

    /// Does some line of the box along `o` hold two ROI voxels (not necessarily adjacent)? Asked only when every
    /// run has length 1, which is rare outside single-slice or sparse ROIs.
    static func hasLineWithTwoROIVoxels(_ g: [Int32], size s: SIMD3<Int>, offset o: SIMD3<Int>) -> Bool {
        let delta = o.x + s.x * (o.y + s.y * o.z)
        for k in 0..<s.z {
            for j in 0..<s.y {
                for i in 0..<s.x {
                    // Each line starts at a voxel whose predecessor (voxel - offset) lies outside the box.
                    let pi = i - o.x, pj = j - o.y, pk = k - o.z
                    if pi >= 0 && pi < s.x && pj >= 0 && pj < s.y && pk >= 0 && pk < s.z { continue }
                    var x = i, y = j, z = k, v = i + s.x * (j + s.y * k), roiVoxels = 0
                    while x >= 0 && x < s.x && y >= 0 && y < s.y && z >= 0 && z < s.z {
                        if g[v] >= 0 { roiVoxels += 1; if roiVoxels > 1 { return true } }
                        x += o.x; y += o.y; z += o.z; v += delta
                    }
                }
            }
        }
        return false
    }

    /// The 16 features (in `featureNames` order) of one run length matrix (ng x nr counts), as glrlm.py per direction.
    /// NaN when the matrix holds no run.
    static func angleFeatures(_ p: ArraySlice<Double>, greyLevels g: [Double], runLengths nr: Int,
                              into out: inout ArraySlice<Double>) {
        let ng = g.count, b = p.startIndex
        var pg = [Double](repeating: 0, count: ng), pr = [Double](repeating: 0, count: nr)
        var total = 0.0
        for i in 0..<ng {
            for r in 0..<nr {
                let v = p[b + i * nr + r]
                pg[i] += v; pr[r] += v; total += v
            }
        }
        let runs = total == 0 ? Double.nan : total // glrlm.py: Nr = 0 -> NaN
        var gln = 0.0, hglre = 0.0, lglre = 0.0, ui = 0.0
        for i in 0..<ng {
            gln += pg[i] * pg[i]
            hglre += pg[i] * g[i] * g[i]
            lglre += pg[i] / (g[i] * g[i])
            ui += pg[i] / runs * g[i]
        }
        var glv = 0.0
        for i in 0..<ng { glv += pg[i] / runs * (g[i] - ui) * (g[i] - ui) }
        var rln = 0.0, sre = 0.0, lre = 0.0, np = 0.0, uj = 0.0
        for r in 0..<nr {
            let j = Double(r + 1)
            rln += pr[r] * pr[r]
            sre += pr[r] / (j * j)
            lre += pr[r] * j * j
            np += pr[r] * j
            uj += pr[r] / runs * j
        }
        var rv = 0.0
        for r in 0..<nr { rv += pr[r] / runs * (Double(r + 1) - uj) * (Double(r + 1) - uj) }
        var entropy = 0.0, srlgle = 0.0, srhgle = 0.0, lrlgle = 0.0, lrhgle = 0.0
        for i in 0..<ng {
            let i2 = g[i] * g[i]
            for r in 0..<nr {
                let v = p[b + i * nr + r]
                if v == 0 { continue }
                let j2 = Double((r + 1) * (r + 1))
                let q = v / runs
                entropy -= q * log2(q + PyRadiomicsGLCM.eps)
                srlgle += v / (i2 * j2)
                srhgle += v * i2 / j2
                lrlgle += v * j2 / i2
                lrhgle += v * j2 * i2
            }
        }
        let values = [
            gln / runs, gln / (runs * runs), glv, hglre / runs, lre / runs, lrhgle / runs, lrlgle / runs, lglre / runs,
            total == 0 ? .nan : entropy, rln / runs, rln / (runs * runs), runs / np, rv, sre / runs, srhgle / runs,
            srlgle / runs,
        ]
        for (f, v) in values.enumerated() { out[out.startIndex + f] = v }
    }
}
