/// Grey level size zone matrix features (IBSI chapter 1, section "Grey level size zone based features",
/// family tag `szm`).
///
/// A zone is a set of connected voxels sharing a grey level: 8-connected within a slice for 2D and 2.5D,
/// 26-connected in the volume for 3D. The matrix s_ij counts the zones of grey level i (1...Ng) and size
/// j voxels. With Ns = sum_ij s_ij the number of zones, Nv the number of ROI voxels, p_ij = s_ij / Ns,
/// s_i. = sum_j s_ij and s_.j = sum_i s_ij, the features are (tag suffix `_2D`, `_2_5D` or `_3D`):
///
/// - `szm_sze`  small zone emphasis:                 1/Ns sum_ij s_ij / j^2
/// - `szm_lze`  large zone emphasis:                 1/Ns sum_ij s_ij j^2
/// - `szm_lgze` low grey level zone emphasis:        1/Ns sum_ij s_ij / i^2
/// - `szm_hgze` high grey level zone emphasis:       1/Ns sum_ij s_ij i^2
/// - `szm_szlge` small zone low grey level emphasis: 1/Ns sum_ij s_ij / (i^2 j^2)
/// - `szm_szhge` small zone high grey level emphasis: 1/Ns sum_ij s_ij i^2 / j^2
/// - `szm_lzlge` large zone low grey level emphasis: 1/Ns sum_ij s_ij j^2 / i^2
/// - `szm_lzhge` large zone high grey level emphasis: 1/Ns sum_ij s_ij i^2 j^2
/// - `szm_glnu` grey level non-uniformity:           1/Ns sum_i s_i.^2
/// - `szm_glnu_norm` normalised:                     1/Ns^2 sum_i s_i.^2
/// - `szm_zsnu` zone size non-uniformity:            1/Ns sum_j s_.j^2
/// - `szm_zsnu_norm` normalised:                     1/Ns^2 sum_j s_.j^2
/// - `szm_z_perc` zone percentage:                   Ns / Nv
/// - `szm_gl_var` grey level variance:               sum_ij (i - mu)^2 p_ij, mu = sum_ij i p_ij
/// - `szm_zs_var` zone size variance:                sum_ij (j - mu)^2 p_ij, mu = sum_ij j p_ij
/// - `szm_zs_entr` zone size entropy:                -sum_ij p_ij log2 p_ij
///
/// Aggregation: 2D computes the features from each slice's matrix (Nv = the slice's ROI voxels) and
/// averages them over the slices that hold ROI voxels; 2.5D sums the per-slice matrices into one; 3D
/// builds one matrix from 26-connected zones. The matrix is kept sparse (zone sizes reach the ROI size).
public enum GLSZM {
    /// Feature names in output order (tag = `szm_<name>_<dimension>`).
    public static let featureNames = ["sze", "lze", "lgze", "hgze", "szlge", "szhge", "lzlge", "lzhge",
                                      "glnu", "glnu_norm", "zsnu", "zsnu_norm", "z_perc", "gl_var", "zs_var",
                                      "zs_entr"]

    /// The 16 GLSZM features of `roi` (voxels with level > 0) under their IBSI tags.
    public static func compute(_ roi: DiscretisedROI, dimension: TextureDimension) -> [FeatureValue] {
        let zones = ZoneLabelling.zones(roi, inPlane: dimension != .threeD)
        let values = ZoneTextureAggregation.zoneFeatures(zones: zones, index: zones.size, roi: roi,
                                                         dimension: dimension)
        // zoneStyleFeatures also returns an energy; the GLSZM has none in IBSI.
        return ZoneTextureAggregation.tagged(prefix: "szm_", names: featureNames, values: Array(values.prefix(16)),
                                             dimension: dimension)
    }
}
