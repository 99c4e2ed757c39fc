import Foundation
import RadiomicsCore

/// PyRadiomics 3.1's `firstorder` class (radiomics/firstorder.py), segment-based.
///
/// Statistics of the intensities X of the ROI voxels (N of them). Differences from IBSI's intensity statistics:
/// - Energy, TotalEnergy and RootMeanSquared use X + c, c = `voxelArrayShift` (IBSI: c = 0).
/// - TotalEnergy = Energy × voxel volume (not in IBSI).
/// - Kurtosis is not corrected by -3 (IBSI gives excess kurtosis); Skewness and Kurtosis are 0 for a flat region.
/// - Percentiles, Median and InterquartileRange use numpy.percentile's default linear interpolation
///   (Hyndman & Fan type 7), with numpy's way of interpolating (`_lerp`).
/// - Entropy and Uniformity use the histogram of the discretised grey levels (PyRadiomics' binning), with
///   Entropy = -Σ p log2(p + ε), ε = 2.22e-16 (numpy.spacing(1)).
public enum PyRadiomicsFirstOrder {
    /// PyRadiomics' non-deprecated first-order features, in the order PyRadiomics outputs them.
    public static let featureNames: [String] = [
        "10Percentile", "90Percentile", "Energy", "Entropy", "InterquartileRange", "Kurtosis", "Maximum",
        "MeanAbsoluteDeviation", "Mean", "Median", "Minimum", "Range", "RobustMeanAbsoluteDeviation",
        "RootMeanSquared", "Skewness", "TotalEnergy", "Uniformity", "Variance",
    ]

    /// The features of `roi` (intensities of the voxels with mask != 0). `levels` are the discretised grey
    /// levels of the same box (`PyRadiomicsBinning.discretise`), used for Entropy and Uniformity only.
    /// An empty ROI gives NaN everywhere (PyRadiomics refuses such a mask before computing features).
    public static func features(_ roi: PyRadiomicsROI, levels: [Int32], settings: PyRadiomicsSettings)
        -> [(name: String, value: Double)]
    {
        precondition(levels.count == roi.mask.count, "levels must cover the ROI box")
        guard let h = ValueHistogram(roi) else { return featureNames.map { ($0, Double.nan) } }
        let n = Double(h.total)
        let shift = settings.voxelArrayShift

        // Raw sums: mean and the shifted energy.
        var sum = 0.0, energy = 0.0
        for (x, c) in zip(h.values, h.counts) {
            let w = Double(c)
            sum += w * x
            energy += w * (x + shift) * (x + shift)
        }
        let mean = sum / n

        // Central moments (PyRadiomics' _moment: mean of (x - mean)^k) and the mean absolute deviation.
        var m2 = 0.0, m3 = 0.0, m4 = 0.0, absDev = 0.0
        for (x, c) in zip(h.values, h.counts) {
            let w = Double(c), d = x - mean
            let d2 = d * d
            m2 += w * d2
            m3 += w * d2 * d
            m4 += w * d2 * d2
            absDev += w * abs(d)
        }
        m2 /= n; m3 /= n; m4 /= n
        // Flat region: PyRadiomics divides by 1 instead of 0.
        let m2Safe = m2 == 0 ? 1 : m2
        let skewness = m3 / pow(m2Safe, 1.5)
        let kurtosis = m4 / (m2Safe * m2Safe)
        let std = m2.squareRoot() // numpy.nanstd, squared again for Variance as PyRadiomics does

        let p10 = h.percentile(10), p90 = h.percentile(90)
        let p25 = h.percentile(25), p75 = h.percentile(75)

        // Robust MAD: voxels with p10 <= x <= p90.
        var robustSum = 0.0, robustCount = 0
        for (x, c) in zip(h.values, h.counts) where x >= p10 && x <= p90 {
            robustSum += Double(c) * x
            robustCount += c
        }
        let robustMean = robustSum / Double(robustCount)
        var robustDev = 0.0
        for (x, c) in zip(h.values, h.counts) where x >= p10 && x <= p90 { robustDev += Double(c) * abs(x - robustMean) }

        let (entropy, uniformity) = histogramFeatures(levels: levels, mask: roi.mask)
        // numpy.multiply.reduce over SimpleITK's (x, y, z) spacing.
        let voxelVolume = roi.spacing.x * roi.spacing.y * roi.spacing.z
        let minimum = h.values[0], maximum = h.values[h.values.count - 1]

        let values18: [Double] = [
            p10, p90, energy, entropy, p75 - p25, kurtosis, maximum,
            absDev / n, mean, h.percentile(50), minimum, maximum - minimum, robustDev / Double(robustCount),
            (energy / n).squareRoot(), skewness, energy * voxelVolume, uniformity, std * std,
        ]
        return Array(zip(featureNames, values18)).map { (name: $0.0, value: $0.1) }
    }

