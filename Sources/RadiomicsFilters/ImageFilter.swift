import Foundation
import RadiomicsCore

/// An image as the filters take it: intensities (Double, i fastest) on a grid of `size` with `spacing` in mm.
public struct FilterImage: Sendable {
    public var values: [Double]
    public var size: SIMD3<Int>
    public var spacing: SIMD3<Double>

    public init(values: [Double], size: SIMD3<Int>, spacing: SIMD3<Double>) {
        precondition(values.count == size.x * size.y * size.z, "values do not fill the grid")
        self.values = values
        self.size = size
        self.spacing = spacing
    }

    public init<S: VoxelScalar>(_ volume: Volume<S>) {
        self.init(values: volume.voxels.map(\.doubleValue), size: volume.geometry.size, spacing: volume.geometry.spacing)
    }

    /// The same grid with other values.
    public func with(_ values: [Double]) -> FilterImage { FilterImage(values: values, size: size, spacing: spacing) }

    /// This image seen in another orientation.
    func oriented(_ o: GridOrientation) -> FilterImage {
        FilterImage(values: o.apply(values, size: size), size: o.size(size), spacing: o.spacing(spacing))
    }
}

/// A convolutional filter (IBSI 2): takes an image and gives its response map on the same grid. The image is
/// extended beyond its edges by the filter's boundary condition; `reach` says how far (in voxels, per axis) the
/// response at a voxel depends on others, so a caller can filter a region's box grown by it instead of the whole
/// volume when the boundary is not the image's edge.
public protocol ImageFilter: Sendable {
    /// How the filter is named in feature keys (`log_s3`, `laws_e5l5s5_max_e7`, ...).
    var name: String { get }
    var boundary: BoundaryCondition { get }
    func reach(spacing: SIMD3<Double>) -> SIMD3<Int>
    func response(_ image: FilterImage) -> [Double]
}

/// How responses over orientations are pooled (IBSI 2 rotation invariance).
public enum OrientationPooling: String, Sendable, Codable {
    case max, mean
}

extension ImageFilter {
    /// The reach of a filter whose response depends on the whole image: any box is grown to the image's edges.
    public static var wholeImage: SIMD3<Int> { SIMD3(repeating: 1 << 40) }

    /// Refuses a filter that would reach further than 2000 voxels at this spacing (a spacing or scale far from
    /// CT's: the kernel alone would not fit), naming the filter and the spacing.
    public func checkReach(spacing: SIMD3<Double>) throws {
        let r = reach(spacing: spacing)
        for axis in 0..<3 where r[axis] > 2000 && r[axis] < Self.wholeImage[axis] {
            throw RadiomicsError("filter \(name) would reach \(r[axis]) voxels along axis \(axis) at \(spacing[axis]) mm spacing (at most 2000)")
        }
    }

    /// `body` run in every orientation of `orientations` (the image turned, filtered, turned back) and pooled.
    func pooled(_ image: FilterImage, over orientations: [GridOrientation], pooling: OrientationPooling,
                _ body: (FilterImage) -> [Double]) -> [Double] {
        var out: [Double]?
        for o in orientations {
            let turned = image.oriented(o)
            let r = o.undo(body(turned), orientedSize: turned.size)
            guard var acc = out else { out = r; continue }
            switch pooling {
            case .max: for i in 0..<acc.count where r[i] > acc[i] { acc[i] = r[i] }
            case .mean: for i in 0..<acc.count { acc[i] += r[i] }
            }
            out = acc
        }
        var result = out ?? image.values
        if pooling == .mean { let n = Double(orientations.count); for i in 0..<result.count { result[i] /= n } }
        return result
    }
}

/// IBSI 2 mean filter (2.1): every weight 1/M^d over an M-voxel support per axis (M odd).
public struct MeanFilter: ImageFilter {
    public var support: Int
    public var dimensions: FilterDimensions
    public var boundary: BoundaryCondition

    public init(support: Int, dimensions: FilterDimensions, boundary: BoundaryCondition) throws {
        guard support >= 1, support % 2 == 1, support <= 501 else { throw RadiomicsError("mean filter: support must be an odd number of voxels 1-501, got \(support)") }
        self.support = support
        self.dimensions = dimensions
        self.boundary = boundary
    }

