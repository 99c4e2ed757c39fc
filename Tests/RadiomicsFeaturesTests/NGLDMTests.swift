import Foundation
import RadiomicsCore
import RadiomicsFeatures
import Testing
import TestSupport

@Suite struct NGLDMUnitTests {
    /// 3 x 3 x 1 of level 1 with a level-2 centre, alpha = 0. Corners have 2 equal neighbours (j = 3),
    /// edge voxels 4 (j = 5), the centre none (j = 1): s(1,3) = 4, s(1,5) = 4, s(2,1) = 1, Ns = 9.
    @Test func handWorked() {
        let roi = zoneTestROI([[[1, 1, 1], [1, 2, 1], [1, 1, 1]]], levelCount: 2)
        let f = featureDictionary(NGLDM.compute(roi, dimension: .twoD))
        #expect(f.count == 17)
        #expect(abs(f["ngl_lde_2D"]! - (4.0 / 9 + 4.0 / 25 + 1) / 9) < 1e-12)
        #expect(abs(f["ngl_hde_2D"]! - 137.0 / 9) < 1e-12)
        #expect(abs(f["ngl_glnu_2D"]! - 65.0 / 9) < 1e-12)
        #expect(abs(f["ngl_dcnu_2D"]! - 33.0 / 9) < 1e-12)
        #expect(abs(f["ngl_dc_energy_2D"]! - 33.0 / 81) < 1e-12)
        #expect(f["ngl_dc_perc_2D"] == 1)
        // Coarseness 1: levels 1 and 2 are now dependent, every voxel counts all its neighbours.
        let c1 = featureDictionary(NGLDM.compute(roi, dimension: .twoD, coarseness: 1))
        #expect(abs(c1["ngl_hde_2D"]! - (4 * 16 + 4 * 36 + 81.0) / 9) < 1e-12)
    }
}

@Suite(.enabled(if: DigitalPhantom.available, DigitalPhantom.skipReason))
struct NGLDMTests {
    @Test(arguments: TextureDimension.allCases)
    func digitalPhantom(dimension: TextureDimension) throws {
        let (_, roi) = try DigitalPhantom.load()
        let reference = zoneFamilyReference(try DigitalPhantom.reference(), dimension: dimension)
        expectWithinTolerance(NGLDM.compute(roi, dimension: dimension), prefixes: ["ngl_"], reference: reference)
    }

    @Test(.enabled(if: ZoneFamiliesConfigA.available), arguments: [TextureDimension.twoD, .twoAndHalfD])
    func ctPhantomConfigA(dimension: TextureDimension) throws {
        let c = try ZoneFamiliesConfigA.cached ?? ZoneFamiliesConfigA.load()
        let reference = zoneFamilyReference(try ZoneFamiliesConfigA.reference(), dimension: dimension)
        expectWithinTolerance(NGLDM.compute(c.roi, dimension: dimension), prefixes: ["ngl_"], reference: reference)
    }
}
