import Foundation
import RadiomicsCore

/// How an image is extended beyond its edges before it is filtered (IBSI 2, section 1).
public enum BoundaryCondition: String, Sendable, CaseIterable, Codable {
    /// 0 outside the image.
    case zero
    /// The closest edge voxel repeated.
    case nearest
    /// in[p] = in[p mod N].
    case periodic
    /// Symmetric about the outer face of the edge voxel, the edge voxel repeated: ... in[1], in[0] | in[0], in[1] ...
    /// (numpy's `symmetric`, scipy's `reflect`).
    case mirror

    /// The index inside 0..<n whose value stands at `p` (nil: the value is 0).
    @inlinable public func index(_ p: Int, _ n: Int) -> Int? {
        if p >= 0 && p < n { return p }
        switch self {
        case .zero: return nil
        case .nearest: return p < 0 ? 0 : n - 1
        case .periodic: return ((p % n) + n) % n
        case .mirror:
            let q = ((p % (2 * n)) + 2 * n) % (2 * n)
            return q < n ? q : 2 * n - 1 - q
        }
    }
}

extension BoundaryCondition {
    /// Writes `values` (a grid of `size`, i fastest) extended by `pad` voxels before and after each axis with this
    /// condition into `out`, a grid of `outSize` (at least size + 2 pad per axis; the rest is left as it is). With
    /// `slice`, only that axial slice is extended (and `pad.z` is not used): the output is one plane.
    func extend(_ values: UnsafeBufferPointer<Double>, size n: SIMD3<Int>, slice: Int? = nil, pad p: SIMD3<Int>,
                into out: inout [Double], outSize L: SIMD3<Int>) {
        let depth = slice == nil ? n.z + 2 * p.z : 1
        for z in 0..<depth {
            guard let k = slice ?? index(z - p.z, n.z) else { continue }
            for y in 0..<(n.y + 2 * p.y) {
                guard let j = index(y - p.y, n.y) else { continue }
                for x in 0..<(n.x + 2 * p.x) {
                    guard let i = index(x - p.x, n.x) else { continue }
                    out[x + L.x * (y + L.y * z)] = values[i + n.x * (j + n.y * k)]
                }
            }
        }
    }
}

/// Whether a filter works on each axial slice (k constant) separately, or on the volume.
public enum FilterDimensions: String, Sendable, Codable {
    case twoD = "2D", threeD = "3D"

    /// The axes the filter runs along.
    public var axes: [Int] { self == .twoD ? [0, 1] : [0, 1, 2] }
}

/// A one-dimensional kernel applied by convolution: `out[p] = sum_k taps[k] * in[p - dilation * (k - anchor)]`.
/// For an odd kernel listed at offsets -R..R the anchor is R; for the wavelet filter banks it is floor(n/2), and
/// at level j the taps are `dilation = 2^(j-1)` voxels apart with the anchor scaled alike (IBSI 2, 2.5).
public struct Kernel1D: Sendable, Equatable {
    public var taps: [Double]
    public var anchor: Int
    public var dilation: Int

    public init(taps: [Double], anchor: Int? = nil, dilation: Int = 1) {
        precondition(!taps.isEmpty && dilation >= 1, "a kernel needs taps and a positive dilation")
        self.taps = taps
        self.anchor = anchor ?? taps.count / 2
        self.dilation = dilation
    }

    /// How far the kernel reaches before and after a voxel.
    var reach: (before: Int, after: Int) { (dilation * (taps.count - 1 - anchor), dilation * anchor) }
}

