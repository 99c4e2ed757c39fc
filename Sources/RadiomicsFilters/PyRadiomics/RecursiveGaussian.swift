import Foundation
import RadiomicsCore

/// ITK's recursive Gaussian (itk::RecursiveGaussianImageFilter, ITK 5.4 as SimpleITK 2.5 runs it): Deriche's
/// fourth-order IIR approximation of a Gaussian or of its second derivative along one axis, with the border value
/// taken to extend to infinity on either side. PyRadiomics' LoG image type is built from it (see
/// `LaplacianRecursiveGaussian`); the IBSI 2 `LoGFilter` is a sampled kernel instead, and the two differ by the
/// IIR approximation (about 1e-3 of the response) and by the boundary.
///
/// Coefficients (SetUp, ComputeNCoefficients, ComputeDCoefficients, ComputeRemainingCoefficients), with s = sigma /
/// spacing in voxels and the constants of Deriche (1993):
///   causal:      y[i] = N0 x[i] + N1 x[i-1] + N2 x[i-2] + N3 x[i-3] - (D1 y[i-1] + D2 y[i-2] + D3 y[i-3] + D4 y[i-4])
///   anti-causal: y'[i] = M1 x[i+1] + M2 x[i+2] + M3 x[i+3] + M4 x[i+4] - (D1 y'[i+1] + ... + D4 y'[i+4])
/// and the output is y + y'. The first and last four samples start from the border value with the boundary
/// coefficients BN = D SN / SD, BM = D SM / SD (RecursiveSeparableImageFilter::FilterDataArray). The second
/// derivative is normalised so that its response to x^2/2 is 1 (times sigma^2 when normalised across scale).
struct RecursiveGaussian: Sendable {
    enum Order: Sendable { case zero, second }

    var n0 = 1.0, n1 = 1.0, n2 = 1.0, n3 = 1.0
    var d1 = 0.0, d2 = 0.0, d3 = 0.0, d4 = 0.0
    var m1 = 0.0, m2 = 0.0, m3 = 0.0, m4 = 0.0
    var bn1 = 0.0, bn2 = 0.0, bn3 = 0.0, bn4 = 0.0
    var bm1 = 0.0, bm2 = 0.0, bm3 = 0.0, bm4 = 0.0

