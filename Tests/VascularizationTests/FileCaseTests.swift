import Foundation
import RadiomicsCore
import RadiomicsIO
import RadiomicsPipeline
import RadiomicsSynthetic
import Testing
import TestSupport
import Vascularization

/// Multiphase cases read from files: DICOM series per phase with SEG masks, NIfTI phases on other grids, and the
/// bad inputs a user meets (a phase elsewhere, an empty mask, a tumour outside the liver, another scan's frame).
@Suite struct FileCaseTests {
    /// A type-4 case (rim around a necrotic core) on a small grid.
    static let parameters = SyntheticMultiphase.parameters(type: 4, seed: 77, noise: 12...12, diameter: 40...40)
    static let grid = SyntheticMultiphase.grid(for: parameters, spacing: SIMD3(1.5, 1.5, 2.5))

    static func generated(grids: [CasePhase: ImageGeometry]? = nil) -> SyntheticMultiphase.Case {
        let g = grids ?? Dictionary(uniqueKeysWithValues: CasePhase.contrastPhases.map { ($0, grid) })
        return SyntheticMultiphase.makeCase(parameters, grids: g, maskGrid: grid)
    }

    @Test func dicomSeriesWithSEGMasksAgreeWithTheCaseInMemory() throws {
        let dir = try TemporaryDirectory("vasc-dicom")
        let c = Self.generated()
        try SyntheticMultiphase.writeDICOM(c, caseID: "HCC-T4", to: dir.path)
        let input = CaseInput(caseID: "HCC-T4",
                              images: [.arterial: ImageInput(path: dir.file("arterial")), .portal: ImageInput(path: dir.file("portal")),
                                       .precontrast: ImageInput(path: dir.file("precontrast"))],
                              masks: [.tumour: MaskInput(path: dir.file("tumour-seg.dcm")), .liver: MaskInput(path: dir.file("liver-seg.dcm"))])
        let fromFiles = try VascularizationTyping.classify(input)
        let inMemory = try VascularizationTyping.classify(LoadedCase(
            caseID: "HCC-T4", images: c.images.mapValues { .int16($0) }, masks: [.tumour: c.tumour, .liver: c.liver]))
        #expect(fromFiles.call?.type == 4, "\(fromFiles.call?.rule ?? "")")
        #expect(fromFiles.call == inMemory.call)
        #expect(fromFiles.phases == [.precontrast, .arterial, .portal])
        for name in ["tumour_hu_arterial", "liver_hu_portal", "rim_minus_core_hu", "aorta_hu_arterial"] {
            #expect(fromFiles.quantities[name] == inMemory.quantities[name], "\(name)")
        }
        #expect(fromFiles.warnings.isEmpty, "\(fromFiles.warnings)")
        // Sensible numbers: the aorta is enhanced most in the arterial phase, liver most in the portal phase.
        let q = fromFiles.quantities
        #expect(q["aorta_hu_arterial"]! > q["aorta_hu_portal"]! && q["aorta_hu_portal"]! > q["aorta_hu_precontrast"]!)
        #expect(q["liver_hu_portal"]! > q["liver_hu_arterial"]! && q["liver_hu_arterial"]! > q["liver_hu_precontrast"]!)
        #expect(abs(q["liver_hu_arterial"]! - Self.parameters.liver.arterial) < 5)
    }

    /// Portal phase at 5 mm with a shifted field of view, in NIfTI: resampled onto the arterial grid.
    @Test func niftiPhasesOnAnotherGrid() throws {
        let dir = try TemporaryDirectory("vasc-nifti")
        let other = SyntheticMultiphase.grid(for: Self.parameters, spacing: SIMD3(1.7, 1.7, 5), margin: 30, shift: SIMD3(6.1, -9.4, 2.2))
        let c = Self.generated(grids: [.arterial: Self.grid, .portal: other, .precontrast: other])
        try SyntheticMultiphase.writeNIfTI(c, to: dir.path, compressed: false)
        let input = CaseInput(images: [.arterial: ImageInput(path: dir.file("arterial.nii")), .portal: ImageInput(path: dir.file("portal.nii")),
                                       .precontrast: ImageInput(path: dir.file("precontrast.nii"))],
                              masks: [.tumour: MaskInput(path: dir.file("tumour.nii"))])
        let r = try VascularizationTyping.classify(input)
        #expect(r.caseID == (dir.path as NSString).lastPathComponent, "the folder holding the phases names the case")
        #expect(r.call?.type == 4, "\(r.call?.rule ?? "")")
        #expect(abs(r.quantities["liver_hu_portal"]! - Self.parameters.liver.portal) < 8)
    }

