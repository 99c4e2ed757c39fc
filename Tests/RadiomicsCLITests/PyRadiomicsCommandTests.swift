import Foundation
import Testing
import TestSupport

/// `radiomics extract IMAGE MASK --params pyradiomics.yaml`: the PyRadiomics mode end to end, from the files
/// through the readers, on PyRadiomics' own test case, against PyRadiomics 3.1's values (reference_v3).
@Suite struct PyRadiomicsCommandTests {
    @Test(.enabled(if: PyRadiomicsReference.available, "PyRadiomics reference data absent (../shared/data/pyradiomics)"),
          arguments: ["brain1", "brain1_resampling"])
    func parameterFileRunMatchesPyRadiomics(column: String) throws {
        let dir = try TemporaryDirectory("pyradiomics")
        let classes = ["shape", "firstorder", "glcm", "glrlm", "glszm", "gldm", "ngtdm"]
        // The configuration's settings (the same for every class of this column, as settings.json shows).
        let settings = try PyRadiomicsReference.settings("glcm", column)
        let yaml = try PyRadiomicsReference.parameterFile(settings, featureClasses: classes)
        try yaml.write(toFile: dir.file("params.yaml"), atomically: true, encoding: .utf8)
        let base = PyRadiomicsReference.directory
        let r = try CLI.run(["extract", base + "/brain1_image.nii.gz", base + "/brain1_label.nii.gz",
                             "--params", dir.file("params.yaml"), "--format", "csv", "--case-id", "brain1"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try #require(lines.first), row = try #require(lines.last)
        // Quoted list cells hold commas: read the feature columns from the end, where they are all numbers.
        let features = header.filter { $0.hasPrefix("original_") }
        let values = Dictionary(uniqueKeysWithValues: zip(features, row.suffix(features.count)))
        #expect(features.first == "original_shape_Elongation", "shape comes first, as in PyRadiomics")
        #expect(header.prefix(3) == ["Image", "Mask", "diagnostics_case_id"], "\(header.prefix(3))")
        var compared = 0
        for featureClass in classes {
            let table = try PyRadiomicsReference.table(featureClass)
            for feature in table.features {
                guard let expected = table.values[feature]?[column] else { continue }
                let ours = try #require(values[feature].flatMap(Double.init), "\(feature) missing")
                #expect(PyRadiomicsReference.agrees(ours, expected), "\(column) \(feature): \(ours) vs \(expected)")
                compared += 1
            }
        }
        #expect(compared == features.count, "every output feature has a reference value")
    }
}

extension PyRadiomicsCommandTests {
    /// PyRadiomics' own exampleCT.yaml (Original, LoG sigma 1-5 mm, Wavelet; B-spline resampling to 1 mm) runs
    /// unchanged and gives PyRadiomics' 1,218 keys: 14 shape, then 86 per image (first order 18, the 22 GLCM features
    /// the file lists in its order, GLRLM 16, GLSZM 16, GLDM 14) for original, the five LoG and the eight wavelet
    /// images. With only Original the listed GLCM features still come in the file's order (SumAverage left out).
    @Test(.enabled(if: PyRadiomicsReference.available, "PyRadiomics reference data absent (../shared/data/pyradiomics)"))
    func exampleCTParameterFile() throws {
        let base = PyRadiomicsReference.directory
        let args = ["extract", base + "/brain1_image.nii.gz", base + "/brain1_label.nii.gz", "--format", "csv"]
        let r = try CLI.run(args + ["--params", base + "/exampleCT.yaml"])
        #expect(r.status == 0, "\(r.stderr)")
        let keys = r.stdout.prefix(while: { $0 != "\n" }).split(separator: ",").map(String.init)
        let images = ["original"] + (1...5).map { "log-sigma-\($0)-0-mm-3D" }
            + ["LLH", "LHL", "LHH", "HLL", "HLH", "HHL", "HHH", "LLL"].map { "wavelet-" + $0 }
        let featureKeys = keys.filter { key in images.contains { key.hasPrefix($0 + "_") } }
        #expect(featureKeys.count == 1218, "\(featureKeys.count) keys")
        #expect(featureKeys.filter { $0.contains("_shape_") }.count == 14)
        for image in images { #expect(featureKeys.filter { $0.hasPrefix(image + "_") && !$0.contains("_shape_") }.count == 86, "\(image)") }
        let dir = try TemporaryDirectory("pyradiomics")
        let original = try String(contentsOfFile: base + "/exampleCT.yaml", encoding: .utf8)
            .replacingOccurrences(of: "  LoG:\n", with: "").replacingOccurrences(of: "  Wavelet: {}\n", with: "")
            .split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("sigma:") }.joined(separator: "\n")
        try original.write(toFile: dir.file("ct.yaml"), atomically: true, encoding: .utf8)
        let ok = try CLI.run(args + ["--params", dir.file("ct.yaml")])
        #expect(ok.status == 0, "\(ok.stderr)")
        let header = ok.stdout.prefix(while: { $0 != "\n" }).split(separator: ",").map(String.init)
        let glcm = header.filter { $0.hasPrefix("original_glcm_") }
        #expect(glcm.count == 22 && glcm.prefix(2) == ["original_glcm_Autocorrelation", "original_glcm_JointAverage"], "\(glcm)")
        #expect(!header.contains("original_glcm_SumAverage") && !header.contains { $0.hasPrefix("original_ngtdm_") })
    }
}
