import Foundation
import RadiomicsCore
import RadiomicsFilters
import Yams

/// The feature families, by their IBSI tag prefix.
public enum FeatureFamily: String, Sendable, CaseIterable, Comparable {
    case morph, loc, stat, ih, ivh, cm, rlm, szm, dzm, ngt, ngl

    public static func < (a: FeatureFamily, b: FeatureFamily) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Families computed from texture matrices, which depend on the spatial method (2D, 2.5D, 3D).
    public var isTexture: Bool { [.cm, .rlm, .szm, .dzm, .ngt, .ngl].contains(self) }
}

/// Extraction settings: which ROI, how the image is preprocessed and discretised, which features.
///
/// Read from a YAML parameter file (`--params FILE`); every key is documented in the README. Unknown keys
/// are collected in `unknownKeys` and reported, never silently ignored.
public struct ExtractionSettings: Sendable, Equatable {
    /// NIfTI label value or SEG segment number to use as the ROI.
    public var label: Int?
    /// RTSTRUCT ROI name.
    public var roi: String?
    public var preprocessing = PreprocessingSettings()
    /// Discretisation for the intensity histogram and the texture families.
    public var discretisation: Discretisation = .fixedBinSize(width: 25, lowerBound: nil)
    /// Discretisation for the intensity-volume histogram.
    public var ivhBinning: IVHBinning = .none(step: 1)
    /// Spatial methods for the texture families.
    public var dimensions: [TextureDimension] = [.threeD]
    public var glcmDistance = 1
    public var ngtdmDistance = 1
    public var ngldmDistance = 1
    public var ngldmCoarseness = 0
    public var families: [FeatureFamily] = FeatureFamily.allCases
    /// Convolutional filters (IBSI 2): each response map's features beside the image's.
    public var filters: [FilterSpec] = []
    /// Keys present in the file that this version does not use.
    public var unknownKeys: [String] = []

    public init() {}

    /// The text of a parameter file (either kind), or an error naming the file.
    public static func parameterText(path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RadiomicsError(file: path, "cannot read parameter file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RadiomicsError(file: path, "parameter file is not UTF-8 text")
        }
        return text
    }

    /// Reads a parameter file; errors name the file and the key.
    public static func load(path: String) throws -> ExtractionSettings {
        try parse(ExtractionSettings.parameterText(path: path), path: path)
    }

    public static func parse(_ text: String, path: String = "<params>") throws -> ExtractionSettings {
        let node: Any?
        node = try YAMLText.load(text, path: path)
        var settings = ExtractionSettings()
        guard let node else { return settings }
        guard let top = node as? [String: Any] else {
            throw RadiomicsError(file: path, "expected a mapping of sections (mask, preprocessing, discretisation, texture, features)")
        }
        var reader = YAMLReader(path: path)
        try reader.read(top, into: &settings)
        settings.unknownKeys = reader.unknown
        return settings
    }
}

/// Walks the parsed YAML, with errors that name the file and the key path.
struct YAMLReader {
    let path: String
    var unknown: [String] = []

    func fail(_ key: String, _ problem: String) -> RadiomicsError { RadiomicsError(file: path, "\(key): \(problem)") }

    func mapping(_ value: Any, _ key: String) throws -> [String: Any] {
        if value is NSNull { return [:] }
        guard let m = value as? [String: Any] else { throw fail(key, "must be a mapping of key: value") }
        return m
    }

    /// A finite number (no parameter of either kind means anything at infinity or NaN).
    func number(_ value: Any, _ key: String) throws -> Double {
        if let d = value as? Double {
            guard d.isFinite else { throw fail(key, "must be a finite number, got \(d)") }
            return d
        }
        if let i = value as? Int { return Double(i) }
        throw fail(key, "must be a number, got '\(value)'")
    }

    /// A number within `range`, the message naming the range.
    func number(_ value: Any, _ key: String, in range: ClosedRange<Double>) throws -> Double {
        let d = try number(value, key)
        guard range.contains(d) else { throw fail(key, "must be between \(Limits.describe(range)), got \(d)") }
        return d
    }

