import Foundation
import RadiomicsCore
import RadiomicsPipeline

/// A vascularization type with how sure the rules are and why.
public struct VascularizationCall: Sendable, Equatable {
    /// 1-4 (../shared/docs/DOMAIN.md).
    public var type: Int
    /// 0.5 (a quantity on its threshold) to 1 (every decision clear), see `VascularizationRules.Scales`.
    public var confidence: Double
    /// The decisions taken, with the quantities and thresholds that decided them.
    public var rule: String
}

extension VascularizationRules {
    /// Applies the rules in order: ring (type 4), heterogeneous (type 3), hyper-enhancing (type 2), else type 1.
    /// A quantity that could not be measured counts as not meeting its condition.
    public func classify(_ q: EnhancementQuantities) -> VascularizationCall {
        let t = thresholds, s = scales
        func margin(_ name: String, _ threshold: Double, _ scale: Double, sign: Double = 1) -> (z: Double, text: String) {
            guard let v = q[name] else { return (-1, "\(name) not measured") }
            let z = sign * (v - threshold) / scale
            let op = z >= 0 ? (sign > 0 ? ">=" : "<=") : (sign > 0 ? "<" : ">")
            return (z, "\(name) \(String(format: "%.3g", v)) \(op) \(String(format: "%.3g", threshold + 0))")
        }
        func confidence(_ z: Double) -> Double { 1 / (1 + exp(-2 * abs(z))) }
        var decisions: [(z: Double, text: String)] = []

        // Type 4: a ring (every condition met).
        let ring = [margin("rim_minus_core_hu", t.ringRimMinusCoreHU, s.ringRimMinusCoreHU),
                    margin("rim_coverage", t.ringMinCoverage, s.ringMinCoverage),
                    margin("core_minus_liver_hu", -t.ringCoreBelowLiverHU, s.ringCoreBelowLiverHU, sign: -1)]
        let ringZ = ring.map(\.z).min()!
        if ringZ >= 0 {
            return VascularizationCall(type: 4, confidence: confidence(ringZ),
                                       rule: "type 4 (ring): " + ring.map(\.text).joined(separator: ", "))
        }
        let failing = ring.min { $0.z < $1.z }!
        decisions.append((ringZ, "not a ring: \(failing.text)"))

        // Type 3: heterogeneous or septate (either condition).
        let heterogeneous = [margin("heterogeneity_sd_hu", t.heterogeneitySDHU, s.heterogeneitySDHU),
                             margin("septum_fraction", t.septumFraction, s.septumFraction)]
        let heteroZ = heterogeneous.map(\.z).max()!
        if heteroZ >= 0 {
            let met = heterogeneous.max { $0.z < $1.z }!
            let c = min(confidence(ringZ), confidence(heteroZ))
            return VascularizationCall(type: 3, confidence: c,
                                       rule: decisions.map(\.text).joined(separator: "; ") + "; type 3 (heterogeneous): \(met.text)")
        }
        decisions.append((heteroZ, "homogeneous: " + heterogeneous.map(\.text).joined(separator: ", ")))

        // Type 2 / 1: arterial enhancement above liver.
        let hyper = margin("arterial_tumour_minus_liver_hu", t.hyperenhancementHU, s.hyperenhancementHU)
        let type = hyper.z >= 0 ? 2 : 1
        decisions.append((hyper.z, "type \(type) (\(type == 2 ? "arterial hyper-enhancement" : "no arterial hyper-enhancement")): \(hyper.text)"))
        let c = decisions.map { confidence($0.z) }.min()!
        return VascularizationCall(type: type, confidence: c, rule: decisions.map(\.text).joined(separator: "; "))
    }
}

/// A case measured and typed.
public struct VascularizationResult: Sendable {
    public var caseID: String
    public var call: VascularizationCall?
    public var quantities: EnhancementQuantities
    /// The phases measured.
    public var phases: [CasePhase]
    public var warnings: [String]
    /// Why the case could not be typed (then `call` is nil).
    public var error: String?

    public init(caseID: String, call: VascularizationCall?, quantities: EnhancementQuantities, phases: [CasePhase],
                warnings: [String], error: String?) {
        self.caseID = caseID
        self.call = call
        self.quantities = quantities
        self.phases = phases
        self.warnings = warnings
        self.error = error
    }
}

