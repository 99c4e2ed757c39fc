import Foundation
import RadiomicsCore
import RadiomicsFeatures

/// The rule file: how the enhancement quantities are measured and the thresholds that turn them into a
/// vascularization type. Versioned YAML (`params/vascularization-rules.yaml` is the shipped one; `radiomics vasc
/// fit` writes re-tuned copies). Every key is documented in the shipped file.
public struct VascularizationRules: Sendable, Equatable {
    /// Rule-file format version (this code reads version 1).
    public var version: Int = 1
    /// What these thresholds are (the shipped defaults, or a site's re-tuned set and its cross-validated accuracy).
    public var name: String = "default"
    public var description: String = "the shipped rules: thresholds set on synthetic cases (radiomics vasc synthetic --seeds 1-50)"
    public var measurement = Measurement()
    public var thresholds = Thresholds()
    public var scales = Scales()

    /// How the quantities are measured.
    public struct Measurement: Sendable, Equatable {
        /// Liver reference: a shell around the tumour from `shell_inner_mm` to `shell_outer_mm` from its surface.
        public var shellInnerMM = 5.0
        public var shellOuterMM = 20.0
        /// Gaussian smoothing (SD, mm) of the view used for heterogeneity, septa and necrosis.
        public var smoothingMM = 1.2
        /// Radius (mm) of the disk of the white top-hat that finds thin enhancing structures (septa).
        public var tophatRadiusMM = 3.0
        /// Interior for the septum measure: voxels at least this deep (mm) inside the tumour.
        public var interiorDepthMM = 2.5
        /// Non-enhancing (necrotic) voxel: enhancement over pre-contrast in the brightest post-contrast phase below
        /// this (HU) when pre-contrast is present ...
        public var necrosisMaxEnhancementHU = 20.0
        /// ... else arterial HU below this, and (with a portal phase) portal HU below `necrosis_max_portal_hu`.
        public var necrosisMaxArterialHU = 45.0
        public var necrosisMaxPortalHU = 60.0
        /// Aortic HU in the arterial phase below which the phase is reported as possibly not arterial.
        public var arterialAortaMinHU = 180.0

        public init() {}
    }

    /// The decision thresholds, applied in this order: ring (type 4), heterogeneous (type 3), hyper-enhancing (type 2), else type 1.
    public struct Thresholds: Sendable, Equatable {
        /// Type 4 when the rim is brighter than the core by at least this (HU) ...
        public var ringRimMinusCoreHU = 45.0
        /// ... around at least this fraction of the tumour's surface ...
        public var ringMinCoverage = 0.6
        /// ... and the core is at least this far (HU) below the liver (0: not brighter than the liver).
        public var ringCoreBelowLiverHU = 0.0
        /// Type 3 when the noise-corrected SD of arterial enhancement reaches this (HU) ...
        public var heterogeneitySDHU = 12.0
        /// ... or thin enhancing structures cover at least this fraction of the tumour's interior.
        public var septumFraction = 0.03
        /// Type 2 when the tumour is at least this much brighter than the liver in the arterial phase (HU), else type 1.
        public var hyperenhancementHU = 15.0

        public init() {}
    }

    /// How far from its threshold a quantity must be for a decision to be clear: confidence is the smallest,
    /// over the decisions taken, of 1 / (1 + exp(-2 |value - threshold| / scale)), 0.5 at a threshold.
    public struct Scales: Sendable, Equatable {
        public var ringRimMinusCoreHU = 15.0
        public var ringMinCoverage = 0.15
        public var ringCoreBelowLiverHU = 10.0
        public var heterogeneitySDHU = 4.0
        public var septumFraction = 0.015
        public var hyperenhancementHU = 6.0

        public init() {}
    }

    public init() {}

    /// The header of the shipped rule file.
    public static let fileComment = """
    Vascularization typing rules (radiomics vasc classify --rules FILE). Version 1.
    The quantities are measured on the arterial phase (other phases resampled onto its grid) in and around the
    tumour; the types are those of the p-TACE score (shared/docs/DOMAIN.md): 1 homogeneous without arterial
    hyper-enhancement, 2 homogeneous with it, 3 heterogeneous with septum-like internal structure, 4 irregular
    ring-like enhancement. Thresholds set on synthetic cases (radiomics vasc synthetic --seeds 1-50); re-tune them
    on your own labelled cases with 'radiomics vasc fit'.
    """

