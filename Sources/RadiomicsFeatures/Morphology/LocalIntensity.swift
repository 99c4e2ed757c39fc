import Foundation

/// IBSI local intensity features (chapter 3.2).
///
/// A voxel's *local mean* is the mean intensity of every image voxel (inside the ROI or not) whose centre
/// lies within the 1 cm^3 sphere around the voxel's centre: radius r = (3 / (4 pi))^(1/3) cm = 6.2035 mm,
/// distances in mm. Only voxels of the `ROIVolume` box are available, so the box must reach r beyond the ROI
/// for exact values (voxels beyond the image edge do not exist and are not counted).
///
/// - `loc_peak_loc` (local intensity peak, VJGA): the local mean around the intensity-mask voxel of highest
///   intensity; with ties, the largest of their local means.
/// - `loc_peak_glob` (global intensity peak, 0F91): the largest local mean over all intensity-mask voxels.
///
/// Implementation: the sphere is decomposed into x-runs, one per (dj, dk) offset pair, and each run's sum
/// is read from per-row prefix sums, so a local mean costs O(number of (dj, dk) pairs), not O(sphere voxels).
public enum LocalIntensity {
    /// Radius in mm of a sphere of 1 cm^3.
    public static let sphereRadius = 10 * pow(3 / (4 * Double.pi), 1.0 / 3.0)

    public static func compute(_ roi: ROIVolume) -> [FeatureValue] {
        let peaks = LocalMeans(roi)
        guard let (local, global) = peaks.peaks() else { return [] }
        return [("loc_peak_loc", local), ("loc_peak_glob", global)]
    }

    struct LocalMeans {
        let roi: ROIVolume
        let size: SIMD3<Int>
        /// prefix[row * (nx + 1) + i] = sum of intensities of the row's voxels 0..<i.
        var prefix: [Double]
        /// For each (dj, dk) offset pair: dj, dk and the half-width w of its x-run [-w, w].
        var runs: [(dj: Int, dk: Int, w: Int)] = []

        init(_ roi: ROIVolume) {
            self.roi = roi
            size = roi.size
            let s = roi.spacing
            let r = LocalIntensity.sphereRadius
            let nx = size.x
            let rows = size.y * size.z
            prefix = [Double](repeating: 0, count: rows * (nx + 1))
            roi.intensities.withUnsafeBufferPointer { v in
                prefix.withUnsafeMutableBufferPointer { p in
                    for row in 0..<rows {
                        var acc = 0.0
                        let src = row * nx, dst = row * (nx + 1)
                        p[dst] = 0
                        for i in 0..<nx { acc += v[src + i]; p[dst + i + 1] = acc }
                    }
                }
            }
            let my = Int((r / s.y).rounded(.down)), mz = Int((r / s.z).rounded(.down))
            for dk in -mz...mz {
                for dj in -my...my {
                    let ryz = (Double(dj) * s.y) * (Double(dj) * s.y) + (Double(dk) * s.z) * (Double(dk) * s.z)
                    let rem = r * r - ryz
                    guard rem >= 0 else { continue }
                    let w = Int((rem.squareRoot() / s.x + 1e-9).rounded(.down))
                    runs.append((dj, dk, w))
                }
            }
        }

        /// Mean intensity of the box voxels within the sphere around voxel (i, j, k).
        func mean(_ i: Int, _ j: Int, _ k: Int) -> Double {
            var sum = 0.0
            var count = 0
            let nx = size.x
            prefix.withUnsafeBufferPointer { p in
                for run in runs {
                    let y = j + run.dj, z = k + run.dk
                    guard y >= 0, y < size.y, z >= 0, z < size.z else { continue }
                    let x0 = max(0, i - run.w), x1 = min(nx - 1, i + run.w)
                    let base = (y + size.y * z) * (nx + 1)
                    sum += p[base + x1 + 1] - p[base + x0]
                    count += x1 - x0 + 1
                }
            }
            return sum / Double(count)
        }

        func peaks() -> (Double, Double)? {
            var maxValue = -Double.infinity
            var local = -Double.infinity, global = -Double.infinity
            var any = false
            let n = size
            for k in 0..<n.z {
                for j in 0..<n.y {
                    let row = n.x * (j + n.y * k)
                    for i in 0..<n.x where roi.intensityMask[row + i] != 0 {
                        any = true
                        let x = roi.intensities[row + i]
                        let m = mean(i, j, k)
                        global = max(global, m)
                        if x > maxValue { maxValue = x; local = m }
                        else if x == maxValue { local = max(local, m) }
                    }
                }
            }
            return any ? (local, global) : nil
        }
    }
}