    func integer(_ value: Any, _ key: String, minimum: Int = Int.min, maximum: Int = Int.max) throws -> Int {
        guard let i = value as? Int else { throw fail(key, "must be an integer, got '\(value)'") }
        guard i >= minimum else { throw fail(key, "must be at least \(minimum), got \(i)") }
        guard i <= maximum else { throw fail(key, "must be at most \(maximum), got \(i)") }
        return i
    }

    func bool(_ value: Any, _ key: String) throws -> Bool {
        guard let b = value as? Bool else { throw fail(key, "must be true or false, got '\(value)'") }
        return b
    }

    func string(_ value: Any, _ key: String) throws -> String {
        if let s = value as? String { return s }
        if let i = value as? Int { return String(i) }
        throw fail(key, "must be text, got '\(value)'")
    }

    func numbers(_ value: Any, _ key: String) throws -> [Double] {
        guard let list = value as? [Any] else { throw fail(key, "must be a list of numbers") }
        return try list.map { try number($0, key) }
    }

    func choice<T>(_ value: Any, _ key: String, _ options: [String: T]) throws -> T {
        let s = try string(value, key)
        guard let v = options[s] else {
            throw fail(key, "'\(s)' is not one of \(options.keys.sorted().joined(separator: ", "))")
        }
        return v
    }