    /// `sigma` and `spacing` in mm (ITK's sigma is in physical units).
    init(sigma: Double, spacing: Double, order: Order, normalizeAcrossScale: Bool) {
        let sigmad = sigma / abs(spacing)
        let w1 = 0.6681, l1 = -1.3932, w2 = 2.0787, l2 = -1.3732
        let a1 = [1.3530, -0.6724, -1.3563], b1 = [1.8151, -3.4327, 5.2318]
        let a2 = [-0.3531, 0.6724, 0.3446], b2 = [0.0902, 0.6100, -2.2355]

        // ComputeDCoefficients
        let cos1 = cos(w1 / sigmad), cos2 = cos(w2 / sigmad)
        let exp1 = exp(l1 / sigmad), exp2 = exp(l2 / sigmad)
        d4 = exp1 * exp1 * exp2 * exp2
        d3 = -2 * cos1 * exp1 * exp2 * exp2
        d3 += -2 * cos2 * exp2 * exp1 * exp1
        d2 = 4 * cos2 * cos1 * exp1 * exp2
        d2 += exp1 * exp1 + exp2 * exp2
        d1 = -2 * (exp2 * cos2 + exp1 * cos1)
        let sd = 1.0 + d1 + d2 + d3 + d4
        let dd = d1 + 2 * d2 + 3 * d3 + 4 * d4
        let ed = d1 + 4 * d2 + 9 * d3 + 16 * d4

        func nCoefficients(_ a1: Double, _ b1: Double, _ a2: Double, _ b2: Double)
            -> (n0: Double, n1: Double, n2: Double, n3: Double, sn: Double, dn: Double, en: Double) {
            let sin1 = sin(w1 / sigmad), sin2 = sin(w2 / sigmad)
            let n0 = a1 + a2
            var n1 = exp2 * (b2 * sin2 - (a2 + 2 * a1) * cos2)
            n1 += exp1 * (b1 * sin1 - (a1 + 2 * a2) * cos1)
            var n2 = (a1 + a2) * cos2 * cos1
            n2 -= b1 * cos2 * sin1 + b2 * cos1 * sin2
            n2 *= 2 * exp1 * exp2
            n2 += a2 * exp1 * exp1 + a1 * exp2 * exp2
            var n3 = exp2 * exp1 * exp1 * (b2 * sin2 - a2 * cos2)
            n3 += exp1 * exp2 * exp2 * (b1 * sin1 - a1 * cos1)
            return (n0, n1, n2, n3, n0 + n1 + n2 + n3, n1 + 2 * n2 + 3 * n3, n1 + 4 * n2 + 9 * n3)
        }

        switch order {
        case .zero:
            let c = nCoefficients(a1[0], b1[0], a2[0], b2[0])
            let alpha0 = 2 * c.sn / sd - c.n0
            n0 = c.n0 * (1.0 / alpha0)
            n1 = c.n1 * (1.0 / alpha0)
            n2 = c.n2 * (1.0 / alpha0)
            n3 = c.n3 * (1.0 / alpha0)
        case .second:
            let scale = normalizeAcrossScale ? sigma * sigma : 1.0
            let c0 = nCoefficients(a1[0], b1[0], a2[0], b2[0])
            let c2 = nCoefficients(a1[2], b1[2], a2[2], b2[2])
            let beta = -(2 * c2.sn - sd * c2.n0) / (2 * c0.sn - sd * c0.n0)
            n0 = c2.n0 + beta * c0.n0
            n1 = c2.n1 + beta * c0.n1
            n2 = c2.n2 + beta * c0.n2
            n3 = c2.n3 + beta * c0.n3
            let sn = c2.sn + beta * c0.sn
            let dn = c2.dn + beta * c0.dn
            let en = c2.en + beta * c0.en
            var alpha2 = en * sd * sd - ed * sn * sd - 2 * dn * dd * sd + 2 * dd * dd * sn
            alpha2 /= sd * sd * sd
            n0 *= scale / alpha2
            n1 *= scale / alpha2
            n2 *= scale / alpha2
            n3 *= scale / alpha2
        }
        // ComputeRemainingCoefficients (both orders are symmetric).
        m1 = n1 - d1 * n0
        m2 = n2 - d2 * n0
        m3 = n3 - d3 * n0
        m4 = -d4 * n0
        let snSum = n0 + n1 + n2 + n3
        let smSum = m1 + m2 + m3 + m4
        let sdSum = 1.0 + d1 + d2 + d3 + d4
        bn1 = d1 * snSum / sdSum
        bn2 = d2 * snSum / sdSum
        bn3 = d3 * snSum / sdSum
        bn4 = d4 * snSum / sdSum
        bm1 = d1 * smSum / sdSum
        bm2 = d2 * smSum / sdSum
        bm3 = d3 * smSum / sdSum
        bm4 = d4 * smSum / sdSum
    }

