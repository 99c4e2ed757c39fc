import Foundation
import RadiomicsCore

/// The measured enhancement pattern of a tumour: each quantity with its name (as written in tables) and unit.
///
/// Phases other than the arterial one are resampled onto the arterial grid (trilinear, patient coordinates)
/// over the tumour's neighbourhood only. "Smoothed" below is the phase under a Gaussian of
/// `measurement.smoothing_mm` (a denoised view, so that structure is measured rather than noise).
public struct EnhancementQuantities: Sendable {
    /// A quantity: table name, value (nil when its phase is missing or it cannot be measured), unit.
    public struct Item: Sendable {
        public var name: String
        public var value: Double?
        public var unit: String
        public var list: [Double]?
    }

    public var items: [Item] = []

    public init() {}

    public subscript(_ name: String) -> Double? { items.first { $0.name == name }?.value ?? nil }

    mutating func add(_ name: String, _ value: Double?, _ unit: String) {
        items.append(Item(name: name, value: value.flatMap { $0.isFinite ? $0 : nil }, unit: unit, list: nil))
    }

    mutating func addList(_ name: String, _ values: [Double], _ unit: String) {
        items.append(Item(name: name, value: nil, unit: unit, list: values))
    }

    /// Every quantity's name, in output order, for a case with every phase (a fixed table header).
    public static let names: [(name: String, unit: String, meaning: String)] = [
        ("tumour_voxels", "count", "voxels in the tumour mask"),
        ("tumour_volume_ml", "mL", "tumour volume"),
        ("tumour_hu_precontrast", "HU", "mean tumour HU, pre-contrast phase"),
        ("tumour_hu_arterial", "HU", "mean tumour HU, arterial phase"),
        ("tumour_hu_portal", "HU", "mean tumour HU, portal-venous phase"),
        ("liver_hu_precontrast", "HU", "mean HU of the liver reference (a shell around the tumour, vessels left out by intensity; within the liver mask when given)"),
        ("liver_hu_arterial", "HU", "the same, arterial phase"),
        ("liver_hu_portal", "HU", "the same, portal-venous phase"),
        ("liver_reference_voxels", "count", "voxels of the liver reference"),
        ("liver_noise_sd_hu", "HU", "SD of the liver reference, arterial phase (noise and liver texture)"),
        ("aorta_hu_precontrast", "HU", "mean HU of the aorta (found in the arterial phase near the tumour's slices)"),
        ("aorta_hu_arterial", "HU", "the same, arterial phase"),
        ("aorta_hu_portal", "HU", "the same, portal-venous phase"),
        ("arterial_tumour_minus_liver_hu", "HU", "arterial enhancement relative to liver: tumour HU minus liver HU"),
        ("arterial_tumour_to_liver_ratio", "ratio", "tumour HU / liver HU, arterial phase"),
        ("arterial_enhancement_hu", "HU", "tumour arterial HU minus pre-contrast HU"),
        ("arterial_relative_enhancement_pct", "%", "(arterial - pre-contrast) / |pre-contrast| x 100, tumour"),
        ("arterial_enhancement_to_liver_ratio", "ratio", "tumour enhancement over pre-contrast / liver enhancement over pre-contrast"),
        ("portal_washout_hu", "HU", "liver HU minus tumour HU in the portal-venous phase (positive: washout)"),
        ("tumour_arterial_to_portal_hu", "HU", "tumour portal HU minus arterial HU"),
        ("heterogeneity_cv", "ratio", "coefficient of variation of tumour arterial HU"),
        ("heterogeneity_iqr_hu", "HU", "interquartile range of tumour arterial HU"),
        ("heterogeneity_entropy_bits", "bits", "Shannon entropy of tumour arterial HU in 10 HU bins"),
        ("heterogeneity_sd_hu", "HU", "noise-corrected SD of smoothed arterial HU inside the tumour: sqrt(max(0, var tumour - var liver reference))"),
        ("rim_hu", "HU", "the brightest 1.5 mm layer in the outer half of the tumour (depth profile), arterial"),
        ("core_hu", "HU", "mean arterial HU of the inner half of the tumour (depth >= half the largest depth)"),
        ("rim_minus_core_hu", "HU", "rim HU minus core HU"),
        ("core_minus_liver_hu", "HU", "core HU minus liver HU, arterial"),
        ("rim_thickness_mm", "mm", "depth where the profile falls half-way from rim to core (when the rim exceeds the core by 10 HU or more)"),
        ("rim_irregularity", "ratio", "coefficient of variation of the rim thickness over 26 directions from the tumour's centre"),
        ("rim_coverage", "fraction", "fraction of the 26 directions whose rim exceeds the core by half the global rim-core difference"),
        ("rim_profile_hu", "HU", "mean arterial HU in 1.5 mm layers from the surface inwards (list)"),
        ("septum_fraction", "fraction", "fraction of the tumour's interior where the white top-hat of the smoothed arterial phase exceeds max(20 HU, 3 x the liver reference's smoothed SD)"),
        ("septum_tophat_mean_hu", "HU", "mean top-hat response over the tumour's interior"),
        ("necrotic_fraction", "fraction", "fraction of tumour voxels that do not enhance in any phase (smoothed; thresholds: the rule file's necrosis keys)"),
    ]
}

