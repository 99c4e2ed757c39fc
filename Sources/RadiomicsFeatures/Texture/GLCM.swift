import Foundation

/// Grey level co-occurrence matrix features (IBSI 3.6, tags `cm_*`).
///
/// The matrix M_Δ(i, j) counts pairs of ROI voxels with grey levels i and j, the second at offset
/// `distance` x Δ from the first, for each of the 13 (3D) or 4 (in-slice) directions Δ. With `symmetric`
/// (IBSI default) the pair is also counted as (j, i), i.e. Δ and -Δ together. Both voxels must be in the
/// ROI; for 2D and 2.5D both lie in the same slice (k constant).
///
/// Aggregation (suffix `_<dim>_avg` / `_<dim>_comb`):
/// - `2D_avg`: features of every (slice, direction) matrix, averaged (IBSI "2D, averaged").
/// - `2D_comb`: per slice the 4 direction matrices are summed, features per slice averaged over slices
///   (IBSI "2D, slice-wise merged").
/// - `2_5D_avg`: per direction the matrices of all slices are summed, features averaged over directions
///   (IBSI "2.5D, direction-wise merged").
/// - `2_5D_comb`: all slices and directions summed (IBSI "2.5D, merged").
/// - `3D_avg`: one 3D matrix per direction, features averaged (IBSI "3D, averaged").
/// - `3D_comb`: the 13 matrices summed (IBSI "3D, merged").
/// Merging sums counts, then normalises: p_ij = M_ij / Σ M. Empty matrices (no pair) are skipped.
///
/// With p_ij the normalised matrix, N_g = `roi.levelCount`, grey levels 1...N_g, marginals
/// p_i. = Σ_j p_ij, p_.j = Σ_i p_ij, p_{x-y}(k) = Σ_{|i-j|=k} p_ij (k = 0...N_g-1),
/// p_{x+y}(k) = Σ_{i+j=k} p_ij (k = 2...2N_g), μ_i = Σ i p_i., σ_i² = Σ (i-μ_i)² p_i. (and μ_j, σ_j alike):
/// - `cm_joint_max`: max p_ij
/// - `cm_joint_avg`: μ = Σ i p_ij
/// - `cm_joint_var`: Σ (i-μ)² p_ij
/// - `cm_joint_entr`: HXY = -Σ p_ij log2 p_ij
/// - `cm_diff_avg`: μ_{x-y} = Σ k p_{x-y}(k)
/// - `cm_diff_var`: Σ (k-μ_{x-y})² p_{x-y}(k)
/// - `cm_diff_entr`: -Σ p_{x-y}(k) log2 p_{x-y}(k)
/// - `cm_sum_avg`: μ_{x+y} = Σ k p_{x+y}(k)
/// - `cm_sum_var`: Σ (k-μ_{x+y})² p_{x+y}(k)
/// - `cm_sum_entr`: -Σ p_{x+y}(k) log2 p_{x+y}(k)
/// - `cm_energy`: Σ p_ij²
/// - `cm_contrast`: Σ (i-j)² p_ij
/// - `cm_dissimilarity`: Σ |i-j| p_ij
/// - `cm_inv_diff`: Σ p_ij / (1+|i-j|)
/// - `cm_inv_diff_norm`: Σ p_ij / (1+|i-j|/N_g)
/// - `cm_inv_diff_mom`: Σ p_ij / (1+(i-j)²)
/// - `cm_inv_diff_mom_norm`: Σ p_ij / (1+(i-j)²/N_g²)
/// - `cm_inv_var`: Σ_{k≥1} p_{x-y}(k) / k²
/// - `cm_corr`: (Σ (i-μ_i)(j-μ_j) p_ij) / (σ_i σ_j); 1 when σ_i σ_j = 0 (a single grey level)
/// - `cm_auto_corr`: Σ i j p_ij
/// - `cm_clust_tend`: Σ (i+j-μ_i-μ_j)² p_ij
/// - `cm_clust_shade`: Σ (i+j-μ_i-μ_j)³ p_ij
/// - `cm_clust_prom`: Σ (i+j-μ_i-μ_j)⁴ p_ij
/// - `cm_info_corr1`: (HXY - HXY1) / max(HX, HY), HX = -Σ p_i. log2 p_i., HXY1 = -Σ p_ij log2(p_i. p_.j);
///   0 when max(HX, HY) = 0
/// - `cm_info_corr2`: √(1 - exp(-2 (HXY2 - HXY))), HXY2 = -Σ p_i. p_.j log2(p_i. p_.j)
///   (HXY1 = HXY2 = HX + HY exactly, which is how both are computed)
public enum GLCM {
    /// Feature names in output order (tag = `cm_<name>_<dim>_<avg|comb>`).
    public static let featureNames = [
        "joint_max", "joint_avg", "joint_var", "joint_entr", "diff_avg", "diff_var", "diff_entr",
        "sum_avg", "sum_var", "sum_entr", "energy", "contrast", "dissimilarity", "inv_diff", "inv_diff_norm",
        "inv_diff_mom", "inv_diff_mom_norm", "inv_var", "corr", "auto_corr", "clust_tend", "clust_shade",
        "clust_prom", "info_corr1", "info_corr2",
    ]