    /// One line (at least 4 samples): `out` gets the filtered `data`; `scratch` is work space of the same length.
    /// Operations in ITK's order (a1 b1 + a2 b2 + a3 b3 + a4 b4, left to right), in double.
    func filter(_ data: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>,
                _ scratch: UnsafeMutablePointer<Double>, count ln: Int) {
        @inline(__always) func ema(_ a1: Double, _ b1: Double, _ a2: Double, _ b2: Double,
                                   _ a3: Double, _ b3: Double, _ a4: Double, _ b4: Double) -> Double {
            a1 * b1 + a2 * b2 + a3 * b3 + a4 * b4
        }
        // Causal pass: the first value extends to minus infinity.
        let v1 = data[0]
        out[0] = ema(v1, n0, v1, n1, v1, n2, v1, n3)
        out[1] = ema(data[1], n0, v1, n1, v1, n2, v1, n3)
        out[2] = ema(data[2], n0, data[1], n1, v1, n2, v1, n3)
        out[3] = ema(data[3], n0, data[2], n1, data[1], n2, v1, n3)
        out[0] -= ema(v1, bn1, v1, bn2, v1, bn3, v1, bn4)
        out[1] -= ema(out[0], d1, v1, bn2, v1, bn3, v1, bn4)
        out[2] -= ema(out[1], d1, out[0], d2, v1, bn3, v1, bn4)
        out[3] -= ema(out[2], d1, out[1], d2, out[0], d3, v1, bn4)
        var i = 4
        while i < ln {
            out[i] = ema(data[i], n0, data[i - 1], n1, data[i - 2], n2, data[i - 3], n3)
            out[i] -= ema(out[i - 1], d1, out[i - 2], d2, out[i - 3], d3, out[i - 4], d4)
            i += 1
        }
        // Anti-causal pass: the last value extends to plus infinity.
        let v2 = data[ln - 1]
        let s = scratch
        s[ln - 1] = ema(v2, m1, v2, m2, v2, m3, v2, m4)
        s[ln - 2] = ema(data[ln - 1], m1, v2, m2, v2, m3, v2, m4)
        s[ln - 3] = ema(data[ln - 2], m1, data[ln - 1], m2, v2, m3, v2, m4)
        s[ln - 4] = ema(data[ln - 3], m1, data[ln - 2], m2, data[ln - 1], m3, v2, m4)
        s[ln - 1] -= ema(v2, bm1, v2, bm2, v2, bm3, v2, bm4)
        s[ln - 2] -= ema(s[ln - 1], d1, v2, bm2, v2, bm3, v2, bm4)
        s[ln - 3] -= ema(s[ln - 2], d1, s[ln - 1], d2, v2, bm3, v2, bm4)
        s[ln - 4] -= ema(s[ln - 3], d1, s[ln - 2], d2, s[ln - 1], d3, v2, bm4)
        i = ln - 4
        while i > 0 {
            s[i - 1] = ema(data[i], m1, data[i + 1], m2, data[i + 2], m3, data[i + 3], m4)
            s[i - 1] -= ema(s[i], d1, s[i + 1], d2, s[i + 2], d3, s[i + 3], d4)
            i -= 1
        }
        for t in 0..<ln { out[t] += s[t] }
    }

    /// The filter along `axis` of a grid (i fastest) of Float values, each line read in double, filtered and
    /// stored as Float (ITK's float images between the passes of the Laplacian).
    func apply(_ values: [Float], size: SIMD3<Int>, axis: Int) -> [Float] {
        apply(size: size, axis: axis) { Double(values[$0]) }
    }

