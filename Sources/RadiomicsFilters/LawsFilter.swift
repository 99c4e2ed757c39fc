import Foundation
import RadiomicsCore

/// IBSI 2 Laws kernels (2.3): the outer product of 1D Laws vectors (unit L2 norm; a 3-tap vector zero-padded to 5
/// taps when mixed with 5-tap ones), the first letter pair along i, the second along j, the third along k;
/// optionally pooled over the rotations of the kernel (max), and an energy map: the mean of |response| over a
/// (2 delta + 1)^d window with the same boundary condition.
public struct LawsFilter: ImageFilter {
    /// Laws vectors, taps at offsets -R..R before scaling to unit norm.
    static let vectors: [String: [Double]] = [
        "L3": [1, 2, 1], "E3": [-1, 0, 1], "S3": [-1, 2, -1],
        "L5": [1, 4, 6, 4, 1], "E5": [-1, -2, 0, 2, 1], "S5": [-1, 0, 2, 0, -1], "W5": [-1, 2, 0, -2, 1], "R5": [1, -4, 6, -4, 1],
    ]

    public var kernel: String
    public var dimensions: FilterDimensions
    public var boundary: BoundaryCondition
    public var rotationInvariant: Bool
    /// Energy map half-width in voxels (nil: the response itself).
    public var energyDelta: Int?
    let taps: [[Double]]

    public init(kernel: String, dimensions: FilterDimensions, boundary: BoundaryCondition, rotationInvariant: Bool,
                energyDelta: Int?) throws {
        let upper = kernel.uppercased()
        let parts = stride(from: 0, to: upper.count, by: 2).map { i -> String in
            let a = upper.index(upper.startIndex, offsetBy: i)
            return String(upper[a..<upper.index(a, offsetBy: min(2, upper.count - i))])
        }
        let expected = dimensions == .twoD ? 2 : 3
        guard parts.count == expected, let vectors = Optional(parts.compactMap { Self.vectors[$0] }), vectors.count == expected else {
            throw RadiomicsError("Laws filter: kernel '\(kernel)' is not \(expected) of L3 E3 S3 L5 E5 S5 W5 R5 (e.g. \(dimensions == .twoD ? "L5S5" : "E5L5S5"))")
        }
        if let energyDelta, !(0...50).contains(energyDelta) { throw RadiomicsError("Laws filter: energy delta must be 0-50 voxels, got \(energyDelta)") }
        let length = vectors.map(\.count).max()!
        taps = vectors.map { v in
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let pad = (length - v.count) / 2
            return Array(repeating: 0, count: pad) + v.map { $0 / norm } + Array(repeating: 0, count: pad)
        }
        self.kernel = upper
        self.dimensions = dimensions
        self.boundary = boundary
        self.rotationInvariant = rotationInvariant
        self.energyDelta = energyDelta
    }

    public var name: String {
        "laws_\(kernel.lowercased())\(dimensions == .twoD ? "_2d" : "")\(rotationInvariant ? "_max" : "")\(energyDelta.map { "_e\($0)" } ?? "")"
    }

    public func reach(spacing: SIMD3<Double>) -> SIMD3<Int> {
        let r = taps[0].count / 2 + (energyDelta ?? 0)
        return dimensions == .twoD ? SIMD3(r, r, 0) : SIMD3(repeating: r)
    }

    public func response(_ image: FilterImage) -> [Double] {
        let axes = dimensions.axes
        let kernels = axes.enumerated().map { a, axis in (axis, Kernel1D(taps: taps[a])) }
        let orientations = rotationInvariant ? GridOrientation.rotations(dimensions) : [.identity]
        var r = pooled(image, over: orientations, pooling: .max) { turned in
            SeparableConvolution.separable(turned.values, size: turned.size, kernels: kernels, boundary: boundary)
        }
        if let delta = energyDelta {
            for i in 0..<r.count { r[i] = abs(r[i]) }
            let window = Kernel1D(taps: Array(repeating: 1 / Double(2 * delta + 1), count: 2 * delta + 1))
            r = SeparableConvolution.separable(r, size: image.size, kernels: axes.map { ($0, window) }, boundary: boundary)
        }
        return r
    }
}