    /// The `_avg` and `_comb` features of `dimension` (NaN for all when the ROI has no voxel pair).
    public static func compute(_ roi: DiscretisedROI, dimension: TextureDimension, distance: Int = 1,
                               symmetric: Bool = true) -> [FeatureValue] {
        let nf = featureNames.count
        var avg = FeatureMean(featureCount: nf), comb = FeatureMean(featureCount: nf)
        if let box = TextureBox(roi) {
            let ng = max(roi.levelCount, box.maxLevel)
            let directions = TextureDirections.directions(for: dimension)
            let nd = directions.count
            var matrices = [Double](repeating: 0, count: nd * ng * ng)
            var merged = [Double](repeating: 0, count: ng * ng)

            // Features of the per-direction matrices (avg) and of their sum (comb).
            func summarise(levels: ClosedRange<Int>, into avg: inout FeatureMean, comb: inout FeatureMean) {
                for n in 0..<(ng * ng) { merged[n] = 0 }
                var anyPair = false
                for d in 0..<nd {
                    let m = matrices[(d * ng * ng)..<((d + 1) * ng * ng)]
                    var total = 0.0
                    for n in 0..<(ng * ng) {
                        let c = m[m.startIndex + n]
                        total += c
                        merged[n] += c
                    }
                    if total > 0 {
                        anyPair = true
                        avg.add(features(Array(m), ng: ng, levels: levels))
                    }
                }
                if anyPair { comb.add(features(merged, ng: ng, levels: levels)) }
            }

            switch dimension {
            case .twoD:
                for k in box.lower.z...box.upper.z where box.sliceVoxelCounts[k] > 0 {
                    for n in 0..<matrices.count { matrices[n] = 0 }
                    let levels = count(roi, box: box, slices: k...k, directions: directions, distance: distance,
                                       symmetric: symmetric, ng: ng, into: &matrices)
                    summarise(levels: levels, into: &avg, comb: &comb)
                }
            case .twoAndHalfD, .threeD:
                // In-plane directions never leave the slice, so counting over the whole box merges slices.
                let levels = count(roi, box: box, slices: box.lower.z...box.upper.z, directions: directions,
                                   distance: distance, symmetric: symmetric, ng: ng, into: &matrices)
                summarise(levels: levels, into: &avg, comb: &comb)
            }
        }
        return textureFeatures(family: "cm", names: featureNames, dimension: dimension, aggregation: "avg",
                               values: avg.mean)
            + textureFeatures(family: "cm", names: featureNames, dimension: dimension, aggregation: "comb",
                              values: comb.mean)
    }

    /// Adds the co-occurrence counts of the voxels in `slices` (within `box`) to `matrices` (one N_g x N_g
    /// row-major block per direction, index d·N_g² + (i-1)·N_g + (j-1)), in one pass over the voxels.
    /// Returns the range of grey levels seen (for the feature loops).
    static func count(_ roi: DiscretisedROI, box: TextureBox, slices: ClosedRange<Int>, directions: [SIMD3<Int>],
                      distance: Int, symmetric: Bool, ng: Int, into matrices: inout [Double]) -> ClosedRange<Int> {
        let sx = roi.size.x, sxy = roi.size.x * roi.size.y
        let nd = directions.count
        let di = directions.map { $0.x * distance }, dj = directions.map { $0.y * distance }
        let dk = directions.map { $0.z * distance }
        let offset = directions.indices.map { di[$0] + sx * dj[$0] + sxy * dk[$0] }
        let lo = box.lower, hi = box.upper
        let ng2 = ng * ng
        var gMin = Int.max, gMax = 0
        roi.levels.withUnsafeBufferPointer { L in
            matrices.withUnsafeMutableBufferPointer { M in
                for k in slices {
                    for j in lo.y...hi.y {
                        var idx = lo.x + sx * j + sxy * k
                        for i in lo.x...hi.x {
                            defer { idx += 1 }
                            let a = Int(L[idx])
                            if a <= 0 { continue }
                            if a < gMin { gMin = a }
                            if a > gMax { gMax = a }
                            for d in 0..<nd {
                                let ni = i + di[d], nj = j + dj[d], nk = k + dk[d]
                                if ni < lo.x || ni > hi.x || nj < lo.y || nj > hi.y || nk < lo.z || nk > hi.z { continue }
                                let b = Int(L[idx + offset[d]])
                                if b <= 0 { continue }
                                M[d * ng2 + (a - 1) * ng + (b - 1)] += 1
                                if symmetric { M[d * ng2 + (b - 1) * ng + (a - 1)] += 1 }
                            }
                        }
                    }
                }
            }
        }
        return gMin <= gMax ? gMin...gMax : 1...1
    }

