import Foundation
import RadiomicsCore
@testable import RadiomicsFeatures
import RadiomicsIO
import Testing
import TestSupport

/// IBSI CT phantom (PAT1, GTV-1), configuration A without a preprocessing pipeline: no interpolation, so the
/// ROI is the NIfTI mask itself; intensities rounded to integers; re-segmentation [-500, 400] HU restricts the
/// intensity mask only. Morphology and local intensity do not depend on the 2D/3D texture setting.
enum CTPhantomConfigA {
    static let available = SharedData.exists("data/ibsi/ct_radiomics_phantom/nifti/image/phantom.nii.gz")

    static func load() throws -> ROIVolume {
        let image = try Nifti.read(path: SharedData.path("data/ibsi/ct_radiomics_phantom/nifti/image/phantom.nii.gz"))
        let (mask, _) = try MaskReader.read(path: SharedData.path("data/ibsi/ct_radiomics_phantom/nifti/mask/mask.nii.gz"),
                                            onto: image.geometry)
        let g = image.geometry
        let box = mask.boundingBox!
        // Margin: the local-intensity sphere radius in voxels.
        let margin = SIMD3<Int>((0..<3).map { Int((LocalIntensity.sphereRadius / g.spacing[$0]).rounded(.up)) })
        let roiBox = box.expanded(by: margin, within: g.size)
        let values = image.cropped(to: roiBox).voxels.map { Double(Float($0)).rounded() }
        let morph = mask.cropped(to: roiBox).voxels.map { $0 != 0 ? UInt8(1) : 0 }
        let intensity = zip(morph, values).map { m, x in m != 0 && x >= -500 && x <= 400 ? UInt8(1) : 0 }
        return ROIVolume(geometry: g.subGrid(roiBox), intensities: values, intensityMask: intensity,
                         morphologicalMask: morph)
    }
}

@Suite(.enabled(if: CTPhantomConfigA.available, Comment(rawValue: SharedData.missingReason)))
struct MorphologyCTPhantomTests {
    @Test func configurationA() throws {
        let roi = try CTPhantomConfigA.load()
        let t0 = Date()
        let morph = Morphology.compute(roi)
        let t1 = Date()
        let loc = LocalIntensity.compute(roi)
        let t2 = Date()
        print(String(format: "CT-A morphology %.3f s, local intensity %.3f s, %d / %d voxels",
                     t1.timeIntervalSince(t0), t2.timeIntervalSince(t1),
                     roi.morphologicalMask.reduce(0) { $0 + Int($1) }, roi.intensityMask.reduce(0) { $0 + Int($1) }))
        let reference = try ibsiReference("ibsi_1_chest_config_a.csv")
        for f in morph + loc {
            let r = reference[f.tag]
            let verdict = r.map { $0.accepts(f.value) ? "pass" : "FAIL" } ?? "no reference"
            print("CT-A \(f.tag) = \(f.value)  ref \(r.map { "\($0.value) ± \($0.tolerance)" } ?? "-")  \(verdict)")
        }
        // Feature tags only (the morph_mask_* rows are preprocessing diagnostics).
        expectWithinTolerance(morph + loc, prefixes: ["morph_", "loc_"],
                              reference: reference.filter { !$0.key.hasPrefix("morph_mask_") })
    }
}