    mutating func read(_ top: [String: Any], into s: inout ExtractionSettings) throws {
        for (section, value) in top.sorted(by: { $0.key < $1.key }) {
            switch section {
            case "mask", "setting":
                // `setting:` is PyRadiomics' section; its ROI keys mean the same here.
                for (k, v) in try mapping(value, section).sorted(by: { $0.key < $1.key }) {
                    let key = "\(section).\(k)"
                    switch k {
                    case "label": s.label = try integer(v, key)
                    case "roi": s.roi = try string(v, key)
                    default: unknown.append(key)
                    }
                }
            case "preprocessing": try readPreprocessing(try mapping(value, section), into: &s.preprocessing)
            case "discretisation":
                for (k, v) in try mapping(value, section).sorted(by: { $0.key < $1.key }) {
                    let key = "discretisation.\(k)"
                    switch k {
                    case "texture": s.discretisation = try readDiscretisation(try mapping(v, key), key)
                    case "ivh": s.ivhBinning = try readIVH(try mapping(v, key), key)
                    default: unknown.append(key)
                    }
                }
            case "texture":
                for (k, v) in try mapping(value, section).sorted(by: { $0.key < $1.key }) {
                    let key = "texture.\(k)"
                    switch k {
                    case "dimensions":
                        guard let list = v as? [Any], !list.isEmpty else { throw fail(key, "must be a list of 2D, 2_5D, 3D") }
                        s.dimensions = try list.map {
                            try choice($0, key, ["2D": TextureDimension.twoD, "2_5D": .twoAndHalfD, "2.5D": .twoAndHalfD, "3D": .threeD])
                        }
                    case "glcmDistance": s.glcmDistance = try integer(v, key, minimum: 1, maximum: Limits.maximumDistance)
                    case "ngtdmDistance": s.ngtdmDistance = try integer(v, key, minimum: 1, maximum: Limits.maximumDistance)
                    case "ngldmDistance": s.ngldmDistance = try integer(v, key, minimum: 1, maximum: Limits.maximumDistance)
                    case "ngldmCoarseness": s.ngldmCoarseness = try integer(v, key, minimum: 0, maximum: 1000)
                    default: unknown.append(key)
                    }
                }
            case "features":
                guard let list = value as? [Any], !list.isEmpty else {
                    throw fail("features", "must be a list of families: \(FeatureFamily.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                var options: [String: FeatureFamily] = [:]
                for f in FeatureFamily.allCases { options[f.rawValue] = f }
                s.families = Array(Set(try list.map { try choice($0, "features", options) })).sorted()
            case "filters":
                if value is NSNull { s.filters = []; continue }
                guard let list = value as? [Any] else { throw fail("filters", "must be a list of filters, each a mapping with 'type'") }
                s.filters = try list.enumerated().map { i, item in try readFilter(try mapping(item, "filters[\(i)]"), "filters[\(i)]") }
            default:
                unknown.append(section)
            }
        }
    }

    /// One filter of the `filters` list; the filter's own checks (ranges, names) run here too, so a bad value is
    /// reported with its key when the file is read.
    mutating func readFilter(_ m: [String: Any], _ key: String) throws -> FilterSpec {
        var kinds: [String: FilterSpec.Kind] = [:]
        for k in FilterSpec.Kind.allCases { kinds[k.rawValue] = k }
        guard let type = m["type"] else { throw fail(key, "needs 'type': one of \(kinds.keys.sorted().joined(separator: ", "))") }
        var f = FilterSpec(kind: try choice(type, "\(key).type", kinds))
        var dimensions: [String: FilterDimensions] = [:], boundaries: [String: BoundaryCondition] = [:]
        for d in [FilterDimensions.twoD, .threeD] { dimensions[d.rawValue] = d }
        for b in BoundaryCondition.allCases { boundaries[b.rawValue] = b }
        for (k, v) in m.sorted(by: { $0.key < $1.key }) {
            let path = "\(key).\(k)"
            switch k {
            case "type": break
            case "dimensions": f.dimensions = try choice(v, path, dimensions)
            case "boundary": f.boundary = try choice(v, path, boundaries)
            case "support": f.support = try integer(v, path, minimum: 1, maximum: 501)
            case "sigma": f.sigma = try number(v, path)
            case "truncation": f.truncation = try number(v, path)
            case "kernel", "decomposition": f.kernel = try string(v, path)
            case "rotationInvariant": f.rotationInvariant = try bool(v, path)
            case "energyDelta": f.energyDelta = try integer(v, path, minimum: 0, maximum: 50)
            case "lambda": f.lambda = try number(v, path)
            case "gamma": f.gamma = try number(v, path)
            case "theta": f.theta = try number(v, path)
            case "thetaStep": f.thetaStep = try number(v, path)
            case "wavelet": f.wavelet = try string(v, path)
            case "level": f.level = try integer(v, path, minimum: 1, maximum: 8)
            case "padding": f.padding = try integer(v, path, minimum: 0, maximum: 256)
            case "order": f.order = try numbers(v, path).map { d -> Int in
                guard let i = Int(exactly: d) else { throw fail(path, "must be whole numbers, got \(d)") }
                return i
            }
            case "of": f.base = [try readFilter(try mapping(v, path), path)]
            default: unknown.append(path)
            }
        }
        do { _ = try f.make(key: key) } catch let e as RadiomicsError { throw RadiomicsError(file: self.path, e.problem) }
        return f
    }

    mutating func readPreprocessing(_ m: [String: Any], into p: inout PreprocessingSettings) throws {
        for (k, v) in m.sorted(by: { $0.key < $1.key }) {
            let key = "preprocessing.\(k)"
            switch k {
            case "roundIntensities": p.roundInitialIntensities = try bool(v, key)
            case "interpolation":
                if v is NSNull { p.interpolation = nil; continue }
                var i = InterpolationSettings(spacing: [1, 1, 1], inPlaneOnly: false, imageInterpolator: .linear,
                                              maskInterpolator: .linear, partialVolumeThreshold: 0.5, roundIntensities: true)
                var sawSpacing = false
                let interpolators: [String: Interpolator] = ["nearest": .nearest, "linear": .linear, "cubicSpline": .cubicSpline]
                for (ik, iv) in try mapping(v, key).sorted(by: { $0.key < $1.key }) {
                    let ikey = "\(key).\(ik)"
                    switch ik {
                    case "spacing":
                        let list = try numbers(iv, ikey)
                        guard list.count == 2 || list.count == 3, list.allSatisfy(Limits.spacing.contains) else {
                            throw fail(ikey, "must be 2 (in-plane) or 3 spacings between \(Limits.describe(Limits.spacing)) mm")
                        }
                        i.spacing = SIMD3(list[0], list[1], list.count == 3 ? list[2] : 0)
                        if list.count == 2 { i.inPlaneOnly = true }
                        sawSpacing = true
                    case "inPlaneOnly": i.inPlaneOnly = try bool(iv, ikey)
                    case "image": i.imageInterpolator = try choice(iv, ikey, interpolators)
                    case "mask": i.maskInterpolator = try choice(iv, ikey, interpolators)
                    case "partialVolumeThreshold":
                        i.partialVolumeThreshold = try number(iv, ikey)
                        guard (0...1).contains(i.partialVolumeThreshold) else { throw fail(ikey, "must be between 0 and 1") }
                    case "roundIntensities": i.roundIntensities = try bool(iv, ikey)
                    default: unknown.append(ikey)
                    }
                }
                guard sawSpacing else { throw fail(key, "needs spacing: [x, y, z] (or [x, y] in-plane)") }
                p.interpolation = i
            case "resegmentation":
                for (rk, rv) in try mapping(v, key).sorted(by: { $0.key < $1.key }) {
                    let rkey = "\(key).\(rk)"
                    switch rk {
                    case "range":
                        guard let list = rv as? [Any], list.count == 2 else {
                            throw fail(rkey, "must be [lower, upper]; use null for an open end")
                        }
                        let lower = list[0] is NSNull ? nil : try number(list[0], rkey, in: Limits.intensity)
                        let upper = list[1] is NSNull ? nil : try number(list[1], rkey, in: Limits.intensity)
                        if let lower, let upper, lower > upper { throw fail(rkey, "lower bound above upper bound") }
                        p.resegmentationRange = ResegmentationRange(lower: lower, upper: upper)
                    case "outlierSigma":
                        if rv is NSNull { p.outlierSigma = nil; continue }
                        let sigma = try number(rv, rkey, in: 1e-3...1e3)
                        p.outlierSigma = sigma
                    default: unknown.append(rkey)
                    }
                }
            default: unknown.append(key)
            }
        }
    }

    func readDiscretisation(_ m: [String: Any], _ key: String) throws -> Discretisation {
        let method = try string(m["method"] ?? "", "\(key).method")
        switch method {
        case "fixedBinSize":
            guard let w = m["width"] else { throw fail(key, "fixedBinSize needs width") }
            let width = try number(w, "\(key).width", in: Limits.binWidth)
            let lower = try m["lowerBound"].flatMap { $0 is NSNull ? nil : try number($0, "\(key).lowerBound") }
            return .fixedBinSize(width: width, lowerBound: lower)
        case "fixedBinNumber":
            guard let n = m["bins"] else { throw fail(key, "fixedBinNumber needs bins") }
            return .fixedBinNumber(try integer(n, "\(key).bins", minimum: 1, maximum: Limits.maximumGreyLevels))
        case "none": return .none
        default: throw fail("\(key).method", "'\(method)' is not one of fixedBinSize, fixedBinNumber, none")
        }
    }

    func readIVH(_ m: [String: Any], _ key: String) throws -> IVHBinning {
        let method = try string(m["method"] ?? "", "\(key).method")
        switch method {
        case "none": return .none(step: try m["step"].map { try number($0, "\(key).step", in: Limits.binWidth) } ?? 1)
        case "fixedBinSize":
            guard let w = m["width"] else { throw fail(key, "fixedBinSize needs width") }
            let lower = try m["lowerBound"].flatMap { $0 is NSNull ? nil : try number($0, "\(key).lowerBound") }
            return .fixedBinSize(width: try number(w, "\(key).width", in: Limits.binWidth), lowerBound: lower)
        case "fixedBinNumber":
            guard let n = m["bins"] else { throw fail(key, "fixedBinNumber needs bins") }
            return .fixedBinNumber(try integer(n, "\(key).bins", minimum: 1, maximum: Limits.maximumGreyLevels))
        default: throw fail("\(key).method", "'\(method)' is not one of none, fixedBinSize, fixedBinNumber")
        }
    }
}
