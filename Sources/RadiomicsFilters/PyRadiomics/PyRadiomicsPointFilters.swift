import Foundation
import RadiomicsCore

/// PyRadiomics' image types that are not convolutions with a long reach (imageoperations.py): the four
/// intensity maps scaled by the image's largest absolute value, ITK's gradient magnitude and scikit-image's
/// 2D local binary pattern. Each gives its values on a region's box (i fastest) of the image PyRadiomics
/// filters (after its resampling and cropping); whatever they read beyond the box is read from the image itself,
/// so the box's values are the whole-image ones.
public enum PyRadiomicsPointFilters {
    /// getSquareImage: (x / sqrt(M))^2 with M the largest absolute value.
    public static func square(_ box: [Double], largest m: Double) -> [Double] {
        let coeff = 1 / m.squareRoot()
        return box.map { v in let s = coeff * v; return s * s }
    }

    /// getSquareRootImage: sign(x) sqrt(|x| M).
    public static func squareRoot(_ box: [Double], largest m: Double) -> [Double] {
        box.map { v in v > 0 ? (v * m).squareRoot() : v < 0 ? -((-v) * m).squareRoot() : v }
    }

    /// getLogarithmImage: sign(x) log(|x| + 1), rescaled so the largest absolute value is M again
    /// (the transformed maximum is log(M + 1)).
    public static func logarithm(_ box: [Double], largest m: Double) -> [Double] {
        let scale = m / log(m + 1)
        return box.map { v in
            let t = v > 0 ? log(v + 1) : v < 0 ? -log(-(v - 1)) : v
            return t * scale
        }
    }

    /// getExponentialImage: exp(x log(M) / M).
    public static func exponential(_ box: [Double], largest m: Double) -> [Double] {
        let coeff = log(m) / m
        return box.map { exp(coeff * $0) }
    }

    /// itk::GradientMagnitudeImageFilter (SimpleITK, PyRadiomics' Gradient image type): central differences
    /// (x[i+1] - x[i-1]) / 2, divided by the spacing when `useSpacing`, the border voxel repeated beyond the edge
    /// (zero-flux Neumann), sqrt of the sum of squares over x, y, z; computed in double and stored as Float.
    public static func gradientMagnitude(_ image: ImageWindow, box: BoundingBox, useSpacing: Bool) -> [Double] {
        let g = image.grid, n = g.size
        var coefficient = SIMD3<Double>(repeating: 0.5)
        if useSpacing { for d in 0..<3 { coefficient[d] = 0.5 * (1.0 / g.spacing[d]) } }
        var out = [Double](repeating: 0, count: box.voxelCount)
        var t = 0
        for k in box.lower.z...box.upper.z {
            for j in box.lower.y...box.upper.y {
                for i in box.lower.x...box.upper.x {
                    var a = 0.0
                    for d in 0..<3 {
                        var lo = SIMD3(i, j, k), hi = lo
                        lo[d] = max(lo[d] - 1, 0)
                        hi[d] = min(hi[d] + 1, n[d] - 1)
                        let c = coefficient[d]
                        let gd = -c * image[lo.x, lo.y, lo.z] + 0 * image[i, j, k] + c * image[hi.x, hi.y, hi.z]
                        a += gd * gd
                    }
                    out[t] = Double(Float(a.squareRoot()))
                    t += 1
                }
            }
        }
        return out
    }

    /// skimage.feature.local_binary_pattern's methods as PyRadiomics accepts them.
    public enum LBPMethod: String, Sendable, CaseIterable {
        case `default`, ror, uniform, `var`
    }

