import Foundation
import RadiomicsCore
import RadiomicsFilters

/// One of PyRadiomics' image types (imageoperations.get<Kind>Image) with the settings it runs with, and the
/// derived images it yields, each named as PyRadiomics names it (`original`, `wavelet-LLH`,
/// `log-sigma-3-0-mm-3D`, `square`, `squareroot`, `logarithm`, `exponential`, `gradient`, `lbp-2D`).
///
/// Responses are computed on the ROI's box only (plus what each filter reads around it; see
/// `RadiomicsFilters/PyRadiomics`) of the image PyRadiomics filters: the preprocessed image before it is cropped
/// to the ROI, i.e. the whole image, or with resampling the resampled box with its padDistance.
public struct PyRadiomicsImageType: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case original = "Original", wavelet = "Wavelet", log = "LoG", square = "Square", squareRoot = "SquareRoot"
        case logarithm = "Logarithm", exponential = "Exponential", gradient = "Gradient", lbp2D = "LBP2D"
        case lbp3D = "LBP3D"
    }

    public var kind: Kind
    /// `setting:` overridden by the type's own mapping in the parameter file.
    public var settings: PyRadiomicsSettings

    public init(kind: Kind, settings: PyRadiomicsSettings) {
        self.kind = kind
        self.settings = settings
    }

    /// A derived image's values on the box, or a reason PyRadiomics skips it (logged as a warning there).
    public enum Derived: Sendable {
        case image(name: String, values: [Double])
        case skipped(String)
    }

    /// The part of the image the derived images on `box` read (`grid`: the image PyRadiomics filters). LoG reads
    /// its regions itself (one per sigma, as Float where that is exact): `windowRegion` leaves them out.
    public func region(for box: BoundingBox, grid: ImageGeometry) -> BoundingBox {
        let s = settings, size = grid.size
        switch kind {
        case .original, .square, .squareRoot, .logarithm, .exponential, .lbp3D:
            return box
        case .wavelet:
            guard let bank = PyWavelets.bank(s.wavelet) else { return box }
            return PyRadiomicsWavelet.region(for: box, size: size, bank: bank, startLevel: s.startLevel, levels: s.level, axes: waveletAxes)
        case .log:
            return s.sigma.reduce(box) { r, sigma in
                r.union(LaplacianRecursiveGaussian.region(for: box, size: size, sigma: sigma.value, spacing: grid.spacing))
            }
        case .gradient:
            return PyRadiomicsPointFilters.gradientRegion(for: box, size: size)
        case .lbp2D:
            return PyRadiomicsPointFilters.lbpRegion(for: box, size: size, radius: s.lbp2DRadius, axis: 2 - s.force2Ddimension)
        }
    }

    /// The part of the image the derived images on `box` read from the window `derived` is given: `region`, but
    /// for LoG, which reads its own regions from the source, only the box.
    public func windowRegion(for box: BoundingBox, grid: ImageGeometry) -> BoundingBox {
        kind == .log ? box : region(for: box, grid: grid)
    }

    /// Does this type scale by the image's largest absolute value?
    public var needsLargestMagnitude: Bool { [.square, .squareRoot, .logarithm, .exponential].contains(kind) }

    /// PyRadiomics' wavelet axes in this project's numbering: all three, less force2Ddimension with force2D.
    var waveletAxes: [Int] {
        var axes = [0, 1, 2]
        if settings.force2D { axes.removeAll { $0 == 2 - settings.force2Ddimension } }
        return axes
    }

    /// The derived images on `box` of the image PyRadiomics filters, held by `image` at least over
    /// `windowRegion(for: box ...)` and by `source` whole, stored as `pixelType`, in PyRadiomics' order. `largest`
    /// is that image's largest absolute value, which Square, SquareRoot, Logarithm and Exponential need
    /// (`needsLargestMagnitude`).
    public func derived(from image: ImageWindow, source: PyRadiomicsSource, pixelType: PyRadiomicsPixelType, box: BoundingBox,
                        original: [Double], largest: Double?) throws -> [Derived] {
        let s = settings
        let size = image.size
        switch kind {
        case .original:
            return [.image(name: "original", values: original)]
        case .wavelet:
            guard let bank = PyWavelets.bank(s.wavelet) else { throw RadiomicsError("wavelet '\(s.wavelet)' is not a PyWavelets discrete wavelet") }
            let bands = PyRadiomicsWavelet.responses(image, box: box, bank: bank, startLevel: s.startLevel, levels: s.level, axes: waveletAxes)
            // pywt keeps float32 data in float32; anything else is transformed in float64.
            return bands.map { .image(name: $0.name, values: pixelType == .float32 ? $0.values.map { Double(Float($0)) } : $0.values) }
        case .log:
            if size.min() < 4 {
                return [.skipped("LoG: image too small to apply the LoG filter, size \(size) (PyRadiomics needs 4 voxels per axis)")]
            }
            let spacing = image.grid.spacing
            return s.sigma.map { sigma in
                let name = "log-sigma-\(sigma.text.replacingOccurrences(of: ".", with: "-"))-mm-3D"
                let needed = (sigma.value / spacing).rounded(.up) + 1
                guard (0..<3).allSatisfy({ Double(size[$0]) >= needed[$0] }) else {
                    return .skipped("LoG: sigma \(sigma.text) / spacing \(spacing) + 1 exceeds the image size \(size); \(name) is not computed")
                }
                let region = LaplacianRecursiveGaussian.region(for: box, size: size, sigma: sigma.value, spacing: spacing)
                let values = source.withStored(region) {
                    LaplacianRecursiveGaussian.response($0, region: region, spacing: spacing, box: box, sigma: sigma.value)
                } ?? LaplacianRecursiveGaussian.response(source.window(region).values, region: region, spacing: spacing, box: box, sigma: sigma.value)
                return .image(name: name, values: values)
            }
        case .square, .squareRoot, .logarithm, .exponential:
            guard let m = largest else { preconditionFailure("\(kind) needs the image's largest absolute value") }
            let values = image.values(in: box)
            switch kind {
            case .square: return [.image(name: "square", values: PyRadiomicsPointFilters.square(values, largest: m))]
            case .squareRoot: return [.image(name: "squareroot", values: PyRadiomicsPointFilters.squareRoot(values, largest: m))]
            case .logarithm: return [.image(name: "logarithm", values: PyRadiomicsPointFilters.logarithm(values, largest: m))]
            default: return [.image(name: "exponential", values: PyRadiomicsPointFilters.exponential(values, largest: m))]
            }
        case .gradient:
            return [.image(name: "gradient", values: PyRadiomicsPointFilters.gradientMagnitude(image, box: box, useSpacing: s.gradientUseSpacing))]
        case .lbp2D:
            guard let method = PyRadiomicsPointFilters.LBPMethod(rawValue: s.lbp2DMethod) else {
                throw RadiomicsError("lbp2DMethod '\(s.lbp2DMethod)' is not one of default, ror, uniform, var")
            }
            let values = PyRadiomicsPointFilters.localBinaryPattern2D(
                image, box: box, radius: s.lbp2DRadius, samples: s.lbp2DSamples, method: method, axis: 2 - s.force2Ddimension)
            // PyRadiomics writes the pattern back into the image's own array: an int16 CT keeps integers, and numpy
            // casts var's NaN (a flat neighbourhood) to 0 there.
            return [.image(name: "lbp-2D", values: values.map { pixelType == .int16 && !$0.isFinite ? 0 : pixelType.cast($0) })]
        case .lbp3D:
            throw RadiomicsError("imageType LBP3D is not supported (PyRadiomics' own needs scipy.special.sph_harm, which current SciPy removed)")
        }
    }
}