    func apply(size: SIMD3<Int>, axis: Int, _ value: (Int) -> Double) -> [Float] {
        let n = size[axis]
        let stride = axis == 0 ? 1 : axis == 1 ? size.x : size.x * size.y
        let others = (0..<3).filter { $0 != axis }
        var out = [Float](repeating: 0, count: size.x * size.y * size.z)
        var line = [Double](repeating: 0, count: n), filtered = line, scratch = line
        line.withUnsafeMutableBufferPointer { lp in
            filtered.withUnsafeMutableBufferPointer { fp in
                scratch.withUnsafeMutableBufferPointer { sp in
                    for b in 0..<size[others[1]] {
                        for a in 0..<size[others[0]] {
                            var idx = SIMD3<Int>(0, 0, 0)
                            idx[others[0]] = a
                            idx[others[1]] = b
                            let start = idx.x + size.x * (idx.y + size.y * idx.z)
                            for t in 0..<n { lp[t] = value(start + t * stride) }
                            filter(lp.baseAddress!, fp.baseAddress!, sp.baseAddress!, count: n)
                            for t in 0..<n { out[start + t * stride] = Float(fp[t]) }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// itk::LaplacianRecursiveGaussianImageFilter as PyRadiomics' LoG image type calls it (NormalizeAcrossScale on):
/// for each axis d in turn, the second-derivative recursive Gaussian along d applied to the input, then the
/// zero-order one along the other axes in increasing order, each pass stored as Float; the sum over d of those
/// images divided by spacing_d^2, accumulated in Float. Needs at least 4 voxels along every axis.
public enum LaplacianRecursiveGaussian {
    /// How far (voxels per axis) the response is followed beyond a region: the IIR's slowest pole decays as
    /// exp(-1.3732 x / s), so at 16 s a border step of 1000 changes a response by under 1e-6 (measured on ITK's
    /// impulse response: 1.6e-11 of the step per voxel at 16 s for the smoothing pass). Where the region reaches
    /// the image's edge the result is ITK's exactly.
    public static func reach(sigma: Double, spacing: SIMD3<Double>) -> SIMD3<Int> {
        let r = (16 * sigma / spacing).rounded(.up)
        return SIMD3(Int(min(r.x, 1e6)), Int(min(r.y, 1e6)), Int(min(r.z, 1e6)))
    }

    /// The region ITK's result on `box` is computed from: the box grown by `reach`, within the image, and at
    /// least 4 voxels along every axis (ITK's minimum line; the image must have 4).
    public static func region(for box: BoundingBox, size: SIMD3<Int>, sigma: Double, spacing: SIMD3<Double>) -> BoundingBox {
        var region = box.expanded(by: reach(sigma: sigma, spacing: spacing), within: size)
        for d in 0..<3 where region.size[d] < 4 && size[d] >= 4 {
            region.lower[d] = min(max(0, region.upper[d] - 3), size[d] - 4)
            region.upper[d] = region.lower[d] + 3
        }
        return region
    }

    /// The response on `box` of a window holding `region(for: box ...)` (computed on that region, whose edges
    /// are the image's where it reaches them), as the Float values ITK stores.
    public static func response(_ image: ImageWindow, box: BoundingBox, sigma: Double) -> [Double] {
        let region = region(for: box, size: image.size, sigma: sigma, spacing: image.grid.spacing)
        let values = image.values(in: region)
        let r = response(size: region.size, spacing: image.grid.spacing, sigma: sigma) { values[$0] }
        let rs = region.size, off = box.lower &- region.lower, bs = box.size
        var out = [Double](repeating: 0, count: box.voxelCount)
        var t = 0
        for k in 0..<bs.z {
            for j in 0..<bs.y {
                let start = off.x + rs.x * (j + off.y + rs.y * (k + off.z))
                for i in 0..<bs.x {
                    out[t] = Double(r[start + i])
                    t += 1
                }
            }
        }
        return out
    }

    /// The response on a grid of `size` (every axis at least 4 voxels), values i fastest, spacing in mm.
    public static func response(size: SIMD3<Int>, spacing: SIMD3<Double>, sigma: Double,
                                _ value: (Int) -> Double) -> [Float] {
        precondition(size.x >= 4 && size.y >= 4 && size.z >= 4, "ITK's recursive Gaussian needs 4 voxels per axis")
        var cumulative = [Float](repeating: 0, count: size.x * size.y * size.z)
        for dim in 0..<3 {
            let derivative = RecursiveGaussian(sigma: sigma, spacing: spacing[dim], order: .second, normalizeAcrossScale: true)
            var image = derivative.apply(size: size, axis: dim, value)
            for axis in 0..<3 where axis != dim {
                let smoothing = RecursiveGaussian(sigma: sigma, spacing: spacing[axis], order: .zero, normalizeAcrossScale: true)
                image = smoothing.apply(image, size: size, axis: axis)
            }
            let spacing2 = spacing[dim] * spacing[dim]
            let factor = 1.0 / spacing2
            for i in 0..<cumulative.count {
                cumulative[i] = Float(Double(cumulative[i]) + Double(image[i]) * factor)
            }
        }
        return cumulative
    }
}
