import Foundation
import RadiomicsCore
import CKernels

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

    /// Eight lines per vector, `width` vectors at once (lines of at least 4 samples): sample t of vector w at
    /// `data[t * width + w]`; `out` gets the filtered lines in the same layout, `scratch` is work space of the same
    /// size. Per sample and line the operations are ITK's (RecursiveSeparableImageFilter::FilterDataArray), in its
    /// order (a1 b1 + a2 b2 + a3 b3 + a4 b4, left to right, in double; see `radiomics_recursive_gaussian` in
    /// CKernels, which runs it on the widest vectors the processor has): the lanes of a vector are independent
    /// lines, so the vectors give each line exactly the scalar result.
    func filter(_ data: UnsafePointer<SIMD8<Double>>, _ out: UnsafeMutablePointer<SIMD8<Double>>,
                _ scratch: UnsafeMutablePointer<SIMD8<Double>>, count ln: Int, width W: Int) {
        let c = [n0, n1, n2, n3, d1, d2, d3, d4, m1, m2, m3, m4, bn1, bn2, bn3, bn4, bm1, bm2, bm3, bm4]
        func doubles(_ p: UnsafePointer<SIMD8<Double>>) -> UnsafePointer<Double> {
            UnsafeRawPointer(p).assumingMemoryBound(to: Double.self)
        }
        func doubles(_ p: UnsafeMutablePointer<SIMD8<Double>>) -> UnsafeMutablePointer<Double> {
            UnsafeMutableRawPointer(p).assumingMemoryBound(to: Double.self)
        }
        radiomics_recursive_gaussian(doubles(data), doubles(out), doubles(scratch), ln, W, c)
    }

    /// The filter along `axis` of a grid laid out in `input` as `layout` says, each line computed in double over
    /// its whole length and stored as Float (ITK's float images between the passes of the Laplacian) into `out`,
    /// only samples `keep` of each line kept: `keep.count` samples along `axis` and the layout's extent along the
    /// others, i fastest.
    func apply<T: VoxelScalar>(_ input: UnsafeBufferPointer<T>, layout: GridLayout, axis: Int, keep: Range<Int>,
                               into out: UnsafeMutableBufferPointer<Float>) {
        LineBatches.apply(input, layout: layout, axis: axis, keep: keep, into: out) { lines, n, W, work in
            self.filter(lines, work, work + n * W, count: n, width: W)
            return UnsafePointer(work)
        }
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
    ///
    /// Each pass runs along whole lines of what is left of the region but keeps only the box's extent along its
    /// own axis (later passes run along the other axes), so the first pass covers the region, the second the box
    /// along one axis and the region along the last, the third the box along two: the same values as filtering
    /// the whole region, at under half the work.
    public static func response(_ image: ImageWindow, box: BoundingBox, sigma: Double) -> [Double] {
        let region = region(for: box, size: image.size, sigma: sigma, spacing: image.grid.spacing)
        return response(image.values(in: region), region: region, spacing: image.grid.spacing, box: box, sigma: sigma)
    }

    /// The same from the stored voxels of `region(for: box ...)` of an image with `spacing`, read in place (an
    /// Int16 CT is converted to double line by line as the first pass reads it, never copied whole).
    public static func response(_ stored: StoredRegion, region: BoundingBox, spacing: SIMD3<Double>, box: BoundingBox, sigma: Double) -> [Double] {
        switch stored {
        case .int16(let v, let layout): return computed(v, layout: layout, region: region, spacing: spacing, box: box, sigma: sigma)
        case .float(let v, let layout): return computed(v, layout: layout, region: region, spacing: spacing, box: box, sigma: sigma)
        }
    }

    /// The same from Double values of `region(for: box ...)`, i fastest.
    public static func response(_ values: [Double], region: BoundingBox, spacing: SIMD3<Double>, box: BoundingBox, sigma: Double) -> [Double] {
        values.withUnsafeBufferPointer {
            computed($0, layout: GridLayout(contiguous: region.size), region: region, spacing: spacing, box: box, sigma: sigma)
        }
    }

    /// (Generic within this module, where it is specialised for each stored type.)
    static func computed<T: VoxelScalar>(_ input: UnsafeBufferPointer<T>, layout: GridLayout, region: BoundingBox,
                                         spacing: SIMD3<Double>, box: BoundingBox, sigma: Double) -> [Double] {
        precondition(layout.size == region.size, "the values laid out are not the region's")
        precondition(region.size.x >= 4 && region.size.y >= 4 && region.size.z >= 4, "ITK's recursive Gaussian needs 4 voxels per axis")
        let off = box.lower &- region.lower, bs = box.size
        func keep(_ axis: Int) -> Range<Int> { off[axis]..<(off[axis] + bs[axis]) }
        // Each dimension's chain of three passes writes into two buffers in turn (first, second, first again: the
        // passes shrink), allocated once for the three chains instead of nine fresh arrays.
        func afterFirst(_ dim: Int) -> SIMD3<Int> { var s = region.size; s[dim] = bs[dim]; return s }
        func afterSecond(_ dim: Int) -> SIMD3<Int> { var s = afterFirst(dim); s[dim == 0 ? 1 : 0] = bs[dim == 0 ? 1 : 0]; return s }
        func count(_ s: SIMD3<Int>) -> Int { s.x * s.y * s.z }
        let first = UnsafeMutableBufferPointer<Float>.allocate(capacity: (0..<3).map { count(afterFirst($0)) }.max()!)
        let second = UnsafeMutableBufferPointer<Float>.allocate(capacity: (0..<3).map { count(afterSecond($0)) }.max()!)
        defer { first.deallocate(); second.deallocate() }
        adviseHugePages(UnsafeMutableRawBufferPointer(first))
        adviseHugePages(UnsafeMutableRawBufferPointer(second))
        var cumulative = [Float](repeating: 0, count: box.voxelCount)
        for dim in 0..<3 {
            let derivative = RecursiveGaussian(sigma: sigma, spacing: spacing[dim], order: .second, normalizeAcrossScale: true)
            derivative.apply(input, layout: layout, axis: dim, keep: keep(dim), into: first)
            var size = afterFirst(dim)
            var (from, to) = (first, second)
            for axis in 0..<3 where axis != dim {
                let smoothing = RecursiveGaussian(sigma: sigma, spacing: spacing[axis], order: .zero, normalizeAcrossScale: true)
                smoothing.apply(UnsafeBufferPointer(from), layout: GridLayout(contiguous: size), axis: axis, keep: keep(axis), into: to)
                size[axis] = bs[axis]
                swap(&from, &to)
            }
            let spacing2 = spacing[dim] * spacing[dim]
            let factor = 1.0 / spacing2
            for i in 0..<cumulative.count {
                cumulative[i] = Float(Double(cumulative[i]) + Double(from[i]) * factor)
            }
        }
        return cumulative.map(Double.init)
    }
}