/// Filtering on a grid of Double values: one-dimensional passes along an axis with a boundary condition, the
/// building block of every separable filter (mean, LoG as a sum of separable terms, Laws, wavelets).
public enum SeparableConvolution {
    /// Convolves every line of `values` (a grid of `size`, i fastest) along `axis` with `kernel`.
    public static func pass(_ values: [Double], size: SIMD3<Int>, axis: Int, kernel: Kernel1D, boundary: BoundaryCondition) -> [Double] {
        let n = size[axis]
        let stride = axis == 0 ? 1 : axis == 1 ? size.x : size.x * size.y
        let (before, after) = kernel.reach
        // Each line is copied into a padded buffer (the boundary condition applied once), then convolved.
        let padded = n + before + after
        var out = [Double](repeating: 0, count: values.count)
        let taps = kernel.taps, m = kernel.dilation, anchor = kernel.anchor
        // Offsets into the padded line: out[p] = sum_k taps[k] * line[before + p + m * (anchor - k)].
        let offsets = (0..<taps.count).map { before + m * (anchor - $0) }
        let lines = values.count / n
        values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var line = [Double](repeating: 0, count: padded)
                for l in 0..<lines {
                    // The line's first voxel: lines run over the other two axes.
                    let start: Int
                    switch axis {
                    case 0: start = l * n
                    case 1: start = (l / size.x) * size.x * size.y + l % size.x
                    default: start = l
                    }
                    for q in 0..<padded {
                        if let i = boundary.index(q - before, n) { line[q] = src[start + i * stride] } else { line[q] = 0 }
                    }
                    line.withUnsafeBufferPointer { b in
                        for p in 0..<n {
                            var s = 0.0
                            for k in 0..<taps.count { s += taps[k] * b[p + offsets[k]] }
                            dst[start + p * stride] = s
                        }
                    }
                }
            }
        }
        return out
    }

    /// A separable kernel: `kernels[a]` along axis `axes[a]`.
    public static func separable(_ values: [Double], size: SIMD3<Int>, kernels: [(axis: Int, kernel: Kernel1D)],
                                 boundary: BoundaryCondition) -> [Double] {
        var v = values
        for (axis, kernel) in kernels { v = pass(v, size: size, axis: axis, kernel: kernel, boundary: boundary) }
        return v
    }
}

/// One of the orientations of a grid that rotation-invariant filters pool over: the proper rotations of the cube
/// (24 in 3D; in 2D the 4 in-plane quarter turns). Output axis `a` runs along input axis `permutation[a]`,
/// reversed when `flipped[a]`.
public struct GridOrientation: Sendable, Equatable {
    public var permutation: [Int]
    public var flipped: [Bool]

    public static let identity = GridOrientation(permutation: [0, 1, 2], flipped: [false, false, false])

    /// Every proper rotation (determinant +1): 24 in 3D, the 4 that keep the k axis in 2D.
    public static func rotations(_ dimensions: FilterDimensions) -> [GridOrientation] {
        var out: [GridOrientation] = []
        let permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
        let parity = [1, -1, -1, 1, 1, -1]
        for (p, perm) in permutations.enumerated() {
            for bits in 0..<8 {
                let flips = [bits & 1 != 0, bits & 2 != 0, bits & 4 != 0]
                let sign = flips.reduce(parity[p]) { $0 * ($1 ? -1 : 1) }
                guard sign == 1 else { continue }
                if dimensions == .twoD && (perm[2] != 2 || flips[2]) { continue }
                out.append(GridOrientation(permutation: perm, flipped: flips))
            }
        }
        return out
    }

    /// The grid's size seen in this orientation.
    public func size(_ size: SIMD3<Int>) -> SIMD3<Int> {
        SIMD3(size[permutation[0]], size[permutation[1]], size[permutation[2]])
    }

    /// The spacing seen in this orientation.
    public func spacing(_ spacing: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(spacing[permutation[0]], spacing[permutation[1]], spacing[permutation[2]])
    }

    /// `values` (a grid of `size`) as seen in this orientation.
    public func apply(_ values: [Double], size: SIMD3<Int>) -> [Double] {
        let out = self.size(size)
        var result = [Double](repeating: 0, count: values.count)
        var source = SIMD3<Int>.zero
        var o = 0
        for k in 0..<out.z {
            for j in 0..<out.y {
                for i in 0..<out.x {
                    let index = SIMD3(i, j, k)
                    for a in 0..<3 {
                        let axis = permutation[a]
                        source[axis] = flipped[a] ? out[a] - 1 - index[a] : index[a]
                    }
                    result[o] = values[source.x + size.x * (source.y + size.y * source.z)]
                    o += 1
                }
            }
        }
        return result
    }

    /// A grid seen in this orientation (of `orientedSize`) put back in the original one.
    public func undo(_ values: [Double], orientedSize: SIMD3<Int>) -> [Double] {
        var original = SIMD3<Int>.zero
        for a in 0..<3 { original[permutation[a]] = orientedSize[a] }
        var result = [Double](repeating: 0, count: values.count)
        var o = 0
        for k in 0..<orientedSize.z {
            for j in 0..<orientedSize.y {
                for i in 0..<orientedSize.x {
                    let index = SIMD3(i, j, k)
                    var source = SIMD3<Int>.zero
                    for a in 0..<3 { source[permutation[a]] = flipped[a] ? orientedSize[a] - 1 - index[a] : index[a] }
                    result[source.x + original.x * (source.y + original.y * source.z)] = values[o]
                    o += 1
                }
            }
        }
        return result
    }
}
