/// Grey level distance zone matrix features (IBSI chapter 1, section "Grey level distance zone based
/// features", family tag `dzm`).
///
/// Zones are as in the GLSZM (connected voxels of one grey level: 8-connected in a slice for 2D and 2.5D,
/// 26-connected for 3D). Each voxel's distance to the ROI edge is the smallest number of face-neighbour
/// steps (4-connected within the slice for 2D and 2.5D, 6-connected for 3D) to a voxel outside the mask
/// that defines the distance map; voxels beyond the box count as outside, so edge voxels have distance 1.
/// A zone's distance d is the minimum over its voxels. The matrix s_ij counts zones of grey level i and
/// distance j. With Ns the number of zones, Nv the number of ROI voxels, p_ij = s_ij / Ns:
///
/// - `dzm_sde`   small distance emphasis:                 1/Ns sum_ij s_ij / j^2
/// - `dzm_lde`   large distance emphasis:                 1/Ns sum_ij s_ij j^2
/// - `dzm_lgze`  low grey level zone emphasis:            1/Ns sum_ij s_ij / i^2
/// - `dzm_hgze`  high grey level zone emphasis:           1/Ns sum_ij s_ij i^2
/// - `dzm_sdlge` small distance low grey level emphasis:  1/Ns sum_ij s_ij / (i^2 j^2)
/// - `dzm_sdhge` small distance high grey level emphasis: 1/Ns sum_ij s_ij i^2 / j^2
/// - `dzm_ldlge` large distance low grey level emphasis:  1/Ns sum_ij s_ij j^2 / i^2
/// - `dzm_ldhge` large distance high grey level emphasis: 1/Ns sum_ij s_ij i^2 j^2
/// - `dzm_glnu`  grey level non-uniformity:               1/Ns sum_i s_i.^2
/// - `dzm_glnu_norm` normalised:                          1/Ns^2 sum_i s_i.^2
/// - `dzm_zdnu`  zone distance non-uniformity:            1/Ns sum_j s_.j^2
/// - `dzm_zdnu_norm` normalised:                          1/Ns^2 sum_j s_.j^2
/// - `dzm_z_perc` zone percentage:                        Ns / Nv
/// - `dzm_gl_var` grey level variance:                    sum_ij (i - mu)^2 p_ij, mu = sum_ij i p_ij
/// - `dzm_zd_var` zone distance variance:                 sum_ij (j - mu)^2 p_ij, mu = sum_ij j p_ij
/// - `dzm_zd_entr` zone distance entropy:                 -sum_ij p_ij log2 p_ij
///
/// Aggregation as for the GLSZM: 2D averages per-slice features, 2.5D sums the per-slice matrices, 3D
/// uses one volume matrix.
public enum GLDZM {
    /// Feature names in output order (tag = `dzm_<name>_<dimension>`).
    public static let featureNames = ["sde", "lde", "lgze", "hgze", "sdlge", "sdhge", "ldlge", "ldhge",
                                      "glnu", "glnu_norm", "zdnu", "zdnu_norm", "z_perc", "gl_var", "zd_var",
                                      "zd_entr"]

    /// The 16 GLDZM features of `roi` under their IBSI tags.
    ///
    /// - Parameter distanceMask: the mask (same box and storage order as `roi.levels`, non-zero = inside)
    ///   whose edge the distances are measured to. IBSI computes the distance map on the ROI *morphological*
    ///   mask (before re-segmentation), so holes that re-segmentation punches into the intensity mask do
    ///   not create spurious edges; pass the morphological mask cropped to `roi`'s box. `nil` uses the
    ///   intensity mask (voxels with level > 0), which is the same when no re-segmentation was applied.
    ///   ROI voxels outside `distanceMask` still get distance >= 1.
    public static func compute(_ roi: DiscretisedROI, dimension: TextureDimension,
                               distanceMask: [UInt8]? = nil) -> [FeatureValue] {
        let inPlane = dimension != .threeD
        let inside: [Bool]
        if let distanceMask {
            precondition(distanceMask.count == roi.levels.count, "distanceMask must match roi.levels")
            inside = distanceMask.map { $0 != 0 }
        } else {
            inside = roi.levels.map { $0 > 0 }
        }
        var distance = ZoneLabelling.distanceToEdge(mask: inside, size: roi.size, inPlane: inPlane)
        for v in distance.indices where distance[v] < 1 { distance[v] = 1 }
        let zones = ZoneLabelling.zones(roi, inPlane: inPlane, distanceMap: distance)
        let values = ZoneTextureAggregation.zoneFeatures(zones: zones, index: zones.distance, roi: roi,
                                                         dimension: dimension)
        return ZoneTextureAggregation.tagged(prefix: "dzm_", names: featureNames, values: Array(values.prefix(16)),
                                             dimension: dimension)
    }
}