/// Measures `EnhancementQuantities` on a loaded case.
public enum EnhancementMeasurer {
    static let depthBin = 1.5

    public struct Input {
        /// Phase volumes over `box` of the reference grid (NaN where a phase has no data).
        public var phases: [CasePhase: Volume<Float>]
        public var tumour: Mask
        public var liver: Mask?
        /// The reference phase over whole slices around the tumour's centre (for the aorta); nil: not looked for.
        public var aortaSearch: AortaFinder.Search?
        public init(phases: [CasePhase: Volume<Float>], tumour: Mask, liver: Mask?, aortaSearch: AortaFinder.Search?) {
            self.phases = phases
            self.tumour = tumour
            self.liver = liver
            self.aortaSearch = aortaSearch
        }
    }

    /// Measures every quantity. `tumourPath` names the tumour mask in errors.
    public static func measure(_ input: Input, measurement m: VascularizationRules.Measurement, tumourPath: String)
        throws -> (quantities: EnhancementQuantities, warnings: [String]) {
        let r = try run(input, measurement: m, tumourPath: tumourPath)
        return (r.quantities, r.warnings)
    }

    /// Where in the tumour the typing looked: its core (the inner half by depth, `core_hu`) and the voxels whose
    /// top-hat response counts as a septum (`septum_fraction`), as masks on the tumour's grid. The review page
    /// draws them over the slices, so a reader sees what the rule saw.
    public static func maps(_ input: Input, measurement m: VascularizationRules.Measurement, tumourPath: String) throws -> TypingMaps {
        let r = try run(input, measurement: m, tumourPath: tumourPath)
        let g = input.tumour.geometry
        var core = Mask(geometry: g, repeating: 0), septa = Mask(geometry: g, repeating: 0)
        let maxDepth = r.tumourIndices.reduce(0.0) { max($0, Double(r.depth.voxels[$1])) }
        for i in r.tumourIndices where RimProfile.isCore(depth: Double(r.depth.voxels[i]), maxDepth: maxDepth) { core.voxels[i] = 1 }
        for i in r.septumVoxels { septa.voxels[i] = 1 }
        return TypingMaps(core: core, septa: septa)
    }

    /// A measurement with what the maps need.
    struct Measured {
        var quantities: EnhancementQuantities
        var warnings: [String]
        var tumourIndices: [Int]
        var depth: Volume<Float>
        var septumVoxels: [Int]
    }