    @Test func aPhaseThatDoesNotOverlapIsAnErrorNamingIt() throws {
        let dir = try TemporaryDirectory("vasc-far")
        var far = Self.grid
        far.origin.z += 600
        let c = Self.generated(grids: [.arterial: Self.grid, .portal: far])
        try SyntheticMultiphase.writeNIfTI(c, to: dir.path, compressed: false)
        let input = CaseInput(images: [.arterial: ImageInput(path: dir.file("arterial.nii")), .portal: ImageInput(path: dir.file("portal.nii"))],
                              masks: [.tumour: MaskInput(path: dir.file("tumour.nii"))])
        let e = #expect(throws: RadiomicsError.self) { try VascularizationTyping.classify(input) }
        #expect(e?.file == dir.file("portal.nii"))
        #expect(e?.problem.contains("does not overlap the tumour") == true, "\(String(describing: e))")
    }

    @Test func anEmptyTumourMaskIsAnErrorNamingIt() throws {
        let dir = try TemporaryDirectory("vasc-empty")
        let c = Self.generated(grids: [.arterial: Self.grid])
        try Nifti.write(c.images[.arterial]!, to: dir.file("arterial.nii"))
        try Nifti.write(Mask(geometry: Self.grid, repeating: 0), to: dir.file("empty.nii"))
        let input = CaseInput(images: [.arterial: ImageInput(path: dir.file("arterial.nii"))], masks: [.tumour: MaskInput(path: dir.file("empty.nii"))])
        let e = #expect(throws: RadiomicsError.self) { try VascularizationTyping.classify(input) }
        #expect(e?.file == dir.file("empty.nii"))
        #expect(e?.problem.contains("empty mask") == true, "\(String(describing: e))")
    }

    @Test func aTumourOutsideTheLiverMaskIsAnError() throws {
        let dir = try TemporaryDirectory("vasc-outside")
        let c = Self.generated(grids: [.arterial: Self.grid])
        try Nifti.write(c.images[.arterial]!, to: dir.file("arterial.nii"))
        try Nifti.write(c.tumour, to: dir.file("tumour.nii"))
        // A "liver" mask that is a block away from the tumour.
        var liver = Mask(geometry: Self.grid, repeating: 0)
        let box = c.tumour.boundingBox!
        let n = Self.grid.size
        for k in 0..<n.z { for j in 0..<n.y { for i in 0..<n.x where i < box.lower.x - 5 || i > box.upper.x + 5 { liver[i, j, k] = 1 } } }
        try Nifti.write(liver, to: dir.file("liver.nii"))
        let input = CaseInput(images: [.arterial: ImageInput(path: dir.file("arterial.nii"))],
                              masks: [.tumour: MaskInput(path: dir.file("tumour.nii")), .liver: MaskInput(path: dir.file("liver.nii"))])
        let e = #expect(throws: RadiomicsError.self) { try VascularizationTyping.classify(input) }
        #expect(e?.file == dir.file("liver.nii"))
        #expect(e?.problem.contains("lies outside the liver mask") == true, "\(String(describing: e))")
    }

    /// A portal series from another scan (its own frame of reference UID) is used, with a warning.
    @Test func anotherFrameOfReferenceIsAWarning() throws {
        let dir = try TemporaryDirectory("vasc-frame")
        let c = Self.generated(grids: [.arterial: Self.grid, .portal: Self.grid])
        _ = try DicomSeriesWriter.write(c.images[.arterial]!, to: dir.file("arterial"),
                                        identity: DicomStudyIdentity(caseID: "HCC-A", seriesDescription: "arterial"))
        _ = try DicomSeriesWriter.write(c.images[.portal]!, to: dir.file("portal"),
                                        identity: DicomStudyIdentity(caseID: "HCC-B", seriesDescription: "portal"))
        try Nifti.write(c.tumour, to: dir.file("tumour.nii"))
        let input = CaseInput(images: [.arterial: ImageInput(path: dir.file("arterial")), .portal: ImageInput(path: dir.file("portal"))],
                              masks: [.tumour: MaskInput(path: dir.file("tumour.nii"))])
        let r = try VascularizationTyping.classify(input)
        #expect(r.call?.type == 4)
        #expect(r.warnings.contains { $0.hasPrefix(dir.file("portal")) && $0.contains("frame of reference") }, "\(r.warnings)")
    }
}

