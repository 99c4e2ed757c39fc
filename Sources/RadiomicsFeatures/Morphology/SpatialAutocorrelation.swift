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
        func pow2(_ m: Int) -> Int { var p = 1; while p < 2 * m - 1 { p <<= 1 }; return max(p, 1) }
        let L = SIMD3<Int>(pow2(n.x), pow2(n.y), pow2(n.z))
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
        var fft = FFT3D(size: L)
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

/// Radix-2 complex FFT over a 3D grid (power-of-two sizes), on split real and imaginary arrays.
///
/// `active` prunes lines: a forward transform assumes the input is zero outside [0, active), an inverse one
/// computes the output only inside [0, active).
struct FFT3D {
    let size: SIMD3<Int>
    private var plans: [Plan]

    init(size: SIMD3<Int>) {
        self.size = size
        plans = (0..<3).map { Plan(n: size[$0]) }
    }

    struct Plan {
        let n: Int
        let cosT: [Double]
        let sinT: [Double]
        let rev: [Int]
        init(n: Int) {
            self.n = n
            cosT = (0..<max(n / 2, 1)).map { cos(2 * Double.pi * Double($0) / Double(n)) }
            sinT = (0..<max(n / 2, 1)).map { sin(2 * Double.pi * Double($0) / Double(n)) }
            var bits = 0
            while (1 << bits) < n { bits += 1 }
            rev = (0..<n).map { i in
                var r = 0
                for b in 0..<bits where i & (1 << b) != 0 { r |= 1 << (bits - 1 - b) }
                return r
            }
        }

        /// In-place transform of re/im[0..<n] (sign -1 forward, +1 inverse, unnormalised).
        func run(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, inverse: Bool) {
            guard n > 1 else { return }
            for i in 0..<n {
                let j = rev[i]
                if j > i {
                    let tr = re[i]; re[i] = re[j]; re[j] = tr
                    let ti = im[i]; im[i] = im[j]; im[j] = ti
                }
            }
            let sign: Double = inverse ? 1 : -1
            cosT.withUnsafeBufferPointer { ct in
                sinT.withUnsafeBufferPointer { st in
                    var len = 2
                    while len <= n {
                        let half = len / 2
                        let stride = n / len
                        var start = 0
                        while start < n {
                            var t = 0
                            for k in 0..<half {
                                let wr = ct[t], wi = sign * st[t]
                                let a = start + k, b = a + half
                                let xr = re[b] * wr - im[b] * wi
                                let xi = re[b] * wi + im[b] * wr
                                re[b] = re[a] - xr; im[b] = im[a] - xi
                                re[a] += xr; im[a] += xi
                                t += stride
                            }
                            start += len
                        }
                        len <<= 1
                    }
                }
            }
        }
    }

    /// Radix-2 transform along a strided axis, all `width` contiguous lines at once: element t of line x is
    /// at base + t * stride + x. Butterflies run over contiguous rows, so memory is read sequentially.
    static func runRows(_ plan: Plan, _ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>,
                        stride s: Int, width w: Int, inverse: Bool) {
        let n = plan.n
        guard n > 1 else { return }
        for i in 0..<n {
            let j = plan.rev[i]
            if j > i {
                let a = i * s, b = j * s
                for x in 0..<w {
                    let tr = re[a + x]; re[a + x] = re[b + x]; re[b + x] = tr
                    let ti = im[a + x]; im[a + x] = im[b + x]; im[b + x] = ti
                }
            }
        }
        let sign: Double = inverse ? 1 : -1
        var len = 2
        while len <= n {
            let half = len / 2
            let tStride = n / len
            var start = 0
            while start < n {
                for k in 0..<half {
                    let wr = plan.cosT[k * tStride], wi = sign * plan.sinT[k * tStride]
                    let pa = re + (start + k) * s, qa = im + (start + k) * s
                    let pb = re + (start + k + half) * s, qb = im + (start + k + half) * s
                    for x in 0..<w {
                        let xr = pb[x] * wr - qb[x] * wi
                        let xi = pb[x] * wi + qb[x] * wr
                        pb[x] = pa[x] - xr; qb[x] = qa[x] - xi
                        pa[x] += xr; qa[x] += xi
                    }
                }
                start += len
            }
            len <<= 1
        }
    }

    mutating func transform(re: inout [Double], im: inout [Double], inverse: Bool, active: SIMD3<Int>) {
        let L = size
        let plans = self.plans
        re.withUnsafeMutableBufferPointer { rp in
            im.withUnsafeMutableBufferPointer { ip in
                let r = rp.baseAddress!, i = ip.baseAddress!
                let plane = L.x * L.y
                // Lines are independent: planes (x, y passes) or rows (z pass) are shared out among the cores.
                let data = UnsafeSendable((r, i))
                func passX(_ yLim: Int, _ zLim: Int) {
                    parallelFor(zLim) { z in
                        let (r, i) = data.value
                        for y in 0..<yLim {
                            let o = L.x * (y + L.y * z)
                            plans[0].run(r + o, i + o, inverse: inverse)
                        }
                    }
                }
                func passY(_ zLim: Int) {
                    parallelFor(zLim) { z in
                        let (r, i) = data.value
                        let o = plane * z
                        FFT3D.runRows(plans[1], r + o, i + o, stride: L.x, width: L.x, inverse: inverse)
                    }
                }
                func passZ() {
                    // Rows of one y at a time keep the working set small: L.z rows of L.x values.
                    parallelFor(L.y) { y in
                        let (r, i) = data.value
                        let o = L.x * y
                        FFT3D.runRows(plans[2], r + o, i + o, stride: plane, width: L.x, inverse: inverse)
                    }
                }
                if !inverse {
                    passX(active.y, active.z); passY(active.z); passZ()
                } else {
                    passZ(); passY(active.z); passX(active.y, active.z)
                }
            }
        }
    }
}
