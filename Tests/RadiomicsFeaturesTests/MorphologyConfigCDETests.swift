import Foundation
import RadiomicsCore
import RadiomicsFeatures
import RadiomicsIO
import Testing
import TestSupport

/// IBSI CT phantom configurations C, D and E (3D, 2 mm isotropic interpolation) through `Preprocessing`:
/// every morph_* and loc_* reference must be met.
@Suite(.enabled(if: CTPhantomConfigA.available, Comment(rawValue: SharedData.missingReason)))
struct MorphologyConfigCDETests {
    static func settings(_ config: String) -> PreprocessingSettings {
        switch config {
        case "c":
            return PreprocessingSettings(interpolation: InterpolationSettings(spacing: [2, 2, 2]),
                                         roundInitialIntensities: true,
                                         resegmentationRange: ResegmentationRange(lower: -1000, upper: 400))
        case "d":
            return PreprocessingSettings(interpolation: InterpolationSettings(spacing: [2, 2, 2]),
                                         roundInitialIntensities: true, outlierSigma: 3)
        default:
            return PreprocessingSettings(interpolation: InterpolationSettings(spacing: [2, 2, 2],
                                                                              imageInterpolator: .cubicSpline),
                                         roundInitialIntensities: true,
                                         resegmentationRange: ResegmentationRange(lower: -1000, upper: 400),
                                         outlierSigma: 3)
        }
    }

    @Test(arguments: ["c", "d", "e"])
    func configuration(_ config: String) throws {
        let image = try Nifti.read(path: SharedData.path("data/ibsi/ct_radiomics_phantom/nifti/image/phantom.nii.gz"))
        let (mask, _) = try MaskReader.read(path: SharedData.path("data/ibsi/ct_radiomics_phantom/nifti/mask/mask.nii.gz"),
                                            onto: image.geometry)
        var s = Self.settings(config)
        s.interpolatedImageDiagnostics = false
        let (roi, _) = try Preprocessing.run(image: image, mask: mask, settings: s)
        let features = Morphology.compute(roi) + LocalIntensity.compute(roi)
        let reference = try ibsiReference("ibsi_1_chest_config_\(config).csv")
        for f in features {
            let r = reference[f.tag]
            let verdict = r.map { $0.accepts(f.value) ? "pass" : "FAIL" } ?? "no reference"
            print("CT-\(config.uppercased()) \(f.tag) = \(f.value)  ref \(r.map { "\($0.value) ± \($0.tolerance)" } ?? "-")  \(verdict)")
        }
        expectWithinTolerance(features, prefixes: ["morph_", "loc_"],
                              reference: reference.filter { !$0.key.hasPrefix("morph_mask_") })
    }
}
