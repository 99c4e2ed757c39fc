import Foundation
import RadiomicsCore
import RadiomicsFeatures
import Testing
import TestSupport

/// Acceptance of PyRadiomics' image types: ../shared/data/pyradiomics/image_types/reference.csv (PyRadiomics 3.1
/// with image_types/params.yaml, unchanged, on brain1, brain2 and breast1: Original, Wavelet, LoG 1/3/5 mm,
/// Square, SquareRoot, Logarithm, Exponential, Gradient, LBP2D; 1,688 values per case), every value within 1e-6
/// relative (1e-9 absolute near zero), with PyRadiomics' keys in its order.
@Suite struct PyRadiomicsImageTypesTests {
    static let directory = PyRadiomicsReference.directory + "/image_types"
    static let available = SharedData.exists("data/pyradiomics/image_types/reference.csv")

    /// reference.csv: keys in order, and per case the values.
    static func reference() throws -> (keys: [String], values: [String: [Double]]) {
        let text = try String(contentsOfFile: directory + "/reference.csv", encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        var keys: [String] = [], values: [String: [Double]] = [:]
        for line in lines {
            let cells = line.split(separator: ",").map(String.init)
            keys.append(cells[0])
            for (column, cell) in zip(header.dropFirst(), cells.dropFirst()) { values[column, default: []].append(Double(cell)!) }
        }
        return (keys, values)
    }

    @Test(.enabled(if: available, "PyRadiomics image-type reference absent (../shared/data/pyradiomics/image_types)"),
          arguments: PyRadiomicsReference.cases)
    func everyImageType(caseName: String) throws {
        let reference = try Self.reference()
        let parameters = try PyRadiomicsParameters.load(path: Self.directory + "/params.yaml")
        #expect(parameters.warnings.isEmpty, "unused keys \(parameters.warnings)")
        let loaded = try PyRadiomicsReference.load(caseName)
        let mask = Mask(geometry: loaded.mask.geometry, voxels: loaded.mask.voxels.map { $0 == 1 ? 1 : 0 })
        let output = try PyRadiomicsExtractor.extract(image: loaded.image, pixelType: .int16, mask: mask, parameters: parameters)
        #expect(output.features.map(\.key) == reference.keys, "keys or their order differ from PyRadiomics'")
        let ours = Dictionary(output.features.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let expected = try #require(reference.values[caseName])
        var failures: [String] = []
        var worst: [String: (Double, String)] = [:]
        for (key, value) in zip(reference.keys, expected) {
            guard let v = ours[key] else { failures.append("\(key): missing"); continue }
            let image = String(key.prefix { $0 != "_" })
            let rel = v == value ? 0 : abs(v - value) / max(abs(value), 1e-300)
            if rel > (worst[image]?.0 ?? -1) { worst[image] = (rel, key) }
            if !PyRadiomicsReference.agrees(v, value) {
                failures.append("\(key): ours \(v), PyRadiomics \(value), rel \(rel)")
            }
        }
        let summary = worst.sorted { $0.key < $1.key }.map { "\($0.key): worst rel \($0.value.0) (\($0.value.1))" }
        print("\(caseName) image types:\n" + summary.joined(separator: "\n"))
        #expect(failures.isEmpty, "\(caseName): \(failures.count) of \(expected.count) values differ:\n\(failures.prefix(60).joined(separator: "\n"))")
    }
}
