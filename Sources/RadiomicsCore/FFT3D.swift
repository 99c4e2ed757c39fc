import Foundation

/// Complex FFT over a 3D grid, on split real and imaginary arrays, unnormalised (the inverse is n times the
/// inverse DFT). Sizes whose prime factors are 2, 3 and 5 run radix 4, 2, 3 and 5 stages, self-sorting (Stockham):
/// every stage reads one buffer and writes another in natural order, so no bit reversal is needed. Any other size
/// runs Bluestein's chirp-z algorithm (the DFT as a convolution, done by an FFT of a fast size of at least
/// 2n - 1). Morphology's spatial autocorrelation and the image filters (Gabor, Simoncelli, Riesz) use it.
///
/// `active` prunes lines: a forward transform assumes the input is zero outside [0, active), an inverse one
/// computes the output only inside [0, active).
public struct FFT3D: Sendable {
    public let size: SIMD3<Int>
    private let plans: [Plan]

    public init(size: SIMD3<Int>) {
        precondition((0..<3).allSatisfy { size[$0] >= 1 }, "FFT sizes must be positive")
        self.size = size
        plans = (0..<3).map { Plan(n: size[$0]) }
    }

    /// The smallest size >= m whose prime factors are 2, 3 and 5.
    public static func fastSize(atLeast m: Int) -> Int {
        var n = max(m, 1)
        while !isFastSize(n) { n += 1 }
        return n
    }

    public static func isFastSize(_ n: Int) -> Bool {
        guard n >= 1 else { return false }
        var n = n
        for p in [2, 3, 5] { while n % p == 0 { n /= p } }
        return n == 1
    }

    /// Bluestein's algorithm for a size with a prime factor above 5: with the chirp c_j = exp(-i pi j^2 / n),
    /// X_k = c_k sum_j (x_j c_j) conj(c_(k-j)), a convolution done by FFTs of a fast size m >= 2n - 1.
    final class Chirp: Sendable {
        let m: Int
        let inner: Plan
        /// cos and sin of pi j^2 / n (j^2 taken modulo 2n, so large j lose no precision).
        let cosC: [Double], sinC: [Double]
        /// The forward FFT of conj(c) laid out circularly, for the forward and (conjugated) inverse transform.
        let bRe: [Double], bIm: [Double]

        init(n: Int) {
            let m = FFT3D.fastSize(atLeast: 2 * n - 1)
            let inner = Plan(n: m)
            self.m = m
            self.inner = inner
            let angles = (0..<n).map { j in Double.pi * Double((j * j) % (2 * n)) / Double(n) }
            let cosC = angles.map(cos), sinC = angles.map(sin)
            self.cosC = cosC
            self.sinC = sinC
            // b_j = conj(c_j) = exp(+i pi j^2 / n) at j and m - j.
            var re = [Double](repeating: 0, count: m), im = [Double](repeating: 0, count: m)
            for j in 0..<n {
                re[j] = cosC[j]; im[j] = sinC[j]
                if j > 0 { re[m - j] = cosC[j]; im[m - j] = sinC[j] }
            }
            let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 4 * m)
            defer { scratch.deallocate() }
            re.withUnsafeMutableBufferPointer { r in
                im.withUnsafeMutableBufferPointer { i in
                    inner.run(r.baseAddress!, i.baseAddress!, stride: 1, width: 1, inverse: false, scratch: scratch)
                }
            }
            bRe = re
            bIm = im
        }