/// Typing from the CT phases: load the case (the tumour's neighbourhood only), measure, apply the rules.
public enum VascularizationTyping {
    /// Measures and types one case; errors (unreadable files, no overlap, empty masks) are thrown.
    public static func classify(_ input: CaseInput, rules: VascularizationRules = VascularizationRules()) throws -> VascularizationResult {
        let (quantities, phases, warnings) = try measure(input, rules: rules)
        return VascularizationResult(caseID: input.identifier, call: rules.classify(quantities), quantities: quantities,
                                     phases: phases, warnings: warnings, error: nil)
    }

    /// Measures and types a case already loaded.
    public static func classify(_ loaded: LoadedCase, rules: VascularizationRules = VascularizationRules()) throws -> VascularizationResult {
        let (quantities, phases, warnings) = try measure(loaded, rules: rules)
        return VascularizationResult(caseID: loaded.caseID, call: rules.classify(quantities), quantities: quantities,
                                     phases: phases, warnings: warnings, error: nil)
    }

    /// As `classify`, but a failing case is a result with its error, so a list of cases goes on.
    public static func classifyReportingErrors(_ input: CaseInput, rules: VascularizationRules) -> VascularizationResult {
        do { return try classify(input, rules: rules) } catch {
            return VascularizationResult(caseID: input.identifier, call: nil, quantities: EnhancementQuantities(),
                                         phases: [], warnings: [], error: "\(error)")
        }
    }

    public static func measure(_ input: CaseInput, rules: VascularizationRules)
        throws -> (quantities: EnhancementQuantities, phases: [CasePhase], warnings: [String]) {
        if input.images[.image] != nil && input.images.count == 1 {
            // A single image is taken as the arterial phase.
            var arterial = input
            arterial.images = [.arterial: input.images[.image]!]
            return try measure(arterial, rules: rules)
        }
        let loaded = try CaseLoader.load(input, extent: .tumourSlices(marginMM: reach(rules)))
        return try measure(loaded, rules: rules)
    }

    /// How far around the tumour the measurement looks (mm): the liver shell and the top-hat's reach.
    static func reach(_ rules: VascularizationRules) -> Double {
        rules.measurement.shellOuterMM + rules.measurement.tophatRadiusMM + 2
    }

    /// Measures a loaded case (from files, or in memory).
    public static func measure(_ loaded: LoadedCase, rules: VascularizationRules)
        throws -> (quantities: EnhancementQuantities, phases: [CasePhase], warnings: [String]) {
        let m = rules.measurement
        let reach = reach(rules)
        let grid = loaded.grid
        guard let tumourBox = loaded.tumour.boundingBox else {
            throw RadiomicsError(file: loaded.input.masks[.tumour]?.path, "empty mask: the tumour has no voxel")
        }
        let grow = SIMD3<Int>((SIMD3<Double>(repeating: reach) / grid.spacing).rounded(.up))
        let box = tumourBox.expanded(by: grow, within: grid.size)
        var volumes: [CasePhase: Volume<Float>] = [:]
        for phase in loaded.phases.keys { volumes[phase] = loaded.image(phase, in: box) }
        let tumour = loaded.tumour.cropped(to: box)
        let liver = loaded.masks[.liver]?.cropped(to: box)
        // The aorta: whole slices around the tumour's centre.
        let kc = (tumourBox.lower.z + tumourBox.upper.z) / 2
        let slicesBox = BoundingBox(lower: SIMD3(0, 0, max(0, kc - 2)), upper: SIMD3(grid.size.x - 1, grid.size.y - 1, min(grid.size.z - 1, kc + 2)))
        let search = AortaFinder.Search(slices: loaded.image(loaded.referencePhase, in: slicesBox)!, box: slicesBox,
                                        phases: loaded.phases.keys.sorted(), sample: { loaded.image($0, in: $1) })
        let input = loaded.input
        let tumourPath = input.masks[.tumour]!.path
        var (quantities, warnings) = try EnhancementMeasurer.measure(
            EnhancementMeasurer.Input(phases: volumes, tumour: tumour, liver: liver, aortaSearch: search),
            measurement: m, tumourPath: tumourPath)
        warnings = loaded.warnings + warnings.map { "\(loaded.caseID): \($0)" }
        return (quantities, loaded.phases.keys.sorted(), warnings)
    }
}