    /// Reads a rule file; unknown keys and wrong types are errors naming the file and the key.
    public static func load(path: String) throws -> VascularizationRules {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RadiomicsError(file: path, "cannot read rule file")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw RadiomicsError(file: path, "rule file is not UTF-8 text") }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String = "<rules>") throws -> VascularizationRules {
        let node: Any?
        node = try YAMLText.load(text, path: path)
        guard let top = node as? [String: Any] else { throw RadiomicsError(file: path, "a rule file is a mapping of sections") }
        var rules = VascularizationRules()
        func number(_ v: Any, _ key: String) throws -> Double {
            if let d = v as? Double, d.isFinite { return d }
            if let i = v as? Int { return Double(i) }
            throw RadiomicsError(file: path, "\(key): must be a finite number, got '\(v)'")
        }
        func section<S>(_ name: String, _ entries: [Entry<S>], into value: inout S) throws {
            guard let item = top[name] else { return }
            guard let m = item as? [String: Any] else { throw RadiomicsError(file: path, "\(name): must be a mapping of key: number") }
            for (k, v) in m {
                guard let e = entries.first(where: { $0.key == k }) else {
                    throw RadiomicsError(file: path, "\(name).\(k): unknown key (known: \(entries.map(\.key).joined(separator: ", ")))")
                }
                value[keyPath: e.path] = try number(v, "\(name).\(k)")
            }
        }
        for key in top.keys where !["version", "name", "description", "measurement", "thresholds", "scales"].contains(key) {
            throw RadiomicsError(file: path, "\(key): unknown section (known: version, name, description, measurement, thresholds, scales)")
        }
        if let v = top["version"] {
            guard let i = v as? Int, i == 1 else { throw RadiomicsError(file: path, "version: this tool reads rule files of version 1, got '\(v)'") }
        }
        if let v = top["name"] { rules.name = "\(v)" }
        if let v = top["description"] { rules.description = "\(v)" }
        try section("measurement", Self.measurementEntries, into: &rules.measurement)
        try section("thresholds", Self.thresholdEntries, into: &rules.thresholds)
        try section("scales", Self.scaleEntries, into: &rules.scales)
        try rules.validate(path: path)
        return rules
    }

    /// A documented key of a section.
    struct Entry<Section>: @unchecked Sendable {
        var key: String
        var path: WritableKeyPath<Section, Double>
        var doc: String
    }

    static let measurementEntries: [Entry<Measurement>] = [
        Entry(key: "shell_inner_mm", path: \.shellInnerMM, doc: "liver reference: a shell around the tumour from this distance (mm) from its surface ..."),
        Entry(key: "shell_outer_mm", path: \.shellOuterMM, doc: "... to this one, vessels and other tissue left out by intensity"),
        Entry(key: "smoothing_mm", path: \.smoothingMM, doc: "Gaussian SD (mm) of the denoised view used for heterogeneity, septa and necrosis"),
        Entry(key: "tophat_radius_mm", path: \.tophatRadiusMM, doc: "disk radius (mm) of the white top-hat that finds thin enhancing structures (septa)"),
        Entry(key: "interior_depth_mm", path: \.interiorDepthMM, doc: "septa are looked for at least this deep (mm) inside the tumour"),
        Entry(key: "necrosis_max_enhancement_hu", path: \.necrosisMaxEnhancementHU, doc: "non-enhancing voxel: enhancement over pre-contrast (brightest post-contrast phase) below this (HU), when pre-contrast is given ..."),
        Entry(key: "necrosis_max_arterial_hu", path: \.necrosisMaxArterialHU, doc: "... else arterial HU below this ..."),
        Entry(key: "necrosis_max_portal_hu", path: \.necrosisMaxPortalHU, doc: "... and, with a portal phase, portal HU below this"),
        Entry(key: "arterial_aorta_min_hu", path: \.arterialAortaMinHU, doc: "warn that the arterial phase may not be arterial when the aorta is below this (HU)"),
    ]
    static let thresholdEntries: [Entry<Thresholds>] = [
        Entry(key: "ring_rim_minus_core_hu", path: \.ringRimMinusCoreHU, doc: "type 4 when the rim is brighter than the core by at least this (HU) ..."),
        Entry(key: "ring_min_coverage", path: \.ringMinCoverage, doc: "... around at least this fraction of the tumour's surface ..."),
        Entry(key: "ring_core_below_liver_hu", path: \.ringCoreBelowLiverHU, doc: "... and the core is at least this far below the liver (HU)"),
        Entry(key: "heterogeneity_sd_hu", path: \.heterogeneitySDHU, doc: "else type 3 when the noise-corrected SD of arterial enhancement reaches this (HU) ..."),
        Entry(key: "septum_fraction", path: \.septumFraction, doc: "... or thin enhancing structures cover at least this fraction of the tumour's interior"),
        Entry(key: "hyperenhancement_hu", path: \.hyperenhancementHU, doc: "else type 2 when the tumour is at least this much brighter than the liver in the arterial phase (HU), else type 1"),
    ]
    static let scaleEntries: [Entry<Scales>] = [
        Entry(key: "ring_rim_minus_core_hu", path: \.ringRimMinusCoreHU, doc: "HU"),
        Entry(key: "ring_min_coverage", path: \.ringMinCoverage, doc: "fraction"),
        Entry(key: "ring_core_below_liver_hu", path: \.ringCoreBelowLiverHU, doc: "HU"),
        Entry(key: "heterogeneity_sd_hu", path: \.heterogeneitySDHU, doc: "HU"),
        Entry(key: "septum_fraction", path: \.septumFraction, doc: "fraction"),
        Entry(key: "hyperenhancement_hu", path: \.hyperenhancementHU, doc: "HU"),
    ]

    /// Range checks, so a hand-edited file cannot ask for nonsense (a negative shell, a zero scale).
    func validate(path: String) throws {
        func check(_ ok: Bool, _ key: String, _ range: String) throws {
            if !ok { throw RadiomicsError(file: path, "\(key): must be \(range)") }
        }
        let m = measurement
        try check(m.shellInnerMM >= 0 && m.shellInnerMM < m.shellOuterMM && m.shellOuterMM <= 100, "measurement.shell_inner_mm, shell_outer_mm", "0 <= inner < outer <= 100")
        try check(m.smoothingMM >= 0 && m.smoothingMM <= 10, "measurement.smoothing_mm", "between 0 and 10")
        try check(m.tophatRadiusMM > 0 && m.tophatRadiusMM <= 20, "measurement.tophat_radius_mm", "in (0, 20]")
        try check(m.interiorDepthMM >= 0 && m.interiorDepthMM <= 50, "measurement.interior_depth_mm", "between 0 and 50")
        try check(thresholds.ringMinCoverage >= 0 && thresholds.ringMinCoverage <= 1, "thresholds.ring_min_coverage", "between 0 and 1")
        try check(thresholds.septumFraction >= 0 && thresholds.septumFraction <= 1, "thresholds.septum_fraction", "between 0 and 1")
        for e in Self.scaleEntries { try check(scales[keyPath: e.path] > 0, "scales.\(e.key)", "positive") }
        for e in Self.measurementEntries where e.key.hasSuffix("_hu") {
            try check(abs(measurement[keyPath: e.path]) <= 4000, "measurement.\(e.key)", "within +-4000 HU")
        }
    }

    /// The rule file as YAML, each key with its meaning.
    public func yaml(comment: String) -> String {
        var lines = comment.split(separator: "\n", omittingEmptySubsequences: false).map { "# \($0)" }
        func quoted(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        func number(_ v: Double) -> String { TextOutput.number(v) ?? "\(v)" }
        lines += ["version: \(version)", "name: \(quoted(name))", "description: \(quoted(description))", "", "measurement:"]
        for e in Self.measurementEntries { lines += ["  # \(e.doc)", "  \(e.key): \(number(measurement[keyPath: e.path]))"] }
        lines += ["", "# Decisions, in order: type 4 (ring), type 3 (heterogeneous / septa), type 2 (hyper-enhancing), else type 1.", "thresholds:"]
        for e in Self.thresholdEntries { lines += ["  # \(e.doc)", "  \(e.key): \(number(thresholds[keyPath: e.path]))"] }
        lines += ["", "# Confidence: the smallest, over the decisions taken, of 1 / (1 + exp(-2 |value - threshold| / scale)).", "scales:"]
        for e in Self.scaleEntries { lines += ["  \(e.key): \(number(scales[keyPath: e.path]))  # \(e.doc)"] }
        return lines.joined(separator: "\n") + "\n"
    }
}
