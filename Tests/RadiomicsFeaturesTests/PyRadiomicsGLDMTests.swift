import Foundation
import RadiomicsFeatures
import Testing
import TestSupport

@Suite struct PyRadiomicsGLDMTests {
    /// One slice: an isolated level-3 voxel and a 3 x 3 block of 1 with two 2s (centre and corner). Matrix as given
    /// by PyRadiomics 3.1's cMatrices.calculate_gldm: level 1 has 2 voxels with 3, 4 with 4 and 1 with 6
    /// dependents; the 2s and the 3 have none. Eight directions (no z in a one-slice box): 9 columns (PyRadiomics
    /// allocates 17, the extra ones always empty and removed before the features).
    @Test func smallMatrix() {
        let (levels, roi) = PyRadiomicsZoneClassCheck.roi([[
            [3, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 2, 1, 1], [0, 0, 1, 1, 1], [0, 0, 1, 1, 2],
        ]])
        let m = PyRadiomicsGLDM.matrix(levels: levels, roi: roi, settings: PyRadiomicsSettings())
        #expect(m.levelCount == 3 && m.columns == 9)
        var expected = [Double](repeating: 0, count: 3 * 9)
        expected[3] = 2; expected[4] = 4; expected[6] = 1; expected[9] = 2; expected[18] = 1
        #expect(m.counts == expected)
        // gldm_a = 1 makes 1 and 2 dependent: both 2s (block corners) then have 3 dependents.
        var s = PyRadiomicsSettings()
        s.gldmA = 1
        let a = PyRadiomicsGLDM.matrix(levels: levels, roi: roi, settings: s)
        #expect(a.counts[9 + 3] == 2 && a.counts[9] == 0)
    }
}
