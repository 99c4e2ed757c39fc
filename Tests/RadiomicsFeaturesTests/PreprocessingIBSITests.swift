import Foundation
import RadiomicsCore
@testable import RadiomicsFeatures
import RadiomicsIO
import Testing
import TestSupport

/// The IBSI CT phantom (NIfTI) under the IBSI chapter 1 configurations A-E.
enum CTPhantom {
    struct Loaded: @unchecked Sendable {
        var image: ScalarImage
        var mask: Mask
    }

    /// Read once for all tests.
    static let loaded: Result<Loaded, Error> = Result {
        let image = try Nifti.read(path: SharedData.path("data/ibsi/ct_radiomics_phantom/nifti/image/phantom.nii.gz"))
        let (mask, _) = try MaskReader.read(path: SharedData.path("data/ibsi/ct_radiomics_phantom/nifti/mask/mask.nii.gz"),
                                            onto: image.geometry)
        return Loaded(image: image, mask: mask)
    }

    /// Preprocessing of IBSI configuration `config` ("a" ... "e"), see docs/IBSI_REFERENCE.md.
    static func settings(_ config: String) -> PreprocessingSettings {
        var s = PreprocessingSettings(roundInitialIntensities: true)
        let iso = InterpolationSettings(spacing: SIMD3(2, 2, 2), inPlaneOnly: false, imageInterpolator: .linear,
                                        maskInterpolator: .linear, partialVolumeThreshold: 0.5, roundIntensities: true)
        switch config {
        case "a":
            s.resegmentationRange = ResegmentationRange(lower: -500, upper: 400)
        case "b":
            s.interpolation = InterpolationSettings(spacing: SIMD3(2, 2, 0), inPlaneOnly: true, imageInterpolator: .linear,
                                                    maskInterpolator: .linear, partialVolumeThreshold: 0.5,
                                                    roundIntensities: true)
            s.resegmentationRange = ResegmentationRange(lower: -500, upper: 400)
        case "c":
            s.interpolation = iso
            s.resegmentationRange = ResegmentationRange(lower: -1000, upper: 400)
        case "d":
            s.interpolation = iso
            s.outlierSigma = 3
        default:
            var e = iso
            e.imageInterpolator = .cubicSpline
            s.interpolation = e
            s.resegmentationRange = ResegmentationRange(lower: -1000, upper: 400)
            s.outlierSigma = 3
        }
        return s
    }

    static let diagnosticSuffixes = ["_init_img", "_interp_img", "_init_roi", "_interp_roi", "_reseg_roi"]
}

@Suite(.enabled(if: SharedData.ibsiAvailable, Comment(rawValue: SharedData.missingReason)))
struct PreprocessingIBSITests {

    @Test(arguments: ["a", "b", "c", "d", "e"])
    func diagnosticsMatchIBSI(config: String) throws {
        let phantom = try CTPhantom.loaded.get()
        let reference = try ibsiReference("ibsi_1_chest_config_\(config).csv")
        let (roi, diagnostics) = try Preprocessing.run(image: phantom.image, mask: phantom.mask,
                                                       settings: CTPhantom.settings(config))
        let computed = Dictionary(diagnostics.map { ($0.tag, $0.value) }, uniquingKeysWith: { a, _ in a })
        let wanted = reference.filter { tag, _ in CTPhantom.diagnosticSuffixes.contains { tag.hasSuffix($0) } }
        #expect(wanted.count == 60, "config \(config): \(wanted.count) diagnostic tags in the reference")
        var passed = 0
        for (tag, ref) in wanted.sorted(by: { $0.key < $1.key }) {
            guard let value = computed[tag] else {
                Issue.record("config \(config) \(tag): not computed")
                continue
            }
            let ok = ref.accepts(value)
            if ok { passed += 1 }
            #expect(ok, "config \(config) \(tag): \(value), reference \(ref.value) ± \(ref.tolerance)")
        }
        print("IBSI config \(config.uppercased()): \(passed)/\(wanted.count) diagnostic tags within tolerance")

        // The ROI's geometry: voxel size of the (interpolated) grid, box inside it.
        if let interpolation = CTPhantom.settings(config).interpolation {
            #expect(abs(roi.spacing.x - interpolation.spacing.x) < 1e-12)
            #expect(abs(roi.spacing.y - interpolation.spacing.y) < 1e-12)
        }
        #expect(roi.intensityMask.count == roi.geometry.voxelCount)
    }

