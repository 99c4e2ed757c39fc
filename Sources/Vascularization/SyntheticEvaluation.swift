import Foundation
import RadiomicsCore
import RadiomicsPipeline
import RadiomicsSynthetic

/// Typing measured on generated cases with known truth (`SyntheticMultiphase`): what `radiomics vasc synthetic`
/// prints and the tests check.
public enum SyntheticEvaluation {
    /// How the cases of a cohort are drawn and imaged.
    public struct Cohort: Sendable {
        public var types: [Int] = [1, 2, 3, 4]
        public var seeds: [UInt64] = Array(1...10)
        public var noise: ClosedRange<Double> = 8...25
        public var diameter: ClosedRange<Double> = 15...90
        /// Slice thickness (mm) and in-plane pixel size (mm), drawn per case.
        public var sliceThickness: ClosedRange<Double> = 1.25...5
        public var pixel: ClosedRange<Double> = 0.7...1.0
        /// The phases imaged (the arterial one always).
        public var phases: [CasePhase] = [.precontrast, .arterial, .portal]
        /// When set, the other phases get this slice thickness and a field of view shifted by `shift` mm.
        public var otherPhaseThickness: Double?
        public var shift = SIMD3<Double>(0, 0, 0)
        public init() {}
    }

    public struct Row: Sendable {
        public var truth: Int
        public var seed: UInt64
        public var noiseSD: Double
        public var diameter: Double
        public var sliceThickness: Double
        public var result: VascularizationResult
    }

    /// The grid of each phase for a case.
    public static func grids(_ p: SyntheticMultiphase.Parameters, cohort c: Cohort) -> [CasePhase: ImageGeometry] {
        var r = SeededRandom(seed: p.seed &* 31 &+ UInt64(p.type) &* 7 &+ 99)
        func u(_ range: ClosedRange<Double>) -> Double { range.lowerBound + (range.upperBound - range.lowerBound) * r.uniform() }
        let pixel = u(c.pixel), thickness = u(c.sliceThickness)
        let arterial = SyntheticMultiphase.grid(for: p, spacing: SIMD3(pixel, pixel, thickness))
        var grids: [CasePhase: ImageGeometry] = [:]
        for phase in c.phases {
            if phase != .arterial, let t = c.otherPhaseThickness {
                grids[phase] = SyntheticMultiphase.grid(for: p, spacing: SIMD3(pixel, pixel, t), margin: 30, shift: c.shift)
            } else {
                grids[phase] = arterial
            }
        }
        grids[.arterial] = arterial
        return grids
    }

    /// A generated case as the loader would give it (masks on the arterial grid).
    public static func loadedCase(_ p: SyntheticMultiphase.Parameters, grids: [CasePhase: ImageGeometry]) -> LoadedCase {
        let c = SyntheticMultiphase.makeCase(p, grids: grids, maskGrid: grids[.arterial]!)
        return LoadedCase(caseID: "type\(p.type)-seed\(p.seed)", images: c.images.mapValues { ScalarImage.int16($0) },
                          masks: [.tumour: c.tumour])
    }

    /// Generates, measures and types every case of the cohort (types x seeds).
    public static func run(_ cohort: Cohort, rules: VascularizationRules = VascularizationRules()) -> [Row] {
        var rows: [Row] = []
        for seed in cohort.seeds {
            for type in cohort.types {
                let p = SyntheticMultiphase.parameters(type: type, seed: seed, noise: cohort.noise, diameter: cohort.diameter)
                let grids = grids(p, cohort: cohort)
                let loaded = loadedCase(p, grids: grids)
                let result: VascularizationResult
                do { result = try VascularizationTyping.classify(loaded, rules: rules) } catch {
                    result = VascularizationResult(caseID: loaded.caseID, call: nil, quantities: EnhancementQuantities(),
                                                   phases: [], warnings: [], error: "\(error)")
                }
                rows.append(Row(truth: type, seed: seed, noiseSD: p.noiseSD.arterial, diameter: p.tumourDiameter,
                                sliceThickness: grids[.arterial]!.spacing.z, result: result))
            }
        }
        return rows
    }

    /// Agreement of the calls with the truth. A case that failed has no call and is left out of the matrix:
    /// check `result.error` (the tests require none).
    public static func agreement(_ rows: [Row]) -> TypeAgreement {
        TypeAgreement(pairs: rows.compactMap { r in r.result.call.map { (r.truth, $0.type) } })
    }
}