    static func run(_ input: Input, measurement m: VascularizationRules.Measurement, tumourPath: String) throws -> Measured {
        var q = EnhancementQuantities()
        var warnings: [String] = []
        let tumour = input.tumour
        let g = tumour.geometry
        guard let arterial = input.phases[.arterial] ?? input.phases[.image] else {
            throw RadiomicsError("no arterial phase to measure")
        }
        let n = g.size
        let count = g.voxelCount
        let tumourIndices = (0..<count).filter { tumour.voxels[$0] != 0 }
        guard !tumourIndices.isEmpty else { throw RadiomicsError(file: tumourPath, "empty mask: the tumour has no voxel") }
        let voxelVolume = g.spacing.x * g.spacing.y * g.spacing.z
        q.add("tumour_voxels", Double(tumourIndices.count), "count")
        q.add("tumour_volume_ml", Double(tumourIndices.count) * voxelVolume / 1000, "mL")

        // Phases must cover the tumour.
        for (phase, v) in input.phases {
            let covered = tumourIndices.reduce(0) { $0 + (v.voxels[$1].isNaN ? 0 : 1) }
            let fraction = Double(covered) / Double(tumourIndices.count)
            if fraction < 0.5 {
                throw RadiomicsError("the \(phase.rawValue) phase covers only \(Int(fraction * 100))% of the tumour")
            } else if fraction < 0.99 {
                warnings.append("the \(phase.rawValue) phase covers \(Int(fraction * 100))% of the tumour; quantities use the part it covers")
            }
        }

        let sigma = SIMD3<Double>(repeating: m.smoothingMM)
        let smoothed = input.phases.mapValues { $0.gaussianSmoothed(sigma: sigma) }
        let sArterial = smoothed[.arterial] ?? smoothed[.image]!
        let depth = DistanceTransform.depth(of: tumour)
        let outside = DistanceTransform.distance(from: tumour)

        // Liver reference: the shell, within the liver mask when given, with vessels and other tissue left out by intensity.
        var shell: [Int] = []
        let phaseVolumes = Array(input.phases.values)
        for i in 0..<count where tumour.voxels[i] == 0 {
            let d = Double(outside.voxels[i])
            guard d > m.shellInnerMM, d <= m.shellOuterMM else { continue }
            if let liver = input.liver, liver.voxels[i] == 0 { continue }
            if phaseVolumes.contains(where: { $0.voxels[i].isNaN }) { continue }
            let a = sArterial.voxels[i]
            guard a > -50, a < 300 else { continue }
            shell.append(i)
        }
        // Robust mode per phase (portal first: vessels stand out most there), keep what is near it.
        for phase in [CasePhase.portal, .arterial, .image, .precontrast] {
            guard let s = smoothed[phase], shell.count >= 20 else { continue }
            let values = shell.map { Double(s.voxels[$0]) }
            let mode = Statistics.mode(values, binWidth: 2, window: 5)
            let spread = 1.4826 * SampleStatistics.median(values.map { abs($0 - mode) })
            let limit = max(2.5 * spread, 10)
            shell = shell.filter { abs(Double(s.voxels[$0]) - mode) <= limit }
        }
        guard shell.count >= 20 else {
            throw RadiomicsError(file: tumourPath, "too little liver around the tumour to compare with (\(shell.count) voxels in the \(m.shellInnerMM)-\(m.shellOuterMM) mm shell after leaving out vessels and other tissue): check the tumour mask, or give a liver mask")
        }
        q.add("liver_reference_voxels", Double(shell.count), "count")

        func mean(_ v: Volume<Float>, _ indices: [Int]) -> Double? {
            var sum = 0.0, k = 0
            for i in indices where !v.voxels[i].isNaN { sum += Double(v.voxels[i]); k += 1 }
            return k > 0 ? sum / Double(k) : nil
        }
        let phases: [CasePhase] = [.precontrast, .arterial, .portal]
        func phaseVolume(_ p: CasePhase) -> Volume<Float>? { p == .arterial ? arterial : input.phases[p] }
        var tumourHU: [CasePhase: Double] = [:], liverHU: [CasePhase: Double] = [:]
        for p in phases {
            tumourHU[p] = phaseVolume(p).flatMap { mean($0, tumourIndices) }
            liverHU[p] = phaseVolume(p).flatMap { mean($0, shell) }
        }
        for p in phases { q.add("tumour_hu_\(p.rawValue)", tumourHU[p], "HU") }
        for p in phases { q.add("liver_hu_\(p.rawValue)", liverHU[p], "HU") }
        let liverArterial = shell.map { Double(arterial.voxels[$0]) }
        q.add("liver_noise_sd_hu", SampleStatistics.standardDeviation(liverArterial), "HU")

        // Aorta.
        var aortaHU: [CasePhase: Double] = [:]
        if let search = input.aortaSearch {
            if let found = AortaFinder.find(search) {
                aortaHU = found.hu
                if let a = found.hu[.arterial], a < m.arterialAortaMinHU {
                    warnings.append("the aorta measures \(Int(a.rounded())) HU in the arterial phase (expected >= \(Int(m.arterialAortaMinHU))): the phase may not be arterial")
                }
                if let a = found.hu[.arterial], let p = found.hu[.portal], p > a {
                    warnings.append("the aorta is brighter in the portal phase (\(Int(p.rounded())) HU) than in the arterial phase (\(Int(a.rounded())) HU): are the phases swapped?")
                }
            } else {
                warnings.append("no enhanced aorta found in the arterial phase near the tumour's slices: the phase may not be arterial")
            }
        }
        for p in phases { q.add("aorta_hu_\(p.rawValue)", aortaHU[p], "HU") }

        // Enhancement relative to liver and to pre-contrast; washout.
        let ta = tumourHU[.arterial]!, la = liverHU[.arterial]!
        q.add("arterial_tumour_minus_liver_hu", ta - la, "HU")
        q.add("arterial_tumour_to_liver_ratio", abs(la) > 1 ? ta / la : nil, "ratio")
        let tp = tumourHU[.precontrast], lp = liverHU[.precontrast]
        q.add("arterial_enhancement_hu", tp.map { ta - $0 }, "HU")
        q.add("arterial_relative_enhancement_pct", tp.flatMap { abs($0) > 1 ? (ta - $0) / abs($0) * 100 : nil }, "%")
        q.add("arterial_enhancement_to_liver_ratio", tp.flatMap { t in lp.flatMap { l in abs(la - l) > 1 ? (ta - t) / (la - l) : nil } }, "ratio")
        q.add("portal_washout_hu", tumourHU[.portal].flatMap { t in liverHU[.portal].map { $0 - t } }, "HU")
        q.add("tumour_arterial_to_portal_hu", tumourHU[.portal].map { $0 - ta }, "HU")

        // Heterogeneity of arterial enhancement.
        let values = tumourIndices.map { Double(arterial.voxels[$0]) }.filter { !$0.isNaN }
        let sd = SampleStatistics.standardDeviation(values)
        q.add("heterogeneity_cv", abs(ta) > 1 ? sd / abs(ta) : nil, "ratio")
        let sorted = values.sorted()
        q.add("heterogeneity_iqr_hu", SampleStatistics.quantile(sorted: sorted, 0.75) - SampleStatistics.quantile(sorted: sorted, 0.25), "HU")
        q.add("heterogeneity_entropy_bits", Statistics.entropy(values, binWidth: 10), "bits")
        let interiorForSD = tumourIndices.filter { Double(depth.voxels[$0]) >= 2 }
        let sdIndices = interiorForSD.count >= 30 ? interiorForSD : tumourIndices
        let tumourVar = SampleStatistics.variance(sdIndices.map { Double(sArterial.voxels[$0]) })
        let liverVar = SampleStatistics.variance(shell.map { Double(sArterial.voxels[$0]) })
        q.add("heterogeneity_sd_hu", max(0, tumourVar - liverVar).squareRoot(), "HU")

        // Rim versus core, from the depth map.
        let rim = RimProfile.measure(arterial: arterial, tumour: tumourIndices, depth: depth, binWidth: depthBin)
        q.add("rim_hu", rim.rimHU, "HU")
        q.add("core_hu", rim.coreHU, "HU")
        q.add("rim_minus_core_hu", rim.rimHU - rim.coreHU, "HU")
        q.add("core_minus_liver_hu", rim.coreHU - la, "HU")
        q.add("rim_thickness_mm", rim.thickness, "mm")
        q.add("rim_irregularity", rim.irregularity, "ratio")
        q.add("rim_coverage", rim.coverage, "fraction")
        q.addList("rim_profile_hu", rim.profile, "HU")

        // Septa: thin enhancing structures inside the tumour (white top-hat of the smoothed arterial phase).
        let liverSmoothedSD = liverVar.squareRoot()
        let septa = InternalStructure.measure(smoothed: sArterial, tumour: tumour, depth: depth,
                                              radiusMM: m.tophatRadiusMM, interiorDepthMM: m.interiorDepthMM,
                                              threshold: max(20, 3 * liverSmoothedSD))
        q.add("septum_fraction", septa.fraction, "fraction")
        q.add("septum_tophat_mean_hu", septa.meanResponse, "HU")

        // Non-enhancing (necrotic) fraction, on the smoothed phases.
        var necrotic = 0, judged = 0
        for i in tumourIndices {
            let a = Double(sArterial.voxels[i])
            guard !a.isNaN else { continue }
            judged += 1
            if let pre = smoothed[.precontrast] {
                // Enhancement over pre-contrast in the brightest post-contrast phase.
                let p = Double(pre.voxels[i])
                let post = max(a, smoothed[.portal].map { Double($0.voxels[i]) }.flatMap { $0.isNaN ? nil : $0 } ?? a)
                if !p.isNaN, post - p < m.necrosisMaxEnhancementHU { necrotic += 1 }
            } else if a < m.necrosisMaxArterialHU {
                if let portal = smoothed[.portal], !(Double(portal.voxels[i]) < m.necrosisMaxPortalHU) { continue }
                necrotic += 1
            }
        }
        q.add("necrotic_fraction", judged > 0 ? Double(necrotic) / Double(judged) : nil, "fraction")
        _ = n
        return Measured(quantities: q, warnings: warnings, tumourIndices: tumourIndices, depth: depth, septumVoxels: septa.responding)
    }
}

