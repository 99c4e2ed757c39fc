import Foundation
import RadiomicsCore
import RadiomicsFilters
import Yams

/// A PyRadiomics parameter file (YAML with `setting:`, `imageType:`, `featureClass:` and optionally
/// `voxelSetting:`), read into settings, the enabled image types and the enabled feature classes.
///
/// Unknown keys are collected as warnings (PyRadiomics validates against its schema and refuses them; here
/// the run goes on and says which keys were not used). A class listed with no feature list (`glcm:` or
/// `glcm: []`) enables all its features. Image types keep the file's order, each with the settings PyRadiomics
/// gives it: `setting:` overridden by the type's own mapping (`LoG: {sigma: [1.0, 3.0]}`, `Original: {binWidth:
/// 10}`); preprocessing and shape use `setting:` alone, as in PyRadiomics.
public struct PyRadiomicsParameters: Sendable {
    public var settings = PyRadiomicsSettings()
    /// Enabled image types in file order (PyRadiomics' default: Original alone).
    public var imageTypes: [PyRadiomicsImageType] = [PyRadiomicsImageType(kind: .original, settings: PyRadiomicsSettings())]
    /// Enabled classes in file order, each with its feature list (nil: every non-deprecated feature).
    public var featureClasses: [(name: String, features: [String]?)] = PyRadiomicsParameters.defaultClasses
    public var warnings: [String] = []

    /// PyRadiomics' default: every class (shape2D only with force2D), alphabetical as `getFeatureClasses()`.
    public static let defaultClasses: [(name: String, features: [String]?)] =
        ["firstorder", "glcm", "gldm", "glrlm", "glszm", "ngtdm", "shape", "shape2D"].map { ($0, nil) }
    public static let knownClasses = Set(defaultClasses.map(\.name))

    public init() {}

    /// True when YAML text looks like a PyRadiomics parameter file (any of its top-level sections).
    public static func isPyRadiomicsFile(_ text: String) -> Bool {
        guard let top = (try? YAMLText.load(text, path: "")) as? [String: Any] else { return false }
        return !Set(top.keys).isDisjoint(with: ["setting", "imageType", "featureClass", "voxelSetting"])
    }

    public static func load(path: String) throws -> PyRadiomicsParameters {
        try parse(ExtractionSettings.parameterText(path: path), path: path)
    }

