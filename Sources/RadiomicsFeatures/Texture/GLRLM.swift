import Foundation

/// Grey level run length matrix features (IBSI 3.7, tags `rlm_*`).
///
/// r_Δ(i, j) counts runs along direction Δ (13 in 3D, 4 in-slice for 2D and 2.5D): maximal sequences of
/// j consecutive ROI voxels with grey level i. A voxel outside the ROI ends a run. Run lengths go up to the
/// longest run possible in the ROI's bounding box.
///
/// Aggregation as for `GLCM` (`2D_avg`: per slice and direction; `2D_comb`: the 4 directions of a slice
/// summed, averaged over slices; `2_5D_avg`: per direction summed over slices, averaged over directions;
/// `2_5D_comb`: all summed; `3D_avg`: per 3D direction, averaged; `3D_comb`: the 13 summed). Merging sums
/// counts. N_v, the voxel count in run percentage, is that of the matrix: the slice's voxels for 2D, the
/// ROI's for 2.5D and 3D, times the number of directions summed for merged matrices (every voxel lies in
/// one run per direction).
///
/// With N_s = Σ r_ij the number of runs, r_i. = Σ_j r_ij, r_.j = Σ_i r_ij, p_ij = r_ij / N_s,
/// grey levels i = 1...N_g (`roi.levelCount`), run lengths j = 1...N_r:
/// - `rlm_sre`: Σ r_.j / j² / N_s  (short runs emphasis)
/// - `rlm_lre`: Σ r_.j j² / N_s  (long runs emphasis)
/// - `rlm_lgre`: Σ r_i. / i² / N_s  (low grey level run emphasis)
/// - `rlm_hgre`: Σ r_i. i² / N_s  (high grey level run emphasis)
/// - `rlm_srlge`: Σ r_ij / (i² j²) / N_s
/// - `rlm_srhge`: Σ r_ij i² / j² / N_s
/// - `rlm_lrlge`: Σ r_ij j² / i² / N_s
/// - `rlm_lrhge`: Σ r_ij i² j² / N_s
/// - `rlm_glnu`: Σ r_i.² / N_s;  `rlm_glnu_norm`: Σ r_i.² / N_s²
/// - `rlm_rlnu`: Σ r_.j² / N_s;  `rlm_rlnu_norm`: Σ r_.j² / N_s²
/// - `rlm_r_perc`: N_s / N_v  (run percentage)
/// - `rlm_gl_var`: Σ (i-μ)² p_ij, μ = Σ i p_ij
/// - `rlm_rl_var`: Σ (j-μ)² p_ij, μ = Σ j p_ij
/// - `rlm_rl_entr`: -Σ p_ij log2 p_ij
public enum GLRLM {
    /// Feature names in output order (tag = `rlm_<name>_<dim>_<avg|comb>`).
    public static let featureNames = [
        "sre", "lre", "lgre", "hgre", "srlge", "srhge", "lrlge", "lrhge", "glnu", "glnu_norm", "rlnu",
        "rlnu_norm", "r_perc", "gl_var", "rl_var", "rl_entr",
    ]

    /// The `_avg` and `_comb` features of `dimension` (NaN for all when the ROI is empty).
    public static func compute(_ roi: DiscretisedROI, dimension: TextureDimension) -> [FeatureValue] {
        let nf = featureNames.count
        var avg = FeatureMean(featureCount: nf), comb = FeatureMean(featureCount: nf)
        if let box = TextureBox(roi) {
            let ng = max(roi.levelCount, box.maxLevel)
            let e = box.extent
            let nr = dimension == .threeD ? max(e.x, e.y, e.z) : max(e.x, e.y)
            let directions = TextureDirections.directions(for: dimension)
            let nd = directions.count
            let block = ng * nr
            var matrices = [Double](repeating: 0, count: nd * block)
            var merged = [Double](repeating: 0, count: block)

            func summarise(voxels: Int, into avg: inout FeatureMean, comb: inout FeatureMean) {
                for n in 0..<block { merged[n] = 0 }
                var used = 0
                for d in 0..<nd {
                    let m = Array(matrices[(d * block)..<((d + 1) * block)])
                    var total = 0.0
                    for n in 0..<block {
                        total += m[n]
                        merged[n] += m[n]
                    }
                    if total > 0 {
                        used += 1
                        avg.add(features(m, ng: ng, nr: nr, voxels: Double(voxels)))
                    }
                }
                if used > 0 { comb.add(features(merged, ng: ng, nr: nr, voxels: Double(voxels * used))) }
            }

            switch dimension {
            case .twoD:
                for k in box.lower.z...box.upper.z where box.sliceVoxelCounts[k] > 0 {
                    for n in 0..<matrices.count { matrices[n] = 0 }
                    count(roi, box: box, slices: k...k, directions: directions, ng: ng, nr: nr, into: &matrices)
                    summarise(voxels: box.sliceVoxelCounts[k], into: &avg, comb: &comb)
                }
            case .twoAndHalfD, .threeD:
                count(roi, box: box, slices: box.lower.z...box.upper.z, directions: directions, ng: ng, nr: nr,
                      into: &matrices)
                summarise(voxels: box.voxelCount, into: &avg, comb: &comb)
            }
        }
        return textureFeatures(family: "rlm", names: featureNames, dimension: dimension, aggregation: "avg",
                               values: avg.mean)
            + textureFeatures(family: "rlm", names: featureNames, dimension: dimension, aggregation: "comb",
                              values: comb.mean)
    }

