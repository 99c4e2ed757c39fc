import Foundation
import RadiomicsCore
import RadiomicsFeatures
import Testing
import TestSupport

/// Runs one PyRadiomics texture class (glszm, gldm, ngtdm) on the reference cases and compares every feature with
/// PyRadiomics 3.1 in the columns that need only cropping and discretisation: plain, `_2d` and `_FBN`.
enum PyRadiomicsZoneClassCheck {
    typealias Compute = ([Int32], PyRadiomicsROI, PyRadiomicsSettings) -> [(name: String, value: Double)]

    /// The settings of a reference column that matter for these classes.
    static func settings(_ json: [String: Any]) -> PyRadiomicsSettings {
        var s = PyRadiomicsSettings()
        if let w = (json["binWidth"] as? NSNumber)?.doubleValue { s.binWidth = w }
        if let c = (json["binCount"] as? NSNumber)?.intValue { s.binCount = c }
        if let d = json["distances"] as? [NSNumber] { s.distances = d.map(\.intValue) }
        if let f = json["force2D"] as? Bool { s.force2D = f }
        if let f = (json["force2Ddimension"] as? NSNumber)?.intValue { s.force2Ddimension = f }
        if let a = (json["gldm_a"] as? NSNumber)?.doubleValue { s.gldmA = a }
        return s
    }

    /// Failures as readable lines; also the number of values compared and the largest relative error.
    static func compare(featureClass: String, names: [String], compute: Compute) throws
        -> (failures: [String], compared: Int, maxRelative: Double) {
        let table = try PyRadiomicsReference.table(featureClass)
        let columns = Set(try PyRadiomicsReference.columns(featureClass))
        var failures: [String] = [], compared = 0, maxRelative = 0.0
        for name in PyRadiomicsReference.cases {
            let (image, mask) = try PyRadiomicsReference.load(name)
            guard let roi = PyRadiomicsROI.cropped(image: image, mask: mask, label: 1) else {
                failures.append("\(name): label 1 absent"); continue
            }
            for suffix in ["", "_2d", "_FBN"] where columns.contains(name + suffix) {
                let column = name + suffix
                let settings = settings(try PyRadiomicsReference.settings(featureClass, column))
                let levels = PyRadiomicsBinning.discretise(roi, binWidth: settings.binWidth,
                                                           binCount: settings.binCount).levels
                let ours = compute(levels, roi, settings)
                if ours.map(\.name) != names { failures.append("\(column): names/order differ from featureNames") }
                for (feature, value) in ours {
                    let key = "original_\(featureClass)_\(feature)"
                    guard let ref = table.values[key]?[column] else {
                        failures.append("\(column) \(feature): no reference value"); continue
                    }
                    compared += 1
                    if ref != 0, ref.isFinite { maxRelative = max(maxRelative, abs(value - ref) / abs(ref)) }
                    if !PyRadiomicsReference.agrees(value, ref) {
                        failures.append("\(feature) [\(column)]: ours \(value), PyRadiomics \(ref)")
                    }
                }
            }
        }
        // Every non-deprecated feature of the table must be produced.
        let expected = Set(table.features.map { String($0.dropFirst("original_\(featureClass)_".count)) })
        if expected != Set(names) { failures.append("feature set differs from the table: \(expected.symmetricDifference(names))") }
        return (failures, compared, maxRelative)
    }

    /// Builds a PyRadiomicsROI from slices (k) of rows (j) of levels (i); 0 is outside the ROI.
    static func roi(_ slices: [[[Int32]]]) -> (levels: [Int32], roi: PyRadiomicsROI) {
        let size = SIMD3(slices[0][0].count, slices[0].count, slices.count)
        let levels = slices.flatMap { $0.flatMap { $0 } }
        let roi = PyRadiomicsROI(size: size, spacing: SIMD3(1, 1, 1), image: levels.map(Double.init),
                                 mask: levels.map { $0 != 0 ? 1 : 0 })
        return (levels, roi)
    }

    static func dictionary(_ f: [(name: String, value: Double)]) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: f.map { ($0.name, $0.value) })
    }
}

@Suite struct PyRadiomicsGLSZMTests {
    @Test(.enabled(if: PyRadiomicsReference.available, "PyRadiomics reference data absent (../shared/data/pyradiomics)"))
    func matchesPyRadiomics() throws {
        let r = try PyRadiomicsZoneClassCheck.compare(featureClass: "glszm", names: PyRadiomicsGLSZM.featureNames,
                                                      compute: PyRadiomicsGLSZM.features)
        #expect(r.compared == 9 * PyRadiomicsGLSZM.featureNames.count)
        #expect(r.failures.isEmpty, "\(r.failures.count) mismatches:\n\(r.failures.joined(separator: "\n"))")
        print("PyRadiomics glszm: \(r.compared) values compared, max relative error \(r.maxRelative)")
    }

    /// The 5 x 5 example of PyRadiomics' GLSZM documentation (one slice, 8-connected zones).
    @Test func documentationExample() {
        let (levels, roi) = PyRadiomicsZoneClassCheck.roi([[
            [5, 2, 5, 4, 4], [3, 3, 3, 1, 3], [2, 1, 1, 1, 3], [4, 2, 2, 2, 3], [3, 5, 3, 3, 2],
        ]])
        let z = PyRadiomicsGLSZM.zones(levels: levels, roi: roi, settings: PyRadiomicsSettings())
        // P (rows level 1...5, columns size 1...5) of the documentation, listed as (level, size) per zone.
        var expected: [[Int32]] = [[1, 4], [2, 1], [2, 5], [3, 1], [3, 3], [3, 5], [4, 1], [4, 2],
                                   [5, 1], [5, 1], [5, 1]]
        var found = zip(z.level, z.size).map { [$0, $1] }
        expected.sort { $0.lexicographicallyPrecedes($1) }
        found.sort { $0.lexicographicallyPrecedes($1) }
        #expect(found == expected)
        let f = PyRadiomicsZoneClassCheck.dictionary(PyRadiomicsGLSZM.features(levels: levels, roi: roi,
                                                                             settings: PyRadiomicsSettings()))
        #expect(abs(f["ZonePercentage"]! - 11.0 / 25) < 1e-12)
        #expect(abs(f["GrayLevelNonUniformity"]! - (1.0 + 4 + 9 + 4 + 9) / 11) < 1e-12)
    }
}