    public static func parse(_ text: String, path: String = "<params>") throws -> PyRadiomicsParameters {
        let root = try YAMLText.compose(text, path: path)
        let node = root?.any
        var p = PyRadiomicsParameters()
        guard let node else { return p }
        guard let top = node as? [String: Any] else {
            throw RadiomicsError(file: path, "expected a mapping with setting:, imageType: and featureClass:")
        }
        let r = YAMLReader(path: path)
        // setting: first, since every image type starts from it.
        if let value = top["setting"] {
            for (key, v) in try r.mapping(value, "setting").sorted(by: { $0.key < $1.key }) {
                if try !r.apply(key, v, to: &p.settings) { p.warnings.append("setting.\(key)") }
            }
        }
        for (section, value) in top.sorted(by: { $0.key < $1.key }) {
            switch section {
            case "setting":
                continue
            case "imageType":
                let types = try r.mapping(value, section)
                var enabled: [PyRadiomicsImageType] = []
                for name in r.fileOrder(types.keys, of: section, root: root) {
                    guard let kind = PyRadiomicsImageType.Kind(rawValue: name) else {
                        throw RadiomicsError(file: path, "imageType \(name) is unknown (PyRadiomics knows \(PyRadiomicsImageType.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    if kind == .lbp3D {
                        throw RadiomicsError(file: path, "imageType LBP3D is not supported: PyRadiomics' own needs scipy.special.sph_harm, which current SciPy removed, so there is nothing to match (LBP2D is supported)")
                    }
                    var settings = p.settings
                    let custom = types[name] ?? NSNull()
                    for (key, v) in try r.mapping(custom, "imageType.\(name)").sorted(by: { $0.key < $1.key }) {
                        if try !r.apply(key, v, to: &settings) { p.warnings.append("imageType.\(name).\(key)") }
                    }
                    if kind == .wavelet, let bank = PyWavelets.bank(settings.wavelet) {
                        // Each level reads F - 1 voxels further (F: the filters' length); past 512 voxels (some 40 cm
                        // of CT) the transform would run for hours on the whole volume and means nothing.
                        let reach = (bank.low.count - 1) * (settings.startLevel + settings.level)
                        if reach > 512 {
                            throw RadiomicsError(file: path, "imageType Wavelet: \(settings.wavelet) (\(bank.low.count) taps) over \(settings.startLevel + settings.level) levels (start_level + level) reaches \(reach) voxels; at most 512")
                        }
                    }
                    enabled.append(PyRadiomicsImageType(kind: kind, settings: settings))
                }
                if enabled.isEmpty {
                    throw RadiomicsError(file: path, "imageType: no image type is enabled (PyRadiomics knows \(PyRadiomicsImageType.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                p.imageTypes = enabled
            case "featureClass":
                let classes = try r.orderedClasses(value, root: root)
                var enabled: [(name: String, features: [String]?)] = []
                for (name, list) in classes {
                    guard knownClasses.contains(name) else {
                        throw RadiomicsError(file: path, "featureClass \(name) is unknown (known: \(defaultClasses.map(\.name).joined(separator: ", ")))")
                    }
                    enabled.append((name, list))
                }
                p.featureClasses = enabled
            case "voxelSetting":
                p.warnings.append("voxelSetting (voxel-based extraction is not supported; the section is ignored)")
            default:
                p.warnings.append(section)
            }
        }
        if top["imageType"] == nil {
            p.imageTypes = [PyRadiomicsImageType(kind: .original, settings: p.settings)]
        }
        return p
    }
}

/// PyRadiomics' keys on the reader of this project's parameter files (same errors: file, key, problem).
extension YAMLReader {
    /// An integer, also written as a whole number with a decimal point (PyRadiomics files often do).
    func wholeNumber(_ v: Any, _ key: String) throws -> Int {
        if let d = v as? Double {
            guard d.isFinite, d == d.rounded(), abs(d) <= 1e15 else { throw fail(key, "must be an integer, got \(d)") }
            return Int(d)
        }
        return try integer(v, key)
    }

    /// A whole number within `range`.
    func wholeNumber(_ v: Any, _ key: String, in range: ClosedRange<Int>) throws -> Int {
        let i = try wholeNumber(v, key)
        guard range.contains(i) else { throw fail(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(i)") }
        return i
    }

    /// Sets one `setting:` key; false when the key is not a PyRadiomics setting this version uses.
    func apply(_ key: String, _ v: Any, to s: inout PyRadiomicsSettings) throws -> Bool {
        let isNull = v is NSNull
        switch key {
        case "binWidth":
            s.binWidth = try number(v, key, in: Limits.binWidth)
        case "binCount":
            if isNull { s.binCount = nil } else {
                s.binCount = try wholeNumber(v, key, in: 1...Limits.maximumGreyLevels)
            }
        case "resampledPixelSpacing":
            if isNull { s.resampledPixelSpacing = nil } else {
                let sp = try numbers(v, key)
                guard sp.count == 3, sp.allSatisfy({ $0 == 0 || Limits.spacing.contains($0) }) else {
                    throw fail(key, "must be three spacings between \(Limits.describe(Limits.spacing)) mm (0 keeps an axis)")
                }
                s.resampledPixelSpacing = sp
            }
        case "interpolator":
            if isNull {
                s.interpolator = nil
                return true
            }
            if let name = v as? String {
                s.interpolator = name.hasPrefix("sitk") ? name : "sitk" + name
            } else if let code = v as? Int {
                // SimpleITK's enumeration: 1 nearest neighbour, 2 linear, 3 B-spline.
                let names = [1: "sitkNearestNeighbor", 2: "sitkLinear", 3: "sitkBSpline"]
                guard let name = names[code] else { throw fail(key, "interpolator \(code) is not supported (1, 2 or 3)") }
                s.interpolator = name
            } else { throw fail(key, "must be a SimpleITK interpolator name, e.g. sitkBSpline") }
            guard let name = s.interpolator, PyRadiomicsResampling.Interpolator(rawValue: name) != nil else {
                throw fail(key, "\(s.interpolator ?? "") is not supported (sitkNearestNeighbor, sitkLinear, sitkBSpline)")
            }
        case "padDistance": s.padDistance = try wholeNumber(v, key, in: 0...1000)
        case "preCrop": s.preCrop = try bool(v, key)
        case "correctMask": s.correctMask = try bool(v, key)
        case "resegmentRange":
            if isNull { s.resegmentRange = nil } else {
                let r = try numbers(v, key)
                guard (1...2).contains(r.count) else { throw fail(key, "must hold one or two values") }
                guard r.allSatisfy(Limits.intensity.contains) else {
                    throw fail(key, "values must be between \(Limits.describe(Limits.intensity))")
                }
                s.resegmentRange = r
            }
        case "resegmentMode":
            guard let m = v as? String, ["absolute", "relative", "sigma"].contains(m) else {
                throw fail(key, "must be absolute, relative or sigma")
            }
            s.resegmentMode = m
        case "resegmentShape": s.resegmentShape = try bool(v, key)
        case "label": s.label = try wholeNumber(v, key)
        case "minimumROIDimensions":
            let d = try wholeNumber(v, key)
            guard (1...3).contains(d) else { throw fail(key, "must be 1, 2 or 3") }
            s.minimumROIDimensions = d
        case "minimumROISize": s.minimumROISize = isNull ? nil : try wholeNumber(v, key, in: 1...Int(Int32.max))
        case "normalize": s.normalize = try bool(v, key)
        case "normalizeScale": s.normalizeScale = try number(v, key, in: 1e-6...1e6)
        case "removeOutliers": s.removeOutliers = isNull ? nil : try number(v, key, in: 1e-3...1e3)
        case "voxelArrayShift": s.voxelArrayShift = try number(v, key, in: -1e7...1e7)
        case "force2D": s.force2D = try bool(v, key)
        case "force2Ddimension":
            let d = try wholeNumber(v, key)
            guard (0...2).contains(d) else { throw fail(key, "must be 0, 1 or 2") }
            s.force2Ddimension = d
        case "distances":
            guard let list = v as? [Any] else { throw fail(key, "must be a list of integers") }
            let d = try list.map { try wholeNumber($0, key, in: 1...Limits.maximumDistance) }
            guard !d.isEmpty else { throw fail(key, "must list at least one distance") }
            s.distances = d
        case "symmetricalGLCM": s.symmetricalGLCM = try bool(v, key)
        case "weightingNorm":
            if isNull { s.weightingNorm = nil } else {
                guard let w = v as? String, ["manhattan", "euclidean", "infinity", "no_weighting"].contains(w) else {
                    throw fail(key, "must be manhattan, euclidean, infinity or no_weighting")
                }
                s.weightingNorm = w
            }
        case "gldm_a": s.gldmA = try number(v, key, in: 0...1e4)
        case "additionalInfo": s.additionalInfo = try bool(v, key)
        case "sigma":
            guard let list = v as? [Any] else { throw fail(key, "must be a list of sigmas in mm") }
            s.sigma = try list.map { item in
                let value = try number(item, key)
                guard value > 0, value <= 1000 else { throw fail(key, "sigmas must be more than 0 and at most 1000 mm, got \(value)") }
                // PyRadiomics names the image by Python's str() of the value as the file wrote it.
                let text = item is Int ? String(item as! Int) : value.description
                return PyRadiomicsSettings.LoGSigma(value: value, text: text)
            }
        case "wavelet":
            guard let name = v as? String, PyWavelets.bank(name) != nil else {
                throw fail(key, "must be a discrete wavelet PyWavelets knows (\(PyWavelets.names.joined(separator: ", ")))")
            }
            s.wavelet = name
        case "start_level": s.startLevel = try wholeNumber(v, key, in: 0...16)
        case "level": s.level = try wholeNumber(v, key, in: 1...16)
        case "gradientUseSpacing": s.gradientUseSpacing = try bool(v, key)
        case "lbp2DRadius":
            let radius = try number(v, key, in: 0...100)
            guard radius > 0 else { throw fail(key, "must be more than 0") }
            s.lbp2DRadius = radius
        case "lbp2DSamples": s.lbp2DSamples = try wholeNumber(v, key, in: 1...31)
        case "lbp2DMethod":
            guard let m = v as? String, PyRadiomicsPointFilters.LBPMethod(rawValue: m) != nil else {
                throw fail(key, "must be default, ror, uniform or var")
            }
            s.lbp2DMethod = m
        case "geometryTolerance", "enableCExtensions":
            return true  // accepted; geometry is checked by the mask reader, the native code is always on
        default:
            return false
        }
        return true
    }

    /// The keys of a top-level mapping in the file's order (the parsed dictionary is unordered).
    func fileOrder(_ keys: Dictionary<String, Any>.Keys, of section: String, root: Node?) -> [String] {
        let order = root?[Node(section)]?.mapping?.keys.compactMap(\.string) ?? []
        return keys.sorted { (order.firstIndex(of: $0) ?? Int.max, $0) < (order.firstIndex(of: $1) ?? Int.max, $1) }
    }

    /// featureClass entries in file order (the parsed dictionary is unordered, so the order is taken
    /// from the composed YAML node).
    func orderedClasses(_ value: Any, root: Node?) throws -> [(String, [String]?)] {
        let m = try mapping(value, "featureClass")
        var entries: [(String, [String]?)] = []
        for (name, v) in m {
            if v is NSNull { entries.append((name, nil)); continue }
            guard let list = v as? [Any] else { throw fail("featureClass.\(name)", "must be a list of feature names or empty") }
            let names = try list.map { item -> String in
                guard let s = item as? String else { throw fail("featureClass.\(name)", "feature names must be text") }
                return s
            }
            entries.append((name, names.isEmpty ? nil : names))
        }
        let order = fileOrder(m.keys, of: "featureClass", root: root)
        return entries.sorted { order.firstIndex(of: $0.0)! < order.firstIndex(of: $1.0)! }
    }
}