/// The real portal-venous liver CT of ../shared, with a sphere drawn in the liver by the test, read as all three
/// phases: the whole path runs on clinical data and its quantities are plausible.
@Suite(.enabled(if: SharedData.liverAvailable, Comment(rawValue: SharedData.missingReason)))
struct RealCTTests {
    @Test func liverSeriesAsThreePhases() throws {
        let series = SharedData.path("data/liver_ct/CRLM-CT-1004/image")
        let image = try ImageReader.read(path: series)
        let g = image.image.geometry
        // A 15 mm sphere in the right liver lobe (voxel 140, 250, 20 of this 512 x 512 x 41 series is liver).
        let centre = g.physicalPoint(index: SIMD3(140, 250, 20))
        var mask = Mask(geometry: g, repeating: 0)
        for k in 0..<g.size.z { for j in 200..<300 { for i in 90..<190 {
            if length(g.physicalPoint(index: SIMD3(Double(i), Double(j), Double(k))) - centre) <= 15 { mask[i, j, k] = 1 }
        } } }
        let dir = try TemporaryDirectory("vasc-real")
        try Nifti.write(mask, to: dir.file("sphere.nii.gz"))
        let input = CaseInput(caseID: "CRLM-CT-1004",
                              images: [.arterial: ImageInput(path: series), .portal: ImageInput(path: series), .precontrast: ImageInput(path: series)],
                              masks: [.tumour: MaskInput(path: dir.file("sphere.nii.gz"))])
        let r = try VascularizationTyping.classify(input)
        print("real CT: type \(r.call!.type), \(r.call!.rule)\n  warnings: \(r.warnings)")
        for item in r.quantities.items where item.value != nil || item.list != nil {
            print("  \(item.name) = \(item.value.map { String(format: "%.4g", $0) } ?? "\(item.list!.map { Int($0.rounded()) })") \(item.unit)")
        }
        let q = r.quantities
        for p in ["precontrast", "arterial", "portal"] {
            let liver = try #require(q["liver_hu_\(p)"])
            #expect((60...200).contains(liver), "liver_hu_\(p) \(liver)")
            #expect(abs(q["tumour_hu_\(p)"]! - liver) < 20, "the sphere is liver")
        }
        // Every quantity that needs only these phases is a number (no NaN, nothing left out).
        for name in ["tumour_volume_ml", "liver_noise_sd_hu", "arterial_tumour_minus_liver_hu", "arterial_enhancement_hu",
                     "portal_washout_hu", "heterogeneity_cv", "heterogeneity_iqr_hu", "heterogeneity_entropy_bits",
                     "heterogeneity_sd_hu", "rim_hu", "core_hu", "rim_minus_core_hu", "rim_coverage", "septum_fraction",
                     "necrotic_fraction"] {
            let v = try #require(q[name], "\(name)")
            #expect(v.isFinite, "\(name)")
        }
        #expect(abs(q["tumour_volume_ml"]! - 4.0 / 3 * .pi * 3.375) < 2.5)
        // The aorta is found (enhanced: this is a portal-venous series) and measured alike in the three "phases".
        let aorta = try #require(q["aorta_hu_arterial"])
        #expect((150...400).contains(aorta), "aorta \(aorta) HU")
        #expect(q["aorta_hu_portal"] == aorta)
    }
}

/// The aorta check: found and measured in each phase, and a warning when the phases look swapped or the
/// "arterial" phase has no enhanced aorta.
@Suite struct AortaCheckTests {
    @Test func aortaIsMeasuredAndSwappedPhasesAreReported() throws {
        let p = FileCaseTests.parameters
        let c = FileCaseTests.generated()
        let right = try VascularizationTyping.classify(LoadedCase(caseID: "right", images: c.images.mapValues { .int16($0) }, masks: [.tumour: c.tumour]))
        for phase in CasePhase.contrastPhases {
            let measured = try #require(right.quantities["aorta_hu_\(phase.rawValue)"])
            #expect(abs(measured - p.aorta[phase]) < 6, "aorta \(phase.rawValue): \(measured) HU, made with \(p.aorta[phase])")
        }
        #expect(!right.warnings.contains { $0.contains("aorta") }, "\(right.warnings)")
        let swapped = try VascularizationTyping.classify(LoadedCase(
            caseID: "swapped", images: [.arterial: .int16(c.images[.portal]!), .portal: .int16(c.images[.arterial]!)], masks: [.tumour: c.tumour]))
        // In a portal phase the brightest round vessel may be the aorta or the IVC: either way the "arterial" phase is flagged.
        #expect(swapped.warnings.contains { $0.contains("are the phases swapped?") || $0.contains("the phase may not be arterial") },
                "\(swapped.warnings)")
        let plain = try VascularizationTyping.classify(LoadedCase(
            caseID: "plain", images: [.arterial: .int16(c.images[.precontrast]!)], masks: [.tumour: c.tumour]))
        #expect(plain.warnings.contains { $0.contains("no enhanced aorta found in the arterial phase") }, "\(plain.warnings)")
    }
}
