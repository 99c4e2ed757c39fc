import Foundation
import RadiomicsCore
import RadiomicsFeatures
import Testing
import TestSupport

/// Small hand-made cases for the zone and neighbourhood classes (GLSZM, GLDM, NGTDM); their values on
/// PyRadiomics' test cases are compared in PyRadiomicsConformanceTests.
enum PyRadiomicsZoneClassCheck {
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
