import Foundation
import RadiomicsCore
import RadiomicsFeatures
import Testing
import TestSupport

@Suite struct NGTDMUnitTests {
    /// 3 x 3 x 1 of level 1 with a level-2 centre. Corners: neighbours 1, 1, 2 -> |1 - 4/3| = 1/3; edges:
    /// 1, 1, 1, 1, 2 -> 1/5; centre: eight 1 -> 1. s_1 = 4/3 + 4/5 = 32/15, s_2 = 1, p_1 = 8/9, p_2 = 1/9.
    @Test func handWorked() {
        let roi = zoneTestROI([[[1, 1, 1], [1, 2, 1], [1, 1, 1]]], levelCount: 2)
        let f = featureDictionary(NGTDM.compute(roi, dimension: .twoD))
        #expect(f.count == 5)
        #expect(abs(f["ngt_coarseness_2D"]! - 135.0 / 271) < 1e-12)
        #expect(abs(f["ngt_contrast_2D"]! - 8.0 / 81 * 47 / 135) < 1e-12)
        #expect(abs(f["ngt_busyness_2D"]! - 813.0 / 540) < 1e-12)
        #expect(abs(f["ngt_complexity_2D"]! - 542.0 / 1215) < 1e-12)
        #expect(abs(f["ngt_strength_2D"]! - 30.0 / 47) < 1e-12)
    }

    /// Voxels without a neighbour in the ROI are left out; a uniform ROI has coarseness 10^6.
    @Test func isolatedAndUniform() {
        let isolated = zoneTestROI([[[1, 0, 2]]], levelCount: 2)
        let f = featureDictionary(NGTDM.compute(isolated, dimension: .threeD))
        #expect(f["ngt_coarseness_3D"]!.isNaN)
        let uniform = zoneTestROI([[[3, 3], [3, 3]]], levelCount: 3)
        let u = featureDictionary(NGTDM.compute(uniform, dimension: .threeD))
        #expect(u["ngt_coarseness_3D"] == 1e6)
        #expect(u["ngt_contrast_3D"] == 0)
        #expect(u["ngt_busyness_3D"] == 0)
        #expect(u["ngt_strength_3D"] == 0)
    }
}

@Suite(.enabled(if: DigitalPhantom.available, DigitalPhantom.skipReason))
struct NGTDMTests {
    @Test(arguments: TextureDimension.allCases)
    func digitalPhantom(dimension: TextureDimension) throws {
        let (_, roi) = try DigitalPhantom.load()
        let reference = zoneFamilyReference(try DigitalPhantom.reference(), dimension: dimension)
        expectWithinTolerance(NGTDM.compute(roi, dimension: dimension), prefixes: ["ngt_"], reference: reference)
    }

    @Test(.enabled(if: ZoneFamiliesConfigA.available), arguments: [TextureDimension.twoD, .twoAndHalfD])
    func ctPhantomConfigA(dimension: TextureDimension) throws {
        let c = try ZoneFamiliesConfigA.cached ?? ZoneFamiliesConfigA.load()
        let reference = zoneFamilyReference(try ZoneFamiliesConfigA.reference(), dimension: dimension)
        expectWithinTolerance(NGTDM.compute(c.roi, dimension: dimension), prefixes: ["ngt_"], reference: reference)
    }
}