    /// The distinct intensities of the ROI, ascending, with how many voxels hold each: every first-order
    /// statistic is a weighted sum over it or an order statistic read from it. CT intensities are integers
    /// over a few thousand HU, so it is counted in one pass instead of sorting the voxels.
    struct ValueHistogram {
        var values: [Double] = []
        var counts: [Int] = []
        /// counts' running sum: voxels with a value <= values[i].
        var cumulative: [Int] = []
        var total: Int { cumulative.last ?? 0 }

        init?(_ roi: PyRadiomicsROI) {
            var lo = Double.infinity, hi = -Double.infinity, integral = true
            for (x, m) in zip(roi.image, roi.mask) where m != 0 {
                lo = min(lo, x); hi = max(hi, x)
                integral = integral && x == x.rounded()
            }
            guard lo <= hi else { return nil }
            if integral && hi - lo < 4_194_304 {
                var bins = [Int](repeating: 0, count: Int(hi - lo) + 1)
                for (x, m) in zip(roi.image, roi.mask) where m != 0 { bins[Int(x - lo)] += 1 }
                for (b, c) in bins.enumerated() where c > 0 { values.append(lo + Double(b)); counts.append(c) }
            } else {
                for x in SampleStatistics.radixSorted(roi.roiValues) {
                    if x == values.last { counts[counts.count - 1] += 1 } else { values.append(x); counts.append(1) }
                }
            }
            var running = 0
            cumulative = counts.map { running += $0; return running }
        }

        /// The voxel value of rank `r` (0-based) in ascending order.
        func ranked(_ r: Int) -> Double {
            var lo = 0, hi = cumulative.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] > r { hi = mid } else { lo = mid + 1 }
            }
            return values[lo]
        }

        /// numpy.percentile(x, q) with the default "linear" method: virtual index (n - 1) q/100, interpolated as
        /// numpy's `_lerp` does (from the upper neighbour when the weight is >= 0.5). q = 50 is numpy.median.
        func percentile(_ q: Double) -> Double {
            let n = total
            if q == 50 { // numpy.median: the middle value, or the mean of the two middle values
                return n % 2 == 1 ? ranked(n / 2) : (ranked(n / 2 - 1) + ranked(n / 2)) / 2
            }
            let virtual = Double(n - 1) * (q / 100)
            if virtual >= Double(n - 1) { return ranked(n - 1) }
            if virtual < 0 { return ranked(0) }
            let below = virtual.rounded(.down)
            let gamma = virtual - below
            let a = ranked(Int(below)), b = ranked(Int(below) + 1)
            let diff = b - a
            return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma
        }
    }

    /// Entropy and Uniformity of the grey-level histogram of the ROI (p(i) = count of level i / N).
    static func histogramFeatures(levels: [Int32], mask: [UInt8]) -> (entropy: Double, uniformity: Double) {
        var maxLevel: Int32 = 0
        for (g, m) in zip(levels, mask) where m != 0 { maxLevel = max(maxLevel, g) }
        var counts = [Int](repeating: 0, count: Int(maxLevel) + 1)
        var total = 0
        for (g, m) in zip(levels, mask) where m != 0 {
            counts[Int(max(g, 0))] += 1
            total += 1
        }
        let eps = Double.ulpOfOne // numpy.spacing(1)
        var entropy = 0.0, uniformity = 0.0
        for c in counts where c > 0 {
            let p = Double(c) / Double(total)
            entropy -= p * log2(p + eps)
            uniformity += p * p
        }
        return (entropy, uniformity)
    }
}
