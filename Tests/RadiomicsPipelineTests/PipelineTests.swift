import Foundation
import RadiomicsCore
import RadiomicsFeatures
import RadiomicsIO
import RadiomicsPipeline
import RadiomicsSynthetic
import Testing
import TestSupport

@Suite struct ResultFormatterTests {
    let result = ExtractionResult(
        caseID: "HCC \"7\"",
        diagnostics: [("case_id", .text("HCC \"7\", left lobe")), ("image_size", .ints([3, 4, 5])),
                      ("roi_mean", .double(-46.882720189)), ("roi_voxels", .int(12))],
        features: [("stat_mean", 1.5), ("stat_max", 3), ("nan_feature", .nan)])

    @Test func jsonIsOneValidObject() throws {
        let text = ResultFormatter.json([result])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let diag = try #require(object["diagnostics"] as? [String: Any])
        #expect(diag["case_id"] as? String == "HCC \"7\", left lobe")
        #expect(diag["image_size"] as? [Int] == [3, 4, 5])
        #expect(diag["roi_mean"] as? Double == -46.882720189)
        let features = try #require(object["features"] as? [String: Any])
        #expect(features["stat_mean"] as? Double == 1.5)
        #expect(features["nan_feature"] is NSNull)
        // Keys keep their order.
        #expect(text.range(of: "stat_mean")!.lowerBound < text.range(of: "stat_max")!.lowerBound)
    }

    @Test func severalCasesMakeAnArray() throws {
        let text = ResultFormatter.json([result, result])
        #expect((try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any])?.count == 2)
    }

    @Test func csvQuotesCellsThatNeedIt() {
        let lines = ResultFormatter.csv([result]).split(separator: "\n")
        #expect(lines[0] == "diagnostics_case_id,diagnostics_image_size,diagnostics_roi_mean,diagnostics_roi_voxels,stat_mean,stat_max,nan_feature")
        #expect(lines[1] == "\"HCC \"\"7\"\", left lobe\",\"[3, 4, 5]\",-46.882720189,12,1.5,3,null")
    }
}

@Suite struct CaseExtractorTests {
    @Test func niftiCaseDiagnostics() throws {
        let tmp = try TemporaryDirectory()
        let grid = SyntheticCT.axialGrid(size: [40, 32, 10], spacing: [2, 2, 3])
        var anatomy = SyntheticCT.Anatomy()
        anatomy.tumourCentre = [0, 0, 0]
        anatomy.tumourRadii = [12, 10, 8]
        let c = SyntheticCT.makeCase(geometry: grid, anatomy: anatomy, seed: 3)
        try Nifti.write(c.image, to: tmp.file("img.nii.gz"))
        try Nifti.write(c.tumour, to: tmp.file("mask.nii.gz"))
        let outcome = try CaseExtractor.run(CaseRequest(imagePath: tmp.file("img.nii.gz"), maskPath: tmp.file("mask.nii.gz")))
        let r = outcome.result
        #expect(r.diagnostic("case_id") == .text("img"))
        #expect(r.diagnostic("image_size") == .ints([40, 32, 10]))
        #expect(r.diagnostic("roi_voxels") == .int(c.tumour.regionVoxelCount))
        let stats = try #require(RegionStatistics(image: .int16(c.image), mask: c.tumour))
        #expect(r.diagnostic("roi_mean") == .double(stats.mean))
        #expect(r.diagnostic("roi_bounding_box") == .ints(c.tumour.boundingBox!.flat))
        #expect(outcome.warnings.isEmpty)
    }

    @Test func caseIdentifiers() {
        #expect(CaseExtractor.caseID(for: "/data/HCC-001/arterial.nii.gz") == "arterial")
        #expect(CaseExtractor.caseID(for: "/data/HCC-001/ct") == "ct")
        #expect(CaseExtractor.caseID(for: "/data/HCC-001/") == "HCC-001")
    }
}

/// PyRadiomics' extraction without normalisation or resampling reads only the slices the ROI spans; what it
/// reports must not show it.
@Suite struct PartialReadPipelineTests {
    @Test(arguments: [false, true])
    func onlyTheROISlicesAreReadAndNothingChanges(normalize: Bool) throws {
        let tmp = try TemporaryDirectory()
        let grid = SyntheticCT.axialGrid(size: [64, 56, 40], spacing: [2, 2, 2.5])
        var anatomy = SyntheticCT.Anatomy()
        anatomy.tumourRadii = [14, 12, 10]
        let c = SyntheticCT.makeCase(geometry: grid, anatomy: anatomy, seed: 9)
        try Nifti.write(c.image, to: tmp.file("image.nii"))
        try Nifti.write(c.tumour, to: tmp.file("mask.nii"))
        let box = try #require(c.tumour.boundingBox)
        #expect(box.size.z < grid.size.z / 2) // the case really spans a part of the slices

        let parameters = try PyRadiomicsParameters.parse(
            "setting:\n  binWidth: 25\n  normalize: \(normalize)\nfeatureClass:\n  firstorder:\n  shape:\n  glcm:\n  glrlm:\n")
        let outcome = try CaseExtractor.run(CaseRequest(imagePath: tmp.file("image.nii"), maskPath: tmp.file("mask.nii"),
                                                        pyradiomics: parameters))
        let r = outcome.result
        #expect(r.diagnostic("image_size") == .ints([64, 56, 40]))
        #expect(r.diagnostic("image_origin") == .doubles([grid.origin.x, grid.origin.y, grid.origin.z]))
        #expect(r.diagnostic("roi_bounding_box") == .ints(box.flat))
        #expect(r.diagnostic("roi_voxels") == .int(c.tumour.regionVoxelCount))

        // The same extraction on the whole image in memory.
        let whole = ScalarImage.int16(c.image).cropped(to: BoundingBox(size: grid.size))
        let direct = try PyRadiomicsExtractor.extract(image: whole, pixelType: .int16, mask: c.tumour, parameters: parameters)
        #expect(r.features.count == direct.features.count)
        for (a, b) in zip(r.features, direct.features) {
            #expect(a.key == b.key)
            #expect(a.value == b.value || (a.value.isNaN && b.value.isNaN), "\(a.key): \(a.value) vs \(b.value)")
        }
    }
}