    public var name: String { "mean_m\(support)\(dimensions == .twoD ? "_2d" : "")" }

    public func reach(spacing: SIMD3<Double>) -> SIMD3<Int> {
        let r = support / 2
        return dimensions == .twoD ? SIMD3(r, r, 0) : SIMD3(repeating: r)
    }

    public func response(_ image: FilterImage) -> [Double] {
        let kernel = Kernel1D(taps: Array(repeating: 1 / Double(support), count: support))
        return SeparableConvolution.separable(image.values, size: image.size, kernels: dimensions.axes.map { ($0, kernel) }, boundary: boundary)
    }
}

/// IBSI 2 Laplacian of Gaussian (2.2): the continuous LoG sampled at voxel offsets, in voxel units s = sigma /
/// spacing per axis, truncated at R = floor(t s + 0.5) voxels, not renormalised:
/// h(x) = sum_a (x_a^2 / s_a^4 - 1 / s_a^2) prod_b g_b(x_b), g(x) = exp(-x^2 / (2 s^2)) / (s sqrt(2 pi)), which for
/// isotropic s is -(1/s^2) (1/(s sqrt(2 pi)))^d (d - r^2/s^2) exp(-r^2/(2 s^2)). Applied as d separable terms.
public struct LoGFilter: ImageFilter {
    public var sigmaMM: Double
    public var truncation: Double
    public var dimensions: FilterDimensions
    public var boundary: BoundaryCondition

    public init(sigmaMM: Double, truncation: Double = 4, dimensions: FilterDimensions, boundary: BoundaryCondition) throws {
        guard sigmaMM.isFinite, sigmaMM > 0, sigmaMM <= 100 else { throw RadiomicsError("LoG filter: sigma must be more than 0 and at most 100 mm, got \(sigmaMM)") }
        guard truncation.isFinite, truncation >= 1, truncation <= 10 else { throw RadiomicsError("LoG filter: truncation must be 1-10 sigma, got \(truncation)") }
        self.sigmaMM = sigmaMM
        self.truncation = truncation
        self.dimensions = dimensions
        self.boundary = boundary
    }

    public var name: String { "log_s\(FilterName.number(sigmaMM))\(dimensions == .twoD ? "_2d" : "")" }

    func radius(_ spacing: Double) -> Int { Int(min(1e6, (truncation * sigmaMM / spacing + 0.5).rounded(.down))) }

    public func reach(spacing: SIMD3<Double>) -> SIMD3<Int> {
        SIMD3(radius(spacing.x), radius(spacing.y), dimensions == .twoD ? 0 : radius(spacing.z))
    }

    public func response(_ image: FilterImage) -> [Double] {
        func kernels(_ axis: Int) -> (gauss: Kernel1D, second: Kernel1D) {
            let s = sigmaMM / image.spacing[axis], r = radius(image.spacing[axis])
            let g = (-r...r).map { x -> Double in exp(-Double(x * x) / (2 * s * s)) / (s * (2 * Double.pi).squareRoot()) }
            let d2 = (-r...r).enumerated().map { i, x in (Double(x * x) / (s * s * s * s) - 1 / (s * s)) * g[i] }
            return (Kernel1D(taps: g), Kernel1D(taps: d2))
        }
        let axes = dimensions.axes
        let k = axes.map(kernels)
        var out = [Double](repeating: 0, count: image.values.count)
        for (a, axis) in axes.enumerated() {
            let term = axes.enumerated().map { b, other in (other, b == a ? k[b].second : k[b].gauss) }
            let r = SeparableConvolution.separable(image.values, size: image.size, kernels: term, boundary: boundary)
            _ = axis
            for i in 0..<out.count { out[i] += r[i] }
        }
        return out
    }
}

/// How numbers appear in filter names: as short as they print (`3`, `1.5`, `22.5`).
enum FilterName {
    static func number(_ x: Double) -> String { String(format: "%g", x) }
}