        /// One line of n values at `stride`, in place. The inverse is the forward transform conjugated.
        func run(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, n: Int, stride: Int, inverse: Bool) {
            let sign: Double = inverse ? -1 : 1 // conjugation of input and output
            let buffer = UnsafeMutablePointer<Double>.allocate(capacity: 6 * m)
            defer { buffer.deallocate() }
            let ar = buffer, ai = buffer + m, scratch = buffer + 2 * m
            ar.update(repeating: 0, count: 2 * m)
            for j in 0..<n {
                // a_j = x_j c_j with c_j = cos - i sin (x conjugated for the inverse).
                let xr = re[j * stride], xi = sign * im[j * stride]
                ar[j] = xr * cosC[j] + xi * sinC[j]
                ai[j] = xi * cosC[j] - xr * sinC[j]
            }
            inner.run(ar, ai, stride: 1, width: 1, inverse: false, scratch: scratch)
            for k in 0..<m {
                let r = ar[k] * bRe[k] - ai[k] * bIm[k], i = ar[k] * bIm[k] + ai[k] * bRe[k]
                ar[k] = r; ai[k] = i
            }
            inner.run(ar, ai, stride: 1, width: 1, inverse: true, scratch: scratch)
            let scale = 1 / Double(m)
            for k in 0..<n {
                let yr = ar[k] * scale, yi = ai[k] * scale
                re[k * stride] = yr * cosC[k] + yi * sinC[k]
                im[k * stride] = sign * (yi * cosC[k] - yr * sinC[k])
            }
        }
    }

    /// One axis: its radices and cos/sin(2 pi j / n), or Bluestein's chirp for other sizes.
    final class Plan: Sendable {
        let n: Int
        let radices: [Int]
        let cosT: [Double]
        let sinT: [Double]
        let chirp: Chirp?

        init(n: Int) {
            self.n = n
            var rest = n, radices: [Int] = []
            for r in [4, 2, 3, 5] { while rest % r == 0 { radices.append(r); rest /= r } }
            let fast = rest == 1
            self.radices = fast ? radices : []
            cosT = fast ? (0..<n).map { cos(2 * Double.pi * Double($0) / Double(n)) } : []
            sinT = fast ? (0..<n).map { sin(2 * Double.pi * Double($0) / Double(n)) } : []
            chirp = fast ? nil : Chirp(n: n)
        }

        /// Transforms `w` lines at once: element e of line x is at e * stride + x. `scratch` holds 4 n w values.
        func run(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, stride: Int, width w: Int,
                 inverse: Bool, scratch: UnsafeMutablePointer<Double>) {
            guard n > 1 else { return }
            if let chirp {
                for x in 0..<w { chirp.run(re + x, im + x, n: n, stride: stride, inverse: inverse) }
                return
            }
            var xr = scratch, xi = scratch + n * w, yr = scratch + 2 * n * w, yi = scratch + 3 * n * w
            for e in 0..<n {
                (xr + e * w).update(from: re + e * stride, count: w)
                (xi + e * w).update(from: im + e * stride, count: w)
            }
            let sign: Double = inverse ? 1 : -1
            var s = 1, len = n
            cosT.withUnsafeBufferPointer { ct in
                sinT.withUnsafeBufferPointer { st in
                    for r in radices {
                        let m = len / r, tw = n / len
                        for p in 0..<m {
                            for q in 0..<s {
                                // Inputs x[q + s (p + k m)], outputs y[q + s (r p + t)], each a run of w lanes.
                                let inBase = (q + s * p) * w, inStep = s * m * w
                                let outBase = (q + s * r * p) * w, outStep = s * w
                                Plan.butterfly(r, xr + inBase, xi + inBase, inStep, yr + outBase, yi + outBase, outStep,
                                               w, sign, ct, st, p * tw)
                            }
                        }
                        swap(&xr, &yr); swap(&xi, &yi)
                        s *= r
                        len = m
                    }
                }
            }
            for e in 0..<n {
                (re + e * stride).update(from: xr + e * w, count: w)
                (im + e * stride).update(from: xi + e * w, count: w)
            }
        }

        /// y_t = (sum_k a_k w_r^(k t)) w_len^(p t) for t < r, over w lanes; `twiddle` is p (n / len), so
        /// w_len^(p t) is table entry t * twiddle.
        @inline(__always)
        static func butterfly(_ r: Int, _ ar: UnsafeMutablePointer<Double>, _ ai: UnsafeMutablePointer<Double>, _ aStep: Int,
                              _ yr: UnsafeMutablePointer<Double>, _ yi: UnsafeMutablePointer<Double>, _ yStep: Int,
                              _ w: Int, _ sign: Double, _ ct: UnsafeBufferPointer<Double>, _ st: UnsafeBufferPointer<Double>,
                              _ twiddle: Int) {
            // Twiddles for t = 1 ..< r.
            var c = (1.0, 1.0, 1.0, 1.0, 1.0), sn = (0.0, 0.0, 0.0, 0.0, 0.0)
            if twiddle > 0 {
                c.1 = ct[twiddle]; sn.1 = sign * st[twiddle]
                if r > 2 { c.2 = ct[2 * twiddle]; sn.2 = sign * st[2 * twiddle] }
                if r > 3 { c.3 = ct[3 * twiddle]; sn.3 = sign * st[3 * twiddle] }
                if r > 4 { c.4 = ct[4 * twiddle]; sn.4 = sign * st[4 * twiddle] }
            }
            @inline(__always) func store(_ t: Int, _ x: Int, _ vr: Double, _ vi: Double, _ cc: Double, _ ss: Double) {
                yr[t * yStep + x] = vr * cc - vi * ss
                yi[t * yStep + x] = vr * ss + vi * cc
            }
            switch r {
            case 2:
                for x in 0..<w {
                    let a0r = ar[x], a0i = ai[x], a1r = ar[aStep + x], a1i = ai[aStep + x]
                    yr[x] = a0r + a1r; yi[x] = a0i + a1i
                    store(1, x, a0r - a1r, a0i - a1i, c.1, sn.1)
                }
            case 3:
                let h = sign * 0.866_025_403_784_438_6 // sin(2 pi / 3)
                for x in 0..<w {
                    let a0r = ar[x], a0i = ai[x]
                    let a1r = ar[aStep + x], a1i = ai[aStep + x], a2r = ar[2 * aStep + x], a2i = ai[2 * aStep + x]
                    let t1r = a1r + a2r, t1i = a1i + a2i
                    let t2r = a0r - 0.5 * t1r, t2i = a0i - 0.5 * t1i
                    let t3r = h * (a1r - a2r), t3i = h * (a1i - a2i) // times i below
                    yr[x] = a0r + t1r; yi[x] = a0i + t1i
                    store(1, x, t2r - t3i, t2i + t3r, c.1, sn.1)
                    store(2, x, t2r + t3i, t2i - t3r, c.2, sn.2)
                }
            case 4:
                for x in 0..<w {
                    let a0r = ar[x], a0i = ai[x], a1r = ar[aStep + x], a1i = ai[aStep + x]
                    let a2r = ar[2 * aStep + x], a2i = ai[2 * aStep + x], a3r = ar[3 * aStep + x], a3i = ai[3 * aStep + x]
                    let s02r = a0r + a2r, s02i = a0i + a2i, d02r = a0r - a2r, d02i = a0i - a2i
                    let s13r = a1r + a3r, s13i = a1i + a3i
                    // sign i (a1 - a3)
                    let jr = -sign * (a1i - a3i), ji = sign * (a1r - a3r)
                    yr[x] = s02r + s13r; yi[x] = s02i + s13i
                    store(1, x, d02r + jr, d02i + ji, c.1, sn.1)
                    store(2, x, s02r - s13r, s02i - s13i, c.2, sn.2)
                    store(3, x, d02r - jr, d02i - ji, c.3, sn.3)
                }
            default: // 5
                let c1 = 0.309_016_994_374_947_45, c2 = -0.809_016_994_374_947_5 // cos(2 pi/5), cos(4 pi/5)
                let s1 = sign * 0.951_056_516_295_153_5, s2 = sign * 0.587_785_252_292_473_2 // sin(2 pi/5), sin(4 pi/5)
                for x in 0..<w {
                    let a0r = ar[x], a0i = ai[x]
                    let a1r = ar[aStep + x], a1i = ai[aStep + x], a2r = ar[2 * aStep + x], a2i = ai[2 * aStep + x]
                    let a3r = ar[3 * aStep + x], a3i = ai[3 * aStep + x], a4r = ar[4 * aStep + x], a4i = ai[4 * aStep + x]
                    let t1r = a1r + a4r, t1i = a1i + a4i, t2r = a2r + a3r, t2i = a2i + a3i
                    let t3r = a1r - a4r, t3i = a1i - a4i, t4r = a2r - a3r, t4i = a2i - a3i
                    let b1r = a0r + c1 * t1r + c2 * t2r, b1i = a0i + c1 * t1i + c2 * t2i
                    let b2r = a0r + c2 * t1r + c1 * t2r, b2i = a0i + c2 * t1i + c1 * t2i
                    let d1r = s1 * t3r + s2 * t4r, d1i = s1 * t3i + s2 * t4i // times i below
                    let d2r = s2 * t3r - s1 * t4r, d2i = s2 * t3i - s1 * t4i
                    yr[x] = a0r + t1r + t2r; yi[x] = a0i + t1i + t2i
                    store(1, x, b1r - d1i, b1i + d1r, c.1, sn.1)
                    store(4, x, b1r + d1i, b1i - d1r, c.4, sn.4)
                    store(2, x, b2r - d2i, b2i + d2r, c.2, sn.2)
                    store(3, x, b2r + d2i, b2i - d2r, c.3, sn.3)
                }
            }
        }
    }

    /// Transforms `re + i im` (a grid of `size`, i fastest) in place; `active` as above (default: the whole grid).
    public func transform(re: inout [Double], im: inout [Double], inverse: Bool, active: SIMD3<Int>? = nil) {
        let active = active ?? size
        let L = size
        let plans = self.plans
        re.withUnsafeMutableBufferPointer { rp in
            im.withUnsafeMutableBufferPointer { ip in
                let data = UnsafeSendable((rp.baseAddress!, ip.baseAddress!))
                let plane = L.x * L.y
                // Lines are independent: planes (x, y passes) or rows (z pass) are shared out among the cores,
                // each with its own scratch.
                func passX(_ yLim: Int, _ zLim: Int) {
                    parallelFor(zLim) { z in
                        let (r, i) = data.value
                        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 4 * L.x)
                        defer { scratch.deallocate() }
                        for y in 0..<yLim {
                            let o = L.x * (y + L.y * z)
                            plans[0].run(r + o, i + o, stride: 1, width: 1, inverse: inverse, scratch: scratch)
                        }
                    }
                }
                func passY(_ zLim: Int) {
                    parallelFor(zLim) { z in
                        let (r, i) = data.value
                        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 4 * plane)
                        defer { scratch.deallocate() }
                        let o = plane * z
                        plans[1].run(r + o, i + o, stride: L.x, width: L.x, inverse: inverse, scratch: scratch)
                    }
                }
                func passZ() {
                    parallelFor(L.y) { y in
                        let (r, i) = data.value
                        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 4 * L.z * L.x)
                        defer { scratch.deallocate() }
                        let o = L.x * y
                        plans[2].run(r + o, i + o, stride: plane, width: L.x, inverse: inverse, scratch: scratch)
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
