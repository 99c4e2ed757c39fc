import Foundation

/// Intensity histogram features (IBSI 3.4, tags `ih_*`) over the discretised grey levels X_d,k of the ROI's
/// voxels, with the histogram n_i (voxels of grey level i = 1...N_g, N_g = `roi.levelCount`, empty levels
/// included) and p_i = n_i / N_v.
///
/// - `ih_mean` ... `ih_qcod`: as the `stat_` features (see `IntensityStatistics`) computed on the grey
///   levels: `ih_mean`, `ih_var`, `ih_skew`, `ih_kurt`, `ih_median`, `ih_min`, `ih_p10`, `ih_p90`,
///   `ih_max`, `ih_iqr`, `ih_range`, `ih_mad`, `ih_rmad`, `ih_medad`, `ih_cov`, `ih_qcod`
/// - `ih_mode`: the most frequent grey level; among several, the one closest to `ih_mean` (the lower on a tie)
/// - `ih_entropy`: -Σ p_i log2 p_i
/// - `ih_uniformity`: Σ p_i²
/// - `ih_max_grad`, `ih_min_grad`: max and min of the histogram gradient H'(i) of the counts:
///   H'(1) = n_2 - n_1, H'(i) = (n_{i+1} - n_{i-1}) / 2, H'(N_g) = n_{N_g} - n_{N_g-1} (0 when N_g = 1)
/// - `ih_max_grad_g`, `ih_min_grad_g`: the (lowest) grey level where the max / min gradient occurs
public enum IntensityHistogram {
    /// `ih_*` of the grey levels of `roi` (NaN for all when the ROI is empty).
    public static func compute(_ roi: DiscretisedROI) -> [FeatureValue] {
        var maxLevel = 0
        for g in roi.levels where Int(g) > maxLevel { maxLevel = Int(g) }
        let ng = max(roi.levelCount, maxLevel, 1)
        var counts = [Int](repeating: 0, count: ng + 1)
        roi.levels.withUnsafeBufferPointer { L in
            for g in L where g > 0 { counts[Int(g)] += 1 }
        }
        let nv = counts.reduce(0, +)

        let summary = DescriptiveStatistics(distinct: (1...ng).map(Double.init), counts: Array(counts[1...]))
        guard nv > 0 else {
            return summary.features(prefix: "ih", afterMaximum: [("ih_mode", .nan)])
                + ["ih_entropy", "ih_uniformity", "ih_max_grad", "ih_max_grad_g", "ih_min_grad", "ih_min_grad_g"]
                .map { ($0, Double.nan) }
        }

        let n = Double(nv)
        var mode = 0, modeCount = -1
        var entropy = 0.0, uniformity = 0.0
        for g in 1...ng {
            let c = counts[g]
            if c > modeCount || (c == modeCount && abs(Double(g) - summary.mean) < abs(Double(mode) - summary.mean)) {
                mode = g
                modeCount = c
            }
            if c > 0 {
                let p = Double(c) / n
                entropy -= p * log2(p)
                uniformity += p * p
            }
        }

        var maxGrad = -Double.infinity, minGrad = Double.infinity, maxGradG = 1, minGradG = 1
        for g in 1...ng {
            let grad: Double
            if ng == 1 {
                grad = 0
            } else if g == 1 {
                grad = Double(counts[2] - counts[1])
            } else if g == ng {
                grad = Double(counts[ng] - counts[ng - 1])
            } else {
                grad = Double(counts[g + 1] - counts[g - 1]) / 2
            }
            if grad > maxGrad { maxGrad = grad; maxGradG = g }
            if grad < minGrad { minGrad = grad; minGradG = g }
        }

        return summary.features(prefix: "ih", afterMaximum: [("ih_mode", Double(mode))]) + [
            ("ih_entropy", entropy), ("ih_uniformity", uniformity),
            ("ih_max_grad", maxGrad), ("ih_max_grad_g", Double(maxGradG)),
            ("ih_min_grad", minGrad), ("ih_min_grad_g", Double(minGradG)),
        ]
    }
}