/// The typing's regions of a tumour (`EnhancementMeasurer.maps`): masks on the tumour's grid.
public struct TypingMaps: Sendable {
    /// The inner half of the tumour by depth from its surface, where `core_hu` is measured.
    public var core: Mask
    /// Interior voxels whose white top-hat response reaches the septum threshold (`septum_fraction`).
    public var septa: Mask
}

/// The statistics typing needs beyond `SampleStatistics`: entropy of a binned sample and a robust mode.
enum Statistics {
    /// Shannon entropy (bits) of the values in bins of `binWidth`.
    static func entropy(_ x: [Double], binWidth: Double) -> Double {
        var counts: [Int: Int] = [:]
        for v in x { counts[Int((v / binWidth).rounded(.down)), default: 0] += 1 }
        let n = Double(x.count)
        return counts.values.reduce(0) { s, c in let p = Double(c) / n; return s - p * log2(p) }
    }

    /// The mode of a histogram of `binWidth` bins smoothed by a moving sum over ±`window` bins.
    static func mode(_ x: [Double], binWidth: Double, window: Int) -> Double {
        guard let lo = x.min(), let hi = x.max(), lo.isFinite, hi.isFinite else { return .nan }
        // Coarser bins when the values spread absurdly far (at most 10^5 bins).
        let width = max(binWidth, (hi - lo) / 100_000)
        let bins = Int(((hi - lo) / width).rounded(.down)) + 1
        var h = [Int](repeating: 0, count: bins)
        for v in x { h[min(bins - 1, Int((v - lo) / width))] += 1 }
        var best = 0, bestSum = -1
        for b in 0..<bins {
            var s = 0
            for o in max(0, b - window)...min(bins - 1, b + window) { s += h[o] }
            if s > bestSum { bestSum = s; best = b }
        }
        return lo + (Double(best) + 0.5) * width
    }
}
