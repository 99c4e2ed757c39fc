/// Neighbouring grey level dependence matrix features (IBSI chapter 1, section "Neighbouring grey level
/// dependence based features", family tag `ngl`).
///
/// For every ROI voxel of grey level i, its dependence j = 1 + the number of neighbours within Chebyshev
/// distance `distance` (centre excluded; in the slice plane for 2D and 2.5D, in the volume for 3D) that
/// lie in the ROI and whose grey level differs from i by at most `coarseness` (alpha). The matrix s_ij
/// counts voxels by (i, j); every ROI voxel is counted, so Ns = sum_ij s_ij = Nv. With p_ij = s_ij / Ns,
/// s_i. = sum_j s_ij and s_.j = sum_i s_ij:
///
/// - `ngl_lde`   low dependence emphasis:                  1/Ns sum_ij s_ij / j^2
/// - `ngl_hde`   high dependence emphasis:                 1/Ns sum_ij s_ij j^2
/// - `ngl_lgce`  low grey level count emphasis:            1/Ns sum_ij s_ij / i^2
/// - `ngl_hgce`  high grey level count emphasis:           1/Ns sum_ij s_ij i^2
/// - `ngl_ldlge` low dependence low grey level emphasis:   1/Ns sum_ij s_ij / (i^2 j^2)
/// - `ngl_ldhge` low dependence high grey level emphasis:  1/Ns sum_ij s_ij i^2 / j^2
/// - `ngl_hdlge` high dependence low grey level emphasis:  1/Ns sum_ij s_ij j^2 / i^2
/// - `ngl_hdhge` high dependence high grey level emphasis: 1/Ns sum_ij s_ij i^2 j^2
/// - `ngl_glnu`  grey level non-uniformity:                1/Ns sum_i s_i.^2
/// - `ngl_glnu_norm` normalised:                           1/Ns^2 sum_i s_i.^2
/// - `ngl_dcnu`  dependence count non-uniformity:          1/Ns sum_j s_.j^2
/// - `ngl_dcnu_norm` normalised:                           1/Ns^2 sum_j s_.j^2
/// - `ngl_dc_perc` dependence count percentage:            Ns / Nv (1 by construction)
/// - `ngl_gl_var` grey level variance:                     sum_ij (i - mu)^2 p_ij, mu = sum_ij i p_ij
/// - `ngl_dc_var` dependence count variance:               sum_ij (j - mu)^2 p_ij, mu = sum_ij j p_ij
/// - `ngl_dc_entr` dependence count entropy:               -sum_ij p_ij log2 p_ij
/// - `ngl_dc_energy` dependence count energy:              sum_ij p_ij^2
///
/// Aggregation: 2D averages the features of the per-slice matrices over slices with ROI voxels; 2.5D sums
/// the per-slice matrices; 3D builds one matrix with the volume neighbourhood.
public enum NGLDM {
    /// Feature names in output order (tag = `ngl_<name>_<dimension>`).
    public static let featureNames = ["lde", "hde", "lgce", "hgce", "ldlge", "ldhge", "hdlge", "hdhge",
                                      "glnu", "glnu_norm", "dcnu", "dcnu_norm", "dc_perc", "gl_var", "dc_var",
                                      "dc_entr", "dc_energy"]

    /// The 17 NGLDM features of `roi` under their IBSI tags.
    public static func compute(_ roi: DiscretisedROI, dimension: TextureDimension, distance: Int = 1,
                               coarseness: Int = 0) -> [FeatureValue] {
        let nx = roi.size.x, ny = roi.size.y, nz = roi.size.z
        let inPlane = dimension != .threeD
        let offsets = ZoneNeighbourhood.chebyshev(inPlane: inPlane, distance: distance)
        let odi = offsets.map(\.x), odj = offsets.map(\.y), odk = offsets.map(\.z)
        let odelta = offsets.map { $0.x + nx * ($0.y + ny * $0.z) }
        let ng = max(roi.levelCount, Int(roi.levels.max() ?? 0))
        let nCols = offsets.count + 2          // dependence j = 1...offsets.count + 1
        let cells = (ng + 1) * nCols
        let groups = inPlane ? nz : 1
        var matrix = [Double](repeating: 0, count: groups * cells)
        roi.levels.withUnsafeBufferPointer { lv in
            for k in 0..<nz {
                for j in 0..<ny {
                    for i in 0..<nx {
                        let v = i + nx * (j + ny * k)
                        let g = Int(lv[v])
                        if g <= 0 { continue }
                        var dependence = 1
                        for o in 0..<offsets.count {
                            let a = i + odi[o], b = j + odj[o], c = k + odk[o]
                            if a < 0 || a >= nx || b < 0 || b >= ny || c < 0 || c >= nz { continue }
                            let h = Int(lv[v + odelta[o]])
                            if h > 0 && abs(h - g) <= coarseness { dependence += 1 }
                        }
                        matrix[(inPlane ? k : 0) * cells + g * nCols + dependence] += 1
                    }
                }
            }
        }
        let values: [Double]
        switch dimension {
        case .threeD:
            let m = ZoneCountMatrix(dense: matrix, nCols: nCols)
            values = m.zoneStyleFeatures(voxelCount: m.total)
        case .twoAndHalfD:
            var merged = [Double](repeating: 0, count: cells)
            for k in 0..<groups { for c in 0..<cells { merged[c] += matrix[k * cells + c] } }
            let m = ZoneCountMatrix(dense: merged, nCols: nCols)
            values = m.zoneStyleFeatures(voxelCount: m.total)
        case .twoD:
            var perSlice: [[Double]] = []
            for k in 0..<groups {
                let m = ZoneCountMatrix(dense: Array(matrix[k * cells..<(k + 1) * cells]), nCols: nCols)
                if !m.isEmpty { perSlice.append(m.zoneStyleFeatures(voxelCount: m.total)) }
            }
            values = ZoneTextureAggregation.mean(perSlice, count: featureNames.count)
        }
        return ZoneTextureAggregation.tagged(prefix: "ngl_", names: featureNames, values: values, dimension: dimension)
    }
}
