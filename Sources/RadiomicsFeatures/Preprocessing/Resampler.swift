import Foundation
import RadiomicsCore

/// How one axis of the interpolated grid maps onto the original grid (IBSI grid alignment): new voxel `m`
/// sits at the continuous original index `offset + m × ratio`, with `ratio = new spacing / old spacing`,
/// `count = ceil(old count × old spacing / new spacing)` and the two grids' centres coinciding:
/// `offset = (old count − 1)/2 − (count − 1)/2 × ratio` (as MIRP's `interpolate_to_new_grid`).
struct AxisMapping: Equatable, Sendable {
    var sourceCount: Int
    var count: Int
    var offset: Double
    var ratio: Double

    /// The unchanged axis.
    init(identity n: Int) {
        sourceCount = n
        count = n
        offset = 0
        ratio = 1
    }

    init(sourceCount n0: Int, sourceSpacing s0: Double, targetSpacing s1: Double) {
        sourceCount = n0
        ratio = s1 / s0
        // ceil, with a little slack so that 60 × 3 / 2 computed as 90.0000000001 stays 90.
        count = max(1, Int((Double(n0) * s0 / s1 - 1e-6).rounded(.up)))
        offset = 0.5 * Double(n0 - 1) - 0.5 * Double(count - 1) * ratio
    }

    var isIdentity: Bool { ratio == 1 && offset == 0 && count == sourceCount }

    @inline(__always) func position(_ m: Int) -> Double { offset + Double(m) * ratio }

    /// The new-grid indices whose position lies within [lo − reach, hi + reach] of the original grid.
    func targetRange(sourceLower lo: Int, sourceUpper hi: Int, reach: Double) -> ClosedRange<Int>? {
        if isIdentity { return lo...hi }
        let a = Int(((Double(lo) - reach - offset) / ratio).rounded(.up))
        let b = Int(((Double(hi) + reach - offset) / ratio).rounded(.down))
        let l = max(0, a), u = min(count - 1, b)
        return l <= u ? l...u : nil
    }
}

/// Interpolation weights of one axis for a run of new-grid indices: output `m` (0-based within the run) is
/// `Σ_t weight[m·taps + t] × input[index[m·taps + t]]`, indices relative to `sourceLower`.
struct AxisTaps {
    var taps: Int
    var index: [Int]
    var weight: [Double]
    /// Original-grid index range the input must cover (may reach outside the grid: read with clamping).
    var sourceLower: Int
    var sourceUpper: Int
    var outputCount: Int
    /// True when the output is the input (identity axis): nothing to do.
    var passThrough: Bool
    /// True when the input along this axis must be converted to cubic B-spline coefficients.
    var needsPrefilter: Bool
}

/// Separable resampling of a 3D voxel grid, and the cubic B-spline prefilter (IBSI image interpolation).
///
/// Everything works on a crop of the original grid read with clamped indices, which is the IBSI padding by
/// the nearest boundary value: only the voxels an output box needs are read, so memory stays bounded by the
/// box, never by the whole image.
enum Resampler {
    /// Padding (voxels) beyond the needed taps for the cubic spline prefilter. The recursive filter's
    /// influence decays as |z|^k with z = √3 − 2 ≈ −0.268, so 12 voxels change a coefficient by < 2·10⁻⁷ of the
    /// intensity range; scipy pads 12 voxels (mode "nearest") as well.
    static let splinePadding = 12

    static func taps(_ map: AxisMapping, _ range: ClosedRange<Int>, _ interpolator: Interpolator) -> AxisTaps {
        let n = range.count
        if map.isIdentity {
            return AxisTaps(taps: 1, index: Array(0..<n), weight: Array(repeating: 1, count: n),
                            sourceLower: range.lowerBound, sourceUpper: range.upperBound, outputCount: n,
                            passThrough: true, needsPrefilter: false)
        }
        let k: Int
        switch interpolator {
        case .nearest: k = 1
        case .linear: k = 2
        case .cubicSpline: k = 4
        }
        var first = [Int](repeating: 0, count: n)
        var weight = [Double](repeating: 0, count: n * k)
        for (o, m) in range.enumerated() {
            let x = map.position(m)
            switch interpolator {
            case .nearest:
                first[o] = Int((x + 0.5).rounded(.down))
                weight[o] = 1
            case .linear:
                let f = x.rounded(.down)
                let t = x - f
                first[o] = Int(f)
                weight[2 * o] = 1 - t
                weight[2 * o + 1] = t
            case .cubicSpline:
                // Cubic B-spline basis at offsets -1, 0, 1, 2 from floor(x).
                let f = x.rounded(.down)
                let t = x - f, u = 1 - t
                first[o] = Int(f) - 1
                let t2 = t * t, t3 = t2 * t
                weight[4 * o] = u * u * u / 6
                weight[4 * o + 1] = (4 - 6 * t2 + 3 * t3) / 6
                weight[4 * o + 2] = (1 + 3 * t + 3 * t2 - 3 * t3) / 6
                weight[4 * o + 3] = t3 / 6
            }
        }
        let pad = interpolator == .cubicSpline ? splinePadding : 0
        let lower = first.min()! - pad
        let upper = first.max()! + k - 1 + pad
        var index = [Int](repeating: 0, count: n * k)
        for o in 0..<n {
            for t in 0..<k { index[o * k + t] = first[o] + t - lower }
        }
        return AxisTaps(taps: k, index: index, weight: weight, sourceLower: lower, sourceUpper: upper,
                        outputCount: n, passThrough: false, needsPrefilter: interpolator == .cubicSpline)
    }