    /// stat_mean, stat_min and stat_max depend only on preprocessing: check them on the intensity mask.
    @Test(arguments: ["a", "b", "c", "d", "e"])
    func intensityStatisticsMatchIBSI(config: String) throws {
        let phantom = try CTPhantom.loaded.get()
        let reference = try ibsiReference("ibsi_1_chest_config_\(config).csv")
        let (roi, _) = try Preprocessing.run(image: phantom.image, mask: phantom.mask, settings: CTPhantom.settings(config))
        let values = roi.intensityValues
        let mean = values.reduce(0, +) / Double(values.count)
        let checks: [(String, Double)] = [("stat_mean", mean), ("stat_min", values.min()!), ("stat_max", values.max()!)]
        for (tag, value) in checks {
            let ref = try #require(reference[tag])
            #expect(ref.accepts(value), "config \(config) \(tag): \(value), reference \(ref.value) ± \(ref.tolerance)")
        }
        print("IBSI config \(config.uppercased()): stat_mean \(mean) min \(values.min()!) max \(values.max()!), \(values.count) voxels")
    }

    /// Ng for the IBSI discretisations: FBS 25 over [-500, 400] (A) and [-1000, 400] (C) give 36 and 56
    /// levels, FBN 32 gives 32.
    @Test func greyLevelCounts() throws {
        let phantom = try CTPhantom.loaded.get()
        let expected: [String: (Discretisation, Int)] = [
            "a": (.fixedBinSize(width: 25, lowerBound: -500), 36),
            "b": (.fixedBinNumber(32), 32),
            "c": (.fixedBinSize(width: 25, lowerBound: -1000), 56),
            "d": (.fixedBinNumber(32), 32),
            "e": (.fixedBinNumber(32), 32),
        ]
        for (config, (method, ng)) in expected.sorted(by: { $0.key < $1.key }) {
            let settings = CTPhantom.settings(config)
            let (roi, _) = try Preprocessing.run(image: phantom.image, mask: phantom.mask, settings: settings)
            let d = method.apply(to: roi)
            #expect(d.levelCount == ng, "config \(config): Ng \(d.levelCount)")
            #expect(d.voxelCount == roi.intensityValues.count)
            #expect(d.levels.allSatisfy { $0 >= 0 && Int($0) <= ng })
            // The FBS lower bound comes from the re-segmentation range when it is not given.
            if case .fixedBinSize(let w, _) = method {
                let resolved = Discretisation.fixedBinSize(width: w, lowerBound: nil).resolvingLowerBound(with: settings)
                #expect(resolved == method)
            }
        }
    }

    /// The ROI box reaches `localIntensityMargin` beyond the morphological mask and only the box is built.
    @Test func roiBoxHasMargin() throws {
        let phantom = try CTPhantom.loaded.get()
        let (roi, diagnostics) = try Preprocessing.run(image: phantom.image, mask: phantom.mask,
                                                       settings: CTPhantom.settings("c"))
        let d = Dictionary(diagnostics.map { ($0.tag, $0.value) }, uniquingKeysWith: { a, _ in a })
        let bb = SIMD3(Int(d["morph_mask_bb_dim_x_interp_roi"]!), Int(d["morph_mask_bb_dim_y_interp_roi"]!),
                       Int(d["morph_mask_bb_dim_z_interp_roi"]!))
        // 10 mm at 2 mm = 5 voxels on each side (the GTV is far enough from the image border).
        #expect(roi.size == bb &+ 10)
        #expect(roi.morphologicalMask.reduce(0) { $0 + Int($1) } == Int(d["morph_mask_vox_count_interp_roi"]!))
        // The box's origin lies on the interpolated grid.
        let g0 = phantom.image.geometry
        let p = roi.geometry.origin
        let idx = g0.continuousIndex(physical: p)
        let offsetX = 0.5 * Double(g0.size.x - 1) - 0.5 * 99 * (2 / g0.spacing.x)
        let m = (idx.x - offsetX) / (2 / g0.spacing.x)
        #expect(abs(m - m.rounded()) < 1e-9)
    }
}