/// IBSI 2 separable wavelets, undecimated (2.5): the decomposition filter banks as PyWavelets gives them, level j
/// with taps 2^(j-1) voxels apart (anchor floor(n/2) scaled alike); levels 1..j-1 apply the low-pass along every
/// axis, level j the filter each letter names (first letter along i). Rotation invariance averages the whole chain
/// over the rotations.
public struct WaveletFilter: ImageFilter {
    /// Decomposition low-pass filters (PyWavelets `dec_lo`); the high-pass is H[k] = (-1)^(k+1) L[n-1-k].
    static let lowPass: [String: [Double]] = [
        "haar": [0.7071067811865476, 0.7071067811865476],
        "db1": [0.7071067811865476, 0.7071067811865476],
        "db2": [-0.1294095225512604, 0.2241438680420134, 0.8365163037378079, 0.4829629131445342],
        "db3": [0.03522629188570953, -0.08544127388202666, -0.1350110200102546, 0.4598775021184915, 0.8068915093110925, 0.3326705529500826],
        "coif1": [-0.01565572813579199, -0.07273261951252645, 0.3848648468648578, 0.8525720202116004, 0.3378976624574818, -0.07273261951252645],
    ]

    public var wavelet: String
    /// One letter per axis of `dimensions`: L (low-pass) or H (high-pass).
    public var decomposition: String
    public var level: Int
    public var dimensions: FilterDimensions
    public var boundary: BoundaryCondition
    public var rotationInvariant: Bool
    let low: [Double], high: [Double]

    public init(wavelet: String, decomposition: String, level: Int, dimensions: FilterDimensions, boundary: BoundaryCondition,
                rotationInvariant: Bool) throws {
        guard let low = Self.lowPass[wavelet.lowercased()] else {
            throw RadiomicsError("wavelet filter: unknown wavelet '\(wavelet)' (known: \(Self.lowPass.keys.sorted().joined(separator: ", ")))")
        }
        let letters = decomposition.uppercased()
        guard letters.count == dimensions.axes.count, letters.allSatisfy({ $0 == "L" || $0 == "H" }) else {
            throw RadiomicsError("wavelet filter: decomposition '\(decomposition)' must be \(dimensions.axes.count) letters L or H")
        }
        guard (1...8).contains(level) else { throw RadiomicsError("wavelet filter: level must be 1-8, got \(level)") }
        self.wavelet = wavelet.lowercased()
        self.decomposition = letters
        self.level = level
        self.dimensions = dimensions
        self.boundary = boundary
        self.rotationInvariant = rotationInvariant
        self.low = low
        let n = low.count
        high = (0..<n).map { k in (k % 2 == 0 ? -1.0 : 1.0) * low[n - 1 - k] }
    }

    public var name: String {
        "wavelet_\(wavelet)_\(decomposition.lowercased())_l\(level)\(dimensions == .twoD ? "_2d" : "")\(rotationInvariant ? "_mean" : "")"
    }

    public func reach(spacing: SIMD3<Double>) -> SIMD3<Int> {
        // Every level's taps: sum over levels of 2^(l-1) (n-1).
        let r = (1...level).reduce(0) { $0 + (1 << ($1 - 1)) * (low.count - 1) }
        return dimensions == .twoD ? SIMD3(r, r, 0) : SIMD3(repeating: r)
    }

    public func response(_ image: FilterImage) -> [Double] {
        let axes = dimensions.axes
        let letters = Array(decomposition)
        let orientations = rotationInvariant ? GridOrientation.rotations(dimensions) : [.identity]
        return pooled(image, over: orientations, pooling: .mean) { turned in
            var kernels: [(axis: Int, kernel: Kernel1D)] = []
            for l in 1..<level {
                for axis in axes { kernels.append((axis, Kernel1D(taps: low, dilation: 1 << (l - 1)))) }
            }
            for (a, axis) in axes.enumerated() {
                kernels.append((axis, Kernel1D(taps: letters[a] == "L" ? low : high, dilation: 1 << (level - 1))))
            }
            return SeparableConvolution.separable(turned.values, size: turned.size, kernels: kernels, boundary: boundary)
        }
    }
}
