import Foundation
import RadiomicsCore

/// Moran's I and Geary's C over the voxels of a mask with inverse-distance weights w = 1 / |r_i - r_j| (mm).
///
/// Exact for every ROI size. Small ROIs sum over all voxel pairs. Large ROIs use that every pair sum is a
/// convolution with the kernel W(d) = 1 / |d| (W(0) = 0): with m the mask and y = m (x - mean), the sums
/// S0 = sum_i sum_{j != i} w_ij = sum m (W * m), sum w_ij y_i y_j = sum y (W * y) and
/// sum w_ij (y_i - y_j)^2 = 2 sum y^2 (W * m) - 2 sum y (W * y). Both convolutions come from one complex FFT
/// of m + i y on a zero-padded grid (no wrap-around), O(n log n) instead of O(N^2).
enum SpatialAutocorrelation {
    /// Pairs summed directly up to this many voxels.
    static let directLimit = 3000

    /// (Moran's I, Geary's C), nil when fewer than 2 voxels. A ROI of one intensity (zero variance) gives
    /// (1, 1), perfect autocorrelation, as MIRP reports.
    static func compute(values: [Double], mask: [UInt8], size: SIMD3<Int>, spacing: SIMD3<Double>)
        -> (moran: Double, geary: Double)? {
        var count = 0
        var sum = 0.0
        var lo = size, hi = SIMD3<Int>(repeating: -1)
        for k in 0..<size.z {
            for j in 0..<size.y {
                let row = size.x * (j + size.y * k)
                for i in 0..<size.x where mask[row + i] != 0 {
                    count += 1
                    sum += values[row + i]
                    lo = pointwiseMin(lo, SIMD3(i, j, k))
                    hi = pointwiseMax(hi, SIMD3(i, j, k))
                }
            }
        }
        guard count >= 2 else { return nil }
        let mean = sum / Double(count)
        var ss = 0.0
        for i in 0..<values.count where mask[i] != 0 { ss += (values[i] - mean) * (values[i] - mean) }
        guard ss > 0 else { return (1, 1) }

        let sums: (s0: Double, cross: Double, squaredDiff: Double)
        if count <= directLimit {
            sums = direct(values: values, mask: mask, size: size, spacing: spacing, mean: mean)
        } else {
            sums = convolved(values: values, mask: mask, size: size, spacing: spacing, mean: mean, lo: lo, hi: hi)
        }
        let n = Double(count)
        let moran = n / sums.s0 * sums.cross / ss
        let geary = (n - 1) / (2 * sums.s0) * sums.squaredDiff / ss
        return (moran, geary)
    }

    /// Sums over ordered pairs i != j: w, w y_i y_j and w (y_i - y_j)^2.
    static func direct(values: [Double], mask: [UInt8], size: SIMD3<Int>, spacing: SIMD3<Double>, mean: Double)
        -> (s0: Double, cross: Double, squaredDiff: Double) {
        var pos: [SIMD3<Double>] = []
        var y: [Double] = []
        for k in 0..<size.z {
            for j in 0..<size.y {
                for i in 0..<size.x {
                    let idx = i + size.x * (j + size.y * k)
                    if mask[idx] != 0 {
                        pos.append(SIMD3(Double(i), Double(j), Double(k)) * spacing)
                        y.append(values[idx] - mean)
                    }
                }
            }
        }
        var s0 = 0.0, cross = 0.0, diff = 0.0
        for a in 0..<pos.count {
            for b in (a + 1)..<pos.count {
                let w = 1 / lengthD(pos[a] - pos[b])
                s0 += w
                cross += w * y[a] * y[b]
                diff += w * (y[a] - y[b]) * (y[a] - y[b])
            }
        }
        return (2 * s0, 2 * cross, 2 * diff)
    }

    static func convolved(values: [Double], mask: [UInt8], size: SIMD3<Int>, spacing: SIMD3<Double>,
                          mean: Double, lo: SIMD3<Int>, hi: SIMD3<Int>)
        -> (s0: Double, cross: Double, squaredDiff: Double) {
        let n = hi &- lo &+ 1
        // No wrap-around: at least 2n - 1 per axis, rounded up to a size the FFT handles fast.
        let L = SIMD3<Int>(FFT3D.fastSize(atLeast: 2 * n.x - 1), FFT3D.fastSize(atLeast: 2 * n.y - 1),
                           FFT3D.fastSize(atLeast: 2 * n.z - 1))
        let total = L.x * L.y * L.z
        // Kernel W(d) at circular offsets, transformed in the arrays the data use next. W is even along every
        // axis, so its transform is real and even along every axis too: one octant (frequencies 0...L/2 per axis)
        // holds all of it, an eighth of the memory of a full copy.
        var dre = [Double](repeating: 0, count: total)
        var dim = [Double](repeating: 0, count: total)
        for dz in -(n.z - 1)...(n.z - 1) {
            for dy in -(n.y - 1)...(n.y - 1) {
                let rowBase = L.x * ((dy + L.y) % L.y + L.y * ((dz + L.z) % L.z))
                let ryz = (Double(dy) * spacing.y) * (Double(dy) * spacing.y) + (Double(dz) * spacing.z) * (Double(dz) * spacing.z)
                for dx in -(n.x - 1)...(n.x - 1) where dx != 0 || dy != 0 || dz != 0 {
                    let rx = Double(dx) * spacing.x
                    dre[rowBase + (dx + L.x) % L.x] = 1 / (rx * rx + ryz).squareRoot()
                }
            }
        }
        let fft = FFT3D(size: L)
        fft.transform(re: &dre, im: &dim, inverse: false, active: L)
        let h = L / 2 &+ 1
        var kernel = [Double](repeating: 0, count: h.x * h.y * h.z)
        for fz in 0..<h.z { for fy in 0..<h.y { for fx in 0..<h.x {
            kernel[fx + h.x * (fy + h.y * fz)] = dre[fx + L.x * (fy + L.y * fz)]
        } } }
        // Data m + i y.
        dre.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        dim.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        for k in 0..<n.z {
            for j in 0..<n.y {
                let src = lo.x + size.x * ((lo.y + j) + size.y * (lo.z + k))
                let dst = L.x * (j + L.y * k)
                for i in 0..<n.x where mask[src + i] != 0 {
                    dre[dst + i] = 1
                    dim[dst + i] = values[src + i] - mean
                }
            }
        }
        fft.transform(re: &dre, im: &dim, inverse: false, active: n)
        for fz in 0..<L.z {
            let kz = min(fz, L.z - fz)
            for fy in 0..<L.y {
                let ky = min(fy, L.y - fy)
                let row = L.x * (fy + L.y * fz), krow = h.x * (ky + h.y * kz)
                for fx in 0..<L.x {
                    let w = kernel[krow + min(fx, L.x - fx)]
                    dre[row + fx] *= w; dim[row + fx] *= w
                }
            }
        }
        fft.transform(re: &dre, im: &dim, inverse: true, active: n)
        let scale = 1 / Double(total)
        var s0 = 0.0, cross = 0.0, sq = 0.0
        for k in 0..<n.z {
            for j in 0..<n.y {
                let src = lo.x + size.x * ((lo.y + j) + size.y * (lo.z + k))
                let dst = L.x * (j + L.y * k)
                for i in 0..<n.x where mask[src + i] != 0 {
                    let wm = dre[dst + i] * scale, wy = dim[dst + i] * scale
                    let y = values[src + i] - mean
                    s0 += wm
                    cross += y * wy
                    sq += y * y * wm
                }
            }
        }
        return (s0, cross, 2 * sq - 2 * cross)
    }
}
