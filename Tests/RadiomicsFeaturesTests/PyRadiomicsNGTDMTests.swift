import Foundation
import RadiomicsFeatures
import Testing
import TestSupport

@Suite struct PyRadiomicsNGTDMTests {
    /// PyRadiomics 3.1's cMatrices.calculate_ngtdm on this slice gives n = (7, 2, 1), s = (1.05, 2, 0): the
    /// isolated level-3 voxel (no neighbour in the ROI) is counted with a difference of 0, unlike IBSI.
    @Test func isolatedVoxelCounts() {
        let (levels, roi) = PyRadiomicsZoneClassCheck.roi([[
            [3, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 2, 1, 1], [0, 0, 1, 1, 1], [0, 0, 1, 1, 2],
        ]])
        let m = PyRadiomicsNGTDM.matrix(levels: levels, roi: roi, settings: PyRadiomicsSettings())
        #expect(m.n == [7, 2, 1])
        #expect(abs(m.s[0] - 1.05) < 1e-12 && abs(m.s[1] - 2) < 1e-12 && m.s[2] == 0)
    }

    /// A flat region: PyRadiomics' special values (Coarseness 1e6, the others 0).
    @Test func flatRegion() {
        let (levels, roi) = PyRadiomicsZoneClassCheck.roi([[[4, 4], [4, 4]], [[4, 4], [4, 0]]])
        let f = PyRadiomicsZoneClassCheck.dictionary(PyRadiomicsNGTDM.features(levels: levels, roi: roi,
                                                                              settings: PyRadiomicsSettings()))
        #expect(f == ["Busyness": 0, "Coarseness": 1e6, "Complexity": 0, "Contrast": 0, "Strength": 0])
    }
}