    /// The 25 features (order of `featureNames`) of one count matrix (N_g x N_g, row-major, not empty).
    /// Only rows and columns in `levels` can be non-zero.
    static func features(_ m: [Double], ng: Int, levels: ClosedRange<Int>) -> [Double] {
        let lo = levels.lowerBound, hi = levels.upperBound
        var total = 0.0
        for i in lo...hi { for j in lo...hi { total += m[(i - 1) * ng + (j - 1)] } }
        let inv = 1 / total
        var rowP = [Double](repeating: 0, count: ng + 1), colP = [Double](repeating: 0, count: ng + 1)
        var diffP = [Double](repeating: 0, count: ng), sumP = [Double](repeating: 0, count: 2 * ng + 1)
        var jointMax = 0.0, jointAvg = 0.0, jointEntr = 0.0, energy = 0.0, contrast = 0.0, dissim = 0.0
        var invDiff = 0.0, invDiffNorm = 0.0, invDiffMom = 0.0, invDiffMomNorm = 0.0, autoCorr = 0.0
        let dng = Double(ng)
        for i in lo...hi {
            let row = (i - 1) * ng
            for j in lo...hi {
                let c = m[row + j - 1]
                if c == 0 { continue }
                let p = c * inv
                let fi = Double(i), fj = Double(j)
                let ad = abs(i - j), fad = Double(ad)
                rowP[i] += p
                colP[j] += p
                diffP[ad] += p
                sumP[i + j] += p
                if p > jointMax { jointMax = p }
                jointAvg += fi * p
                jointEntr -= p * log2(p)
                energy += p * p
                contrast += fad * fad * p
                dissim += fad * p
                invDiff += p / (1 + fad)
                invDiffNorm += p / (1 + fad / dng)
                invDiffMom += p / (1 + fad * fad)
                invDiffMomNorm += p / (1 + fad * fad / (dng * dng))
                autoCorr += fi * fj * p
            }
        }
        var jointVar = 0.0
        var muI = 0.0, muJ = 0.0, hx = 0.0, hy = 0.0
        for g in lo...hi {
            let fg = Double(g)
            muI += fg * rowP[g]
            muJ += fg * colP[g]
            if rowP[g] > 0 { hx -= rowP[g] * log2(rowP[g]) }
            if colP[g] > 0 { hy -= colP[g] * log2(colP[g]) }
        }
        var varI = 0.0, varJ = 0.0
        for g in lo...hi {
            let fg = Double(g)
            varI += (fg - muI) * (fg - muI) * rowP[g]
            varJ += (fg - muJ) * (fg - muJ) * colP[g]
        }
        var cov = 0.0, tend = 0.0, shade = 0.0, prom = 0.0
        for i in lo...hi {
            let row = (i - 1) * ng
            for j in lo...hi {
                let c = m[row + j - 1]
                if c == 0 { continue }
                let p = c * inv
                let fi = Double(i), fj = Double(j)
                jointVar += (fi - jointAvg) * (fi - jointAvg) * p
                cov += (fi - muI) * (fj - muJ) * p
                let s = fi + fj - muI - muJ, s2 = s * s
                tend += s2 * p
                shade += s2 * s * p
                prom += s2 * s2 * p
            }
        }
        var diffAvg = 0.0, diffEntr = 0.0, invVar = 0.0
        for k in 0..<ng where diffP[k] > 0 {
            diffAvg += Double(k) * diffP[k]
            diffEntr -= diffP[k] * log2(diffP[k])
            if k > 0 { invVar += diffP[k] / Double(k * k) }
        }
        var diffVar = 0.0
        for k in 0..<ng where diffP[k] > 0 { diffVar += (Double(k) - diffAvg) * (Double(k) - diffAvg) * diffP[k] }
        var sumAvg = 0.0, sumEntr = 0.0
        for k in 2...(2 * ng) where sumP[k] > 0 {
            sumAvg += Double(k) * sumP[k]
            sumEntr -= sumP[k] * log2(sumP[k])
        }
        var sumVar = 0.0
        for k in 2...(2 * ng) where sumP[k] > 0 { sumVar += (Double(k) - sumAvg) * (Double(k) - sumAvg) * sumP[k] }
        let sd = (varI * varJ).squareRoot()
        let corr = sd > 0 ? cov / sd : 1
        let hxy12 = hx + hy
        let hMax = max(hx, hy)
        let infoCorr1 = hMax > 0 ? (jointEntr - hxy12) / hMax : 0
        let infoCorr2 = max(0, 1 - exp(-2 * (hxy12 - jointEntr))).squareRoot()
        return [
            jointMax, jointAvg, jointVar, jointEntr, diffAvg, diffVar, diffEntr, sumAvg, sumVar, sumEntr, energy,
            contrast, dissim, invDiff, invDiffNorm, invDiffMom, invDiffMomNorm, invVar, corr, autoCorr, tend, shade,
            prom, infoCorr1, infoCorr2,
        ]
    }
}
