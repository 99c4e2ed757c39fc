import Foundation

/// Intensity-based statistical features (IBSI 3.3, tags `stat_*`) over the intensities X_k (k = 1...N_v)
/// of the intensity mask's voxels. Percentiles P_q are numpy's default (linear interpolation between order
/// statistics at rank q/100·(N_v-1)), as in the IBSI reference implementation.
///
/// - `stat_mean`: μ = Σ X_k / N_v
/// - `stat_var`: σ² = Σ (X_k-μ)² / N_v
/// - `stat_skew`: Σ (X_k-μ)³ / N_v / σ³ (0 when σ = 0)
/// - `stat_kurt`: Σ (X_k-μ)⁴ / N_v / σ⁴ - 3 (excess kurtosis; 0 when σ = 0)
/// - `stat_median`, `stat_min`, `stat_p10`, `stat_p90`, `stat_max`
/// - `stat_iqr`: P75 - P25
/// - `stat_range`: max - min
/// - `stat_mad`: Σ |X_k-μ| / N_v
/// - `stat_rmad`: mean |X_k - μ_10-90| over the voxels with P10 ≤ X_k ≤ P90, μ_10-90 their mean
/// - `stat_medad`: Σ |X_k - median| / N_v
/// - `stat_cov`: σ / μ (0 when σ = 0)
/// - `stat_qcod`: (P75 - P25) / (P75 + P25)
/// - `stat_energy`: Σ X_k²
/// - `stat_rms`: √(Σ X_k² / N_v)
public enum IntensityStatistics {
    /// `stat_*` over `roi.intensityMask` (NaN for all when the mask is empty).
    public static func compute(_ roi: ROIVolume) -> [FeatureValue] {
        let values = roi.intensityValues
        let summary = DescriptiveStatistics(values)
        var energy = 0.0
        for x in values { energy += x * x }
        let n = Double(values.count)
        return summary.features(prefix: "stat") + [
            ("stat_energy", values.isEmpty ? .nan : energy),
            ("stat_rms", values.isEmpty ? .nan : (energy / n).squareRoot()),
        ]
    }
}

/// The statistics the intensity (`stat_`) and intensity histogram (`ih_`) families share, computed from the
/// distinct values and their counts (a histogram), so grey levels cost O(N_g) once counted.
struct DescriptiveStatistics {
    var count: Int
    var mean = Double.nan, variance = Double.nan, skewness = Double.nan, kurtosis = Double.nan
    var median = Double.nan, minimum = Double.nan, p10 = Double.nan, p25 = Double.nan, p75 = Double.nan
    var p90 = Double.nan, maximum = Double.nan
    var meanAbsoluteDeviation = Double.nan, robustMeanAbsoluteDeviation = Double.nan
    var medianAbsoluteDeviation = Double.nan

    /// `values` in any order.
    init(_ values: [Double]) {
        let s = values.sorted()
        var distinct: [Double] = [], counts: [Int] = []
        for x in s {
            if let last = distinct.last, last == x { counts[counts.count - 1] += 1 } else {
                distinct.append(x)
                counts.append(1)
            }
        }
        self.init(distinct: distinct, counts: counts)
    }

    /// `distinct` ascending, `counts[n]` voxels with value `distinct[n]` (zero counts allowed).
    init(distinct v: [Double], counts c: [Int]) {
        count = c.reduce(0, +)
        guard count > 0 else { return }
        let n = Double(count)
        var sum = 0.0
        for q in v.indices where c[q] > 0 { sum += v[q] * Double(c[q]) }
        let mu = sum / n
        var m2 = 0.0, m3 = 0.0, m4 = 0.0, mad = 0.0
        for q in v.indices where c[q] > 0 {
            let w = Double(c[q]), d = v[q] - mu, d2 = d * d
            m2 += w * d2
            m3 += w * d2 * d
            m4 += w * d2 * d2
            mad += w * abs(d)
        }
        m2 /= n; m3 /= n; m4 /= n
        mean = mu
        variance = m2
        skewness = m2 > 0 ? m3 / (m2 * m2.squareRoot()) : 0
        kurtosis = m2 > 0 ? m4 / (m2 * m2) - 3 : 0
        minimum = v[c.firstIndex { $0 > 0 }!]
        maximum = v[c.lastIndex { $0 > 0 }!]
        median = Self.percentile(v, c, total: count, 50)
        p10 = Self.percentile(v, c, total: count, 10)
        p25 = Self.percentile(v, c, total: count, 25)
        p75 = Self.percentile(v, c, total: count, 75)
        p90 = Self.percentile(v, c, total: count, 90)
        meanAbsoluteDeviation = mad / n
        var medad = 0.0
        for q in v.indices where c[q] > 0 { medad += Double(c[q]) * abs(v[q] - median) }
        medianAbsoluteDeviation = medad / n
        // Robust MAD over P10 <= x <= P90.
        var rSum = 0.0, rCount = 0.0
        for q in v.indices where c[q] > 0 && v[q] >= p10 && v[q] <= p90 {
            rSum += v[q] * Double(c[q])
            rCount += Double(c[q])
        }
        let rMean = rSum / rCount
        var rmad = 0.0
        for q in v.indices where c[q] > 0 && v[q] >= p10 && v[q] <= p90 { rmad += Double(c[q]) * abs(v[q] - rMean) }
        robustMeanAbsoluteDeviation = rmad / rCount
    }

    /// numpy `percentile` (linear): the value at rank q/100·(N-1) of the ascending values, interpolated
    /// between the order statistics either side.
    static func percentile(_ v: [Double], _ c: [Int], total: Int, _ q: Double) -> Double {
        let pos = q / 100 * Double(total - 1)
        let lower = Int(pos.rounded(.down))
        let frac = pos - Double(lower)
        // Order statistics `lower` and `lower + 1` (0-based).
        var seen = 0, a = Double.nan, b = Double.nan
        for k in v.indices where c[k] > 0 {
            seen += c[k]
            if a.isNaN && seen > lower { a = v[k] }
            if seen > lower + 1 || seen == total { b = v[k]; break }
        }
        return frac == 0 ? a : a + frac * (b - a)
    }

    /// The 16 shared features as `<prefix>_mean` ... `<prefix>_qcod`, in IBSI order (mode is the intensity
    /// histogram's and goes after max, so it is added by the caller).
    func features(prefix: String, afterMaximum extra: [FeatureValue] = []) -> [FeatureValue] {
        let sd = variance.squareRoot()
        let cov = count == 0 ? Double.nan : (sd == 0 ? 0 : sd / mean)
        return [
            ("\(prefix)_mean", mean), ("\(prefix)_var", variance), ("\(prefix)_skew", skewness),
            ("\(prefix)_kurt", kurtosis), ("\(prefix)_median", median), ("\(prefix)_min", minimum),
            ("\(prefix)_p10", p10), ("\(prefix)_p90", p90), ("\(prefix)_max", maximum),
        ] + extra + [
            ("\(prefix)_iqr", p75 - p25), ("\(prefix)_range", maximum - minimum),
            ("\(prefix)_mad", meanAbsoluteDeviation), ("\(prefix)_rmad", robustMeanAbsoluteDeviation),
            ("\(prefix)_medad", medianAbsoluteDeviation), ("\(prefix)_cov", cov),
            ("\(prefix)_qcod", (p75 - p25) / (p75 + p25)),
        ]
    }
}