    /// Values of the new grid over `box` (new-grid indices), from `read`, which returns the original grid over
    /// an index box (bounds may lie outside the grid: clamp) as Double, i fastest.
    static func resample(maps: [AxisMapping], box: BoundingBox, interpolator: Interpolator,
                         read: (SIMD3<Int>, SIMD3<Int>) -> [Double]) -> [Double] {
        let axisTaps = (0..<3).map { taps(maps[$0], box.lower[$0]...box.upper[$0], interpolator) }
        let lower = SIMD3(axisTaps[0].sourceLower, axisTaps[1].sourceLower, axisTaps[2].sourceLower)
        let upper = SIMD3(axisTaps[0].sourceUpper, axisTaps[1].sourceUpper, axisTaps[2].sourceUpper)
        var data = read(lower, upper)
        var dims = upper &- lower &+ 1
        for axis in 0..<3 where axisTaps[axis].needsPrefilter {
            bsplinePrefilter(&data, dims: dims, axis: axis)
        }
        for axis in 0..<3 where !axisTaps[axis].passThrough {
            data = resampleAxis(data, dims: &dims, axis: axis, taps: axisTaps[axis])
        }
        return data
    }

    /// Views `dims` as (inner, length, outer) around `axis`.
    @inline(__always) static func layout(_ dims: SIMD3<Int>, _ axis: Int) -> (inner: Int, length: Int, outer: Int) {
        switch axis {
        case 0: return (1, dims.x, dims.y * dims.z)
        case 1: return (dims.x, dims.y, dims.z)
        default: return (dims.x * dims.y, dims.z, 1)
        }
    }

    static func resampleAxis(_ source: [Double], dims: inout SIMD3<Int>, axis: Int, taps: AxisTaps) -> [Double] {
        let (inner, lengthIn, outer) = layout(dims, axis)
        let lengthOut = taps.outputCount
        let k = taps.taps
        var out = [Double](repeating: 0, count: inner * lengthOut * outer)
        source.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                taps.index.withUnsafeBufferPointer { index in
                    taps.weight.withUnsafeBufferPointer { weight in
                        if inner == 1 {
                            for o in 0..<outer {
                                let s = o * lengthIn, d = o * lengthOut
                                for m in 0..<lengthOut {
                                    var acc = 0.0
                                    for t in 0..<k { acc += weight[m * k + t] * src[s + index[m * k + t]] }
                                    dst[d + m] = acc
                                }
                            }
                        } else {
                            for o in 0..<outer {
                                for m in 0..<lengthOut {
                                    let d = (o * lengthOut + m) * inner
                                    for t in 0..<k {
                                        let w = weight[m * k + t]
                                        if w == 0 { continue }
                                        let s = (o * lengthIn + index[m * k + t]) * inner
                                        for i in 0..<inner { dst[d + i] += w * src[s + i] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        dims[axis] = lengthOut
        return out
    }

    /// Converts samples to cubic B-spline coefficients along `axis` in place (Unser's recursive filter, pole
    /// z = √3 − 2, mirror boundary), so that the spline interpolates the samples.
    static func bsplinePrefilter(_ data: inout [Double], dims: SIMD3<Int>, axis: Int) {
        let (inner, length, outer) = layout(dims, axis)
        guard length > 1 else { return }
        let z = 3.0.squareRoot() - 2
        let horizon = min(length, 30) // |z|^30 < 10^-17
        let anticausal = z / (z * z - 1)
        data.withUnsafeMutableBufferPointer { p in
            for o in 0..<outer {
                let base = o * length * inner
                for q in base..<(base + length * inner) { p[q] *= 6 }
                // Causal initialisation: c⁺(0) = Σ_k z^k c(k).
                var zk = z
                for k in 1..<horizon {
                    let row = base + k * inner
                    for i in 0..<inner { p[base + i] += zk * p[row + i] }
                    zk *= z
                }
                for k in 1..<length {
                    let row = base + k * inner, prev = row - inner
                    for i in 0..<inner { p[row + i] += z * p[prev + i] }
                }
                // Anticausal initialisation: c⁻(N−1) = z/(z²−1) (c⁺(N−1) + z c⁺(N−2)).
                let last = base + (length - 1) * inner
                for i in 0..<inner { p[last + i] = anticausal * (p[last + i] + z * p[last - inner + i]) }
                for k in stride(from: length - 2, through: 0, by: -1) {
                    let row = base + k * inner, next = row + inner
                    for i in 0..<inner { p[row + i] = z * (p[next + i] - p[row + i]) }
                }
            }
        }
    }

    /// The voxels of `voxels` (grid `size`) over the index box [lower, upper] as Double, indices clamped to the
    /// grid (edge padding), each value passed through `transform`.
    static func readClamped<S: VoxelScalar>(_ voxels: [S], size n: SIMD3<Int>, lower: SIMD3<Int>, upper: SIMD3<Int>,
                                            transform: (Double) -> Double) -> [Double] {
        let d = upper &- lower &+ 1
        var out = [Double](repeating: 0, count: d.x * d.y * d.z)
        let xs = (0..<d.x).map { min(max(lower.x + $0, 0), n.x - 1) }
        // Fast path when the row lies inside the grid: contiguous copy.
        let contiguous = lower.x >= 0 && upper.x < n.x
        voxels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var q = 0
                for k in 0..<d.z {
                    let kk = min(max(lower.z + k, 0), n.z - 1)
                    for j in 0..<d.y {
                        let jj = min(max(lower.y + j, 0), n.y - 1)
                        let row = n.x * (jj + n.y * kk)
                        if contiguous {
                            let start = row + lower.x
                            for i in 0..<d.x { dst[q + i] = transform(src[start + i].doubleValue) }
                        } else {
                            for i in 0..<d.x { dst[q + i] = transform(src[row + xs[i]].doubleValue) }
                        }
                        q += d.x
                    }
                }
            }
        }
        return out
    }
}
