import Foundation
import RadiomicsCore

/// A filter as a parameter file describes it (the `filters` list; every key is documented in the README), checked
/// and turned into an `ImageFilter` by `make()`. Scale parameters are in mm, angles in degrees.
public struct FilterSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case mean, log, laws, gabor, wavelet, simoncelli, riesz
    }

    public var kind: Kind
    public var dimensions: FilterDimensions = .threeD
    public var boundary: BoundaryCondition = .mirror
    /// mean: support M (voxels, odd).
    public var support: Int?
    /// log, gabor: sigma (mm).
    public var sigma: Double?
    /// log: truncation (multiples of sigma; default 4).
    public var truncation: Double?
    /// laws: kernel name (E5L5S5); wavelet: decomposition letters (LHL).
    public var kernel: String?
    /// laws: max pooling over rotations; wavelet: mean pooling over rotations.
    public var rotationInvariant = false
    /// laws: energy map half-width (voxels).
    public var energyDelta: Int?
    /// gabor: wavelength (mm), aspect ratio, one orientation or the step of the whole turn (degrees).
    public var lambda: Double?
    public var gamma: Double?
    public var theta: Double?
    public var thetaStep: Double?
    /// wavelet: name (haar, db2, db3, coif1); wavelet, simoncelli: level.
    public var wavelet: String?
    public var level: Int?
    /// simoncelli, riesz: voxels per side the image is extended by before the Fourier transform.
    public var padding: Int?
    /// riesz: the order per axis, and the filter transformed.
    public var order: [Int]?
    public var base: [FilterSpec] = []

    public init(kind: Kind) { self.kind = kind }

    /// The filter, or an error naming what is missing or wrong (`key` prefixes the message).
    public func make(key: String = "filters") throws -> any ImageFilter {
        func need<T>(_ value: T?, _ name: String) throws -> T {
            guard let value else { throw RadiomicsError("\(key): a \(kind.rawValue) filter needs '\(name)'") }
            return value
        }
        do {
            switch kind {
            case .mean:
                return try MeanFilter(support: need(support, "support"), dimensions: dimensions, boundary: boundary)
            case .log:
                return try LoGFilter(sigmaMM: need(sigma, "sigma"), truncation: truncation ?? 4, dimensions: dimensions, boundary: boundary)
            case .laws:
                return try LawsFilter(kernel: need(kernel, "kernel"), dimensions: dimensions, boundary: boundary,
                                      rotationInvariant: rotationInvariant, energyDelta: energyDelta)
            case .gabor:
                return try GaborFilter(sigmaMM: need(sigma, "sigma"), lambdaMM: need(lambda, "lambda"), gamma: need(gamma, "gamma"),
                                       theta: theta.map { $0 * .pi / 180 }, thetaStep: thetaStep.map { $0 * .pi / 180 },
                                       dimensions: dimensions, boundary: boundary)
            case .wavelet:
                return try WaveletFilter(wavelet: need(wavelet, "wavelet"), decomposition: need(kernel, "decomposition"),
                                         level: level ?? 1, dimensions: dimensions, boundary: boundary, rotationInvariant: rotationInvariant)
            case .simoncelli:
                return try SimoncelliFilter(level: level ?? 1, dimensions: dimensions, boundary: boundary, padding: padding ?? 32)
            case .riesz:
                guard base.count == 1 else { throw RadiomicsError("\(key): a riesz filter needs 'of', the filter it transforms") }
                guard base[0].kind != .riesz else { throw RadiomicsError("\(key).of: a Riesz transform of a Riesz transform is not a filter IBSI defines") }
                var inner = base[0]
                inner.dimensions = dimensions
                inner.boundary = boundary
                return try RieszFilter(base: inner.make(key: key + ".of"), order: need(order, "order"), dimensions: dimensions,
                                       padding: padding ?? 32)
            }
        } catch let e as RadiomicsError where e.file == nil && !e.problem.hasPrefix(key) {
            throw RadiomicsError("\(key): \(e.problem)")
        }
    }
}