    /// Adds the runs that start in `slices` (within `box`) to `matrices` (one N_g x N_r row-major block per
    /// direction, index d·N_g·N_r + (i-1)·N_r + (j-1)). A voxel starts a run when its predecessor along the
    /// direction is outside the box or has another level; the run is then followed to its end, so every
    /// voxel is visited once per direction.
    static func count(_ roi: DiscretisedROI, box: TextureBox, slices: ClosedRange<Int>, directions: [SIMD3<Int>],
                      ng: Int, nr: Int, into matrices: inout [Double]) {
        let sx = roi.size.x, sxy = roi.size.x * roi.size.y
        let nd = directions.count
        let di = directions.map { $0.x }, dj = directions.map { $0.y }, dk = directions.map { $0.z }
        let offset = directions.map { $0.x + sx * $0.y + sxy * $0.z }
        let lo = box.lower, hi = box.upper
        let block = ng * nr
        roi.levels.withUnsafeBufferPointer { L in
            matrices.withUnsafeMutableBufferPointer { M in
                for k in slices {
                    for j in lo.y...hi.y {
                        var idx = lo.x + sx * j + sxy * k
                        for i in lo.x...hi.x {
                            defer { idx += 1 }
                            let a = L[idx]
                            if a <= 0 { continue }
                            for d in 0..<nd {
                                let ddi = di[d], ddj = dj[d], ddk = dk[d], off = offset[d]
                                let pi = i - ddi, pj = j - ddj, pk = k - ddk
                                if pi >= lo.x && pi <= hi.x && pj >= lo.y && pj <= hi.y && pk >= lo.z && pk <= hi.z
                                    && L[idx - off] == a { continue }
                                var length = 1
                                var ni = i + ddi, nj = j + ddj, nk = k + ddk, nidx = idx + off
                                while ni >= lo.x && ni <= hi.x && nj >= lo.y && nj <= hi.y && nk >= lo.z && nk <= hi.z
                                    && L[nidx] == a {
                                    length += 1
                                    ni += ddi; nj += ddj; nk += ddk; nidx += off
                                }
                                M[d * block + (Int(a) - 1) * nr + (length - 1)] += 1
                            }
                        }
                    }
                }
            }
        }
    }

    /// The 16 features (order of `featureNames`) of one run length matrix (N_g x N_r, not empty).
    /// `voxels` is N_v for run percentage.
    static func features(_ m: [Double], ng: Int, nr: Int, voxels: Double) -> [Double] {
        var rowSum = [Double](repeating: 0, count: ng + 1), colSum = [Double](repeating: 0, count: nr + 1)
        var ns = 0.0, srlge = 0.0, srhge = 0.0, lrlge = 0.0, lrhge = 0.0
        for i in 1...ng {
            let fi = Double(i), i2 = fi * fi
            let row = (i - 1) * nr
            for j in 1...nr {
                let r = m[row + j - 1]
                if r == 0 { continue }
                let fj = Double(j), j2 = fj * fj
                ns += r
                rowSum[i] += r
                colSum[j] += r
                srlge += r / (i2 * j2)
                srhge += r * i2 / j2
                lrlge += r * j2 / i2
                lrhge += r * i2 * j2
            }
        }
        var sre = 0.0, lre = 0.0, rlnu = 0.0, muJ = 0.0
        for j in 1...nr where colSum[j] > 0 {
            let fj = Double(j), c = colSum[j]
            sre += c / (fj * fj)
            lre += c * fj * fj
            rlnu += c * c
            muJ += fj * c
        }
        var lgre = 0.0, hgre = 0.0, glnu = 0.0, muI = 0.0
        for i in 1...ng where rowSum[i] > 0 {
            let fi = Double(i), r = rowSum[i]
            lgre += r / (fi * fi)
            hgre += r * fi * fi
            glnu += r * r
            muI += fi * r
        }
        muI /= ns
        muJ /= ns
        var glVar = 0.0, rlVar = 0.0, entropy = 0.0
        for i in 1...ng where rowSum[i] > 0 { glVar += (Double(i) - muI) * (Double(i) - muI) * rowSum[i] / ns }
        for j in 1...nr where colSum[j] > 0 { rlVar += (Double(j) - muJ) * (Double(j) - muJ) * colSum[j] / ns }
        for r in m where r > 0 {
            let p = r / ns
            entropy -= p * log2(p)
        }
        return [
            sre / ns, lre / ns, lgre / ns, hgre / ns, srlge / ns, srhge / ns, lrlge / ns, lrhge / ns,
            glnu / ns, glnu / (ns * ns), rlnu / ns, rlnu / (ns * ns), ns / voxels, glVar, rlVar, entropy,
        ]
    }
}
