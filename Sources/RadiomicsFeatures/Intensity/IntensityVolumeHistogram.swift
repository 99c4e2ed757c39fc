import Foundation

/// How intensities are grouped before the intensity-volume histogram is built (IBSI 3.5, "IVH
/// discretisation").
public enum IVHBinning: Sendable, Equatable {
    /// Values are already discrete with this spacing (CT in HU: step 1; grey levels: step 1). The histogram
    /// runs over X_min, X_min + step, ..., X_max.
    case none(step: Double)
    /// Bins of `width` from `lowerBound` (default: the range's lower bound, else the minimum value); each
    /// bin is represented by its centre, X_min + (i - 0.5)·width.
    case fixedBinSize(width: Double, lowerBound: Double?)
    /// `n` bins between the minimum and maximum value, represented by the bin numbers 1...n.
    case fixedBinNumber(Int)
}

/// Intensity-volume histogram features (IBSI 3.5, tags `ivh_*`).
///
/// With discretised intensities X_i on a regular grid from X_min to X_max (see `IVHBinning`; for `.none`
/// and `.fixedBinSize`, X_min and X_max are the re-segmentation range when given, else the extremes of the
/// values), the intensity fraction γ_i = (X_i - X_min) / (X_max - X_min) and the volume fraction
/// ν_i = (voxels with intensity ≥ X_i) / N_v:
/// - `ivh_v10`, `ivh_v90`: V_x = ν at the lowest X_i with γ_i ≥ x (0 when there is none)
/// - `ivh_i10`, `ivh_i90`: I_x = the lowest X_i with ν_i ≤ x (one step beyond X_max when there is none)
/// - `ivh_diff_v10_v90`: V_10 - V_90
/// - `ivh_diff_i10_i90`: I_10 - I_90
/// - `ivh_auc`: area under the IVH curve, trapezoidal rule over (γ_i, ν_i) (IBSI gives no reference)
public enum IntensityVolumeHistogram {
    /// - Parameters:
    ///   - values: intensities of the intensity-mask voxels.
    ///   - range: the re-segmentation range, if any (either bound may be open); used as [X_min, X_max] for
    ///     `.none` and `.fixedBinSize`, ignored by `.fixedBinNumber`.
    public static func compute(values: [Double], binning: IVHBinning,
                               range: (lower: Double?, upper: Double?)? = nil) -> [FeatureValue] {
        let names = ["ivh_v10", "ivh_v90", "ivh_i10", "ivh_i90", "ivh_diff_v10_v90", "ivh_diff_i10_i90", "ivh_auc"]
        guard let vMin = values.min(), let vMax = values.max() else { return names.map { ($0, .nan) } }

        // Bin grid: bin b = 0..<binCount represents intensity first + b·step.
        let binCount: Int, first: Double, step: Double
        let binOf: (Double) -> Int
        switch binning {
        case .none(let s):
            let lo = range?.lower ?? vMin, hi = range?.upper ?? vMax
            step = s > 0 ? s : 1
            first = lo
            binCount = max(1, Int(((hi - lo) / step).rounded()) + 1)
            binOf = { Int((($0 - lo) / step).rounded()) }
        case .fixedBinSize(let width, let lowerBound):
            let lo = lowerBound ?? range?.lower ?? vMin, hi = range?.upper ?? vMax
            step = width
            first = lo + 0.5 * width
            binCount = max(1, Int(((hi - lo) / width).rounded(.up)) + 1)
            binOf = { Int((($0 - lo) / width).rounded(.down)) }
        case .fixedBinNumber(let n):
            step = 1
            first = 1
            binCount = max(1, n)
            let span = vMax - vMin
            binOf = { span > 0 ? Int((Double(n) * ($0 - vMin) / span).rounded(.down)) : 0 }
        }

        var counts = [Int](repeating: 0, count: binCount)
        for x in values { counts[min(max(binOf(x), 0), binCount - 1)] += 1 }

        let n = Double(values.count)
        let last = first + Double(binCount - 1) * step
        let span = last - first
        var v10 = 0.0, v90 = 0.0, foundV10 = false, foundV90 = false
        var i10 = last + step, i90 = last + step, foundI10 = false, foundI90 = false
        var auc = 0.0, previous: (gamma: Double, nu: Double)? = nil
        var below = 0
        for b in 0..<binCount {
            let x = first + Double(b) * step
            let gamma = span > 0 ? Double(b) * step / span : 0
            let nu = 1 - Double(below) / n
            below += counts[b]
            if !foundV10 && gamma >= 0.10 { v10 = nu; foundV10 = true }
            if !foundV90 && gamma >= 0.90 { v90 = nu; foundV90 = true }
            if !foundI10 && nu <= 0.10 { i10 = x; foundI10 = true }
            if !foundI90 && nu <= 0.90 { i90 = x; foundI90 = true }
            if let p = previous { auc += 0.5 * (nu + p.nu) * (gamma - p.gamma) }
            previous = (gamma, nu)
        }
        return [
            ("ivh_v10", v10), ("ivh_v90", v90), ("ivh_i10", i10), ("ivh_i90", i90),
            ("ivh_diff_v10_v90", v10 - v90), ("ivh_diff_i10_i90", i10 - i90), ("ivh_auc", auc),
        ]
    }
}
