/// Neighbourhood grey tone difference matrix features (IBSI chapter 1, section "Neighbourhood grey tone
/// difference based features", family tag `ngt`).
///
/// For every ROI voxel of grey level i, A-bar is the mean grey level of its neighbours within Chebyshev
/// distance `distance` (the voxel itself excluded; in the slice plane for 2D and 2.5D, in the volume for
/// 3D) that lie in the ROI. Voxels without any such neighbour are left out. Over the remaining voxels:
/// n_i = number of voxels of level i, s_i = sum over them of |i - A-bar|, Nvc = sum_i n_i, p_i = n_i / Nvc,
/// Ngp = number of grey levels with p_i > 0. Sums over i, j run over levels with p > 0.
///
/// - `ngt_coarseness` coarseness: 1 / sum_i p_i s_i (10^6 when the sum is 0)
/// - `ngt_contrast`   contrast:   [1/(Ngp (Ngp - 1)) sum_i sum_j p_i p_j (i - j)^2] [1/Nvc sum_i s_i]
///                    (0 when Ngp = 1)
/// - `ngt_busyness`   busyness:   sum_i p_i s_i / sum_i sum_j |i p_i - j p_j| (0 when the denominator is 0)
/// - `ngt_complexity` complexity: 1/Nvc sum_i sum_j |i - j| (p_i s_i + p_j s_j) / (p_i + p_j)
/// - `ngt_strength`   strength:   sum_i sum_j (p_i + p_j)(i - j)^2 / sum_i s_i (0 when sum_i s_i = 0)
///
/// Aggregation: 2D computes the features from each slice's (n_i, s_i) and averages them over the slices
/// with at least one counted voxel; 2.5D sums n_i and s_i over slices; 3D uses the 26-neighbourhood.
public enum NGTDM {
    /// Feature names in output order (tag = `ngt_<name>_<dimension>`).
    public static let featureNames = ["coarseness", "contrast", "busyness", "complexity", "strength"]

    /// The 5 NGTDM features of `roi` under their IBSI tags.
    public static func compute(_ roi: DiscretisedROI, dimension: TextureDimension, distance: Int = 1) -> [FeatureValue] {
        let nx = roi.size.x, ny = roi.size.y, nz = roi.size.z
        let inPlane = dimension != .threeD
        let offsets = ZoneNeighbourhood.chebyshev(inPlane: inPlane, distance: distance)
        let odi = offsets.map(\.x), odj = offsets.map(\.y), odk = offsets.map(\.z)
        let odelta = offsets.map { $0.x + nx * ($0.y + ny * $0.z) }
        let ng = max(roi.levelCount, Int(roi.levels.max() ?? 0))
        let width = ng + 1
        // Per slice (2D, 2.5D) or one (3D) set of (n_i, s_i), row-major [group * width + i].
        let groups = inPlane ? nz : 1
        var n = [Double](repeating: 0, count: groups * width)
        var s = [Double](repeating: 0, count: groups * width)
        roi.levels.withUnsafeBufferPointer { lv in
            for k in 0..<nz {
                for j in 0..<ny {
                    for i in 0..<nx {
                        let v = i + nx * (j + ny * k)
                        let g = Int(lv[v])
                        if g <= 0 { continue }
                        var total = 0, count = 0
                        for o in 0..<offsets.count {
                            let a = i + odi[o], b = j + odj[o], c = k + odk[o]
                            if a < 0 || a >= nx || b < 0 || b >= ny || c < 0 || c >= nz { continue }
                            let h = Int(lv[v + odelta[o]])
                            if h > 0 { total += h; count += 1 }
                        }
                        if count == 0 { continue }
                        let cell = (inPlane ? k : 0) * width + g
                        n[cell] += 1
                        s[cell] += abs(Double(g) - Double(total) / Double(count))
                    }
                }
            }
        }
        func slice(_ gIndex: Int) -> (n: ArraySlice<Double>, s: ArraySlice<Double>) {
            (n[gIndex * width..<(gIndex + 1) * width], s[gIndex * width..<(gIndex + 1) * width])
        }
        let values: [Double]
        switch dimension {
        case .threeD:
            values = features(n: Array(n), s: Array(s))
        case .twoAndHalfD:
            var nm = [Double](repeating: 0, count: width), sm = nm
            for k in 0..<groups {
                for g in 0..<width { nm[g] += n[k * width + g]; sm[g] += s[k * width + g] }
            }
            values = features(n: nm, s: sm)
        case .twoD:
            var perSlice: [[Double]] = []
            for k in 0..<groups {
                let part = slice(k)
                if part.n.reduce(0, +) > 0 { perSlice.append(features(n: Array(part.n), s: Array(part.s))) }
            }
            values = ZoneTextureAggregation.mean(perSlice, count: featureNames.count)
        }
        return ZoneTextureAggregation.tagged(prefix: "ngt_", names: featureNames, values: values, dimension: dimension)
    }

    /// The five features from n_i (voxel counts) and s_i (summed absolute differences), index = grey level.
    static func features(n: [Double], s: [Double]) -> [Double] {
        let nvc = n.reduce(0, +)
        guard nvc > 0 else { return [Double](repeating: .nan, count: featureNames.count) }
        // Only grey levels present (p_i > 0).
        var level: [Double] = [], p: [Double] = [], sv: [Double] = []
        for g in n.indices where n[g] > 0 {
            level.append(Double(g)); p.append(n[g] / nvc); sv.append(s[g])
        }
        let ngp = level.count
        let sumS = sv.reduce(0, +)
        var sumPS = 0.0
        for a in 0..<ngp { sumPS += p[a] * sv[a] }
        let coarseness = sumPS == 0 ? 1e6 : 1 / sumPS
        var contrastSum = 0.0, busyDen = 0.0, complexity = 0.0, strengthNum = 0.0
        for a in 0..<ngp {
            for b in 0..<ngp {
                let d = level[a] - level[b]
                contrastSum += p[a] * p[b] * d * d
                busyDen += abs(level[a] * p[a] - level[b] * p[b])
                complexity += abs(d) * (p[a] * sv[a] + p[b] * sv[b]) / (p[a] + p[b])
                strengthNum += (p[a] + p[b]) * d * d
            }
        }
        let contrast = ngp > 1 ? contrastSum / Double(ngp * (ngp - 1)) * sumS / nvc : 0
        let busyness = busyDen == 0 ? 0 : sumPS / busyDen
        let strength = sumS == 0 ? 0 : strengthNum / sumS
        return [coarseness, contrast, busyness, complexity / nvc, strength]
    }
}