    /// getLBP2DImage: scikit-image's local_binary_pattern on every slice across `axis` (this project's x, y, z
    /// numbering; PyRadiomics' force2Ddimension 0 is z). Slices are (rows, cols) as numpy sees them after
    /// swapping that axis first: across z rows are y and cols x; across y rows z, cols x; across x rows y, cols z.
    /// `samples` points at row offset -R sin(2 pi p / P), col offset R cos(2 pi p / P), both rounded to 5 decimals,
    /// are read by bilinear interpolation with 0 outside the slice, and compared with the centre (>= is 1).
    /// uniform: the number of ones when the pattern has at most 2 changes between consecutive samples (not
    /// counting the wrap from the last to the first), else P + 1; default: sum of 2^p over ones; ror: the smallest
    /// rotation of that; var: the samples' variance (NaN when it is 0).
    public static func localBinaryPattern2D(_ image: ImageWindow, box: BoundingBox, radius: Double, samples: Int,
                                            method: LBPMethod, axis: Int) -> [Double] {
        let n = image.size
        let (rowAxis, colAxis) = axis == 2 ? (1, 0) : axis == 1 ? (2, 0) : (1, 2)
        let rows = n[rowAxis], cols = n[colAxis]
        let p = samples
        let rp = (0..<p).map { i in roundDecimals(-radius * sin(2 * Double.pi * Double(i) / Double(p)), 5) }
        let cp = (0..<p).map { i in roundDecimals(radius * cos(2 * Double.pi * Double(i) / Double(p)), 5) }
        // Steps in the window's values along the slice's rows and columns.
        let steps = SIMD3(1, image.region.size.x, image.region.size.x * image.region.size.y)
        let rowStep = steps[rowAxis], colStep = steps[colAxis]
        var out = [Double](repeating: 0, count: box.voxelCount)
        var texture = [Double](repeating: 0, count: p)
        var signed = [Int](repeating: 0, count: p)
        var t = 0
        image.values.withUnsafeBufferPointer { values in
        for k in box.lower.z...box.upper.z {
            for j in box.lower.y...box.upper.y {
                for i in box.lower.x...box.upper.x {
                    let at = SIMD3(i, j, k)
                    let r = at[rowAxis], c = at[colAxis]
                    let here = image.offset(i, j, k)
                    @inline(__always) func pixel(_ rr: Int, _ cc: Int) -> Double {
                        if rr < 0 || rr >= rows || cc < 0 || cc >= cols { return 0 }
                        return values[here + (rr - r) * rowStep + (cc - c) * colStep]
                    }
                    let centre = values[here]
                    for s in 0..<p {
                        let fr = Double(r) + rp[s], fc = Double(c) + cp[s]
                        let minr = Int(fr.rounded(.down)), minc = Int(fc.rounded(.down))
                        let maxr = Int(fr.rounded(.up)), maxc = Int(fc.rounded(.up))
                        let dr = fr - Double(minr), dc = fc - Double(minc)
                        let top = (1 - dc) * pixel(minr, minc) + dc * pixel(minr, maxc)
                        let bottom = (1 - dc) * pixel(maxr, minc) + dc * pixel(maxr, maxc)
                        texture[s] = (1 - dr) * top + dr * bottom
                        signed[s] = texture[s] - centre >= 0 ? 1 : 0
                    }
                    var lbp = 0.0
                    switch method {
                    case .uniform, .var:
                        var changes = 0
                        for s in 0..<(p - 1) { changes += abs(signed[s] - signed[s + 1]) }
                        lbp = changes <= 2 ? Double(signed.reduce(0, +)) : Double(p + 1)
                        if method == .var {
                            let mean = texture.reduce(0, +) / Double(p)
                            let variance = texture.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(p)
                            lbp = variance != 0 ? variance : .nan
                        }
                    case .default, .ror:
                        var code = 0
                        for s in 0..<p where signed[s] != 0 { code += 1 << s }
                        if method == .ror {
                            var best = code, rotated = code
                            for _ in 1..<max(p, 1) {
                                rotated = (rotated >> 1) | ((rotated & 1) << (p - 1))
                                best = min(best, rotated)
                            }
                            code = best
                        }
                        lbp = Double(code)
                    }
                    out[t] = lbp
                    t += 1
                }
            }
        }
        }
        return out
    }

    /// What the gradient on `box` reads: one voxel around it, within the image.
    public static func gradientRegion(for box: BoundingBox, size: SIMD3<Int>) -> BoundingBox {
        box.expanded(by: SIMD3(repeating: 1), within: size)
    }

    /// What the 2D pattern on `box` reads: ceil(radius) + 1 voxels around it in the slice's plane, within the image.
    public static func lbpRegion(for box: BoundingBox, size: SIMD3<Int>, radius: Double, axis: Int) -> BoundingBox {
        var m = SIMD3(repeating: Int(min(radius, 1e6).rounded(.up)) + 1)
        m[axis] = 0
        return box.expanded(by: m, within: size)
    }

    /// numpy.round(x, decimals): x * 10^d rounded half to even, divided back.
    static func roundDecimals(_ x: Double, _ d: Int) -> Double {
        let f = pow(10.0, Double(d))
        return (x * f).rounded(.toNearestOrEven) / f
    }
}
