import Foundation
import RadiomicsCore
import RadiomicsFeatures
import Testing
import TestSupport

/// Acceptance of the PyRadiomics mode: every value of every class in every configuration of
/// ../shared/data/pyradiomics/reference_v3 (PyRadiomics 3.1 on brain1, brain2, breast1), each run from a
/// PyRadiomics parameter file written from that configuration's settings (reference_v3/settings.json),
/// within 1e-6 relative (1e-9 absolute near zero), with PyRadiomics' keys in its order. The class tests
/// (PyRadiomicsGLCMTests, ...) add hand-checked cases and settings the reference columns do not cover.
@Suite struct PyRadiomicsConformanceTests {
    static let classes = ["firstorder", "shape", "glcm", "glrlm", "glszm", "gldm", "ngtdm"]

    static let images: [String: (image: Volume<Double>, mask: Mask)] = {
        var out: [String: (image: Volume<Double>, mask: Mask)] = [:]
        for name in PyRadiomicsReference.cases { out[name] = try? PyRadiomicsReference.load(name) }
        return out
    }()

    @Test(.enabled(if: PyRadiomicsReference.available, "PyRadiomics reference data absent (../shared/data/pyradiomics)"),
          arguments: classes)
    func everyConfiguration(featureClass: String) throws {
        let reference = try PyRadiomicsReference.table(featureClass)
        var compared = 0, failures: [String] = []
        for column in try PyRadiomicsReference.columns(featureClass) {
            let caseName = String(column.split(separator: "_").first!)
            let loaded = try #require(Self.images[caseName], "cannot read case \(caseName)")
            let yaml = try PyRadiomicsReference.parameterFile(PyRadiomicsReference.settings(featureClass, column),
                                                              featureClasses: [featureClass])
            let parameters = try PyRadiomicsParameters.parse(yaml, path: "\(column).yaml")
            #expect(parameters.warnings.isEmpty, "\(column): unused keys \(parameters.warnings)")
            let label = parameters.settings.label
            let mask = Mask(geometry: loaded.mask.geometry, voxels: loaded.mask.voxels.map { Int($0) == label ? 1 : 0 })
            let output: PyRadiomicsExtractor.Output
            do {
                output = try PyRadiomicsExtractor.extract(image: loaded.image, pixelType: .int16, mask: mask, parameters: parameters)
            } catch {
                failures.append("\(column): \(error)")
                continue
            }
            // PyRadiomics' keys in PyRadiomics' order (the table lists them as PyRadiomics output them).
            if output.features.map(\.key) != reference.features {
                failures.append("\(column): keys or their order differ from PyRadiomics': \(output.features.map(\.key))")
            }
            let ours = Dictionary(output.features.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            for feature in reference.features {
                guard let expected = reference.values[feature]?[column] else { continue }
                compared += 1
                guard let value = ours[feature] else { failures.append("\(column) \(feature): missing"); continue }
                if !PyRadiomicsReference.agrees(value, expected) {
                    failures.append("\(column) \(feature): ours \(value), PyRadiomics \(expected), rel \(abs(value - expected) / max(abs(expected), 1e-300))")
                }
            }
            let extra = Set(ours.keys).subtracting(reference.features)
            if !extra.isEmpty { failures.append("\(column): keys PyRadiomics does not output: \(extra.sorted())") }
        }
        #expect(failures.isEmpty, "\(featureClass): \(failures.count) of \(compared) values differ:\n\(failures.prefix(40).joined(separator: "\n"))")
        // Every value of the table was compared (1995 in all: shape 84, firstorder 216, glcm 576, glrlm 384,
        // glszm 336, gldm 294, ngtdm 105).
        let cells = reference.values.values.reduce(0) { $0 + $1.count }
        #expect(compared == cells && compared > 0)
    }
}
