import Foundation
import RadiomicsCore
import RadiomicsFeatures
import Testing
import TestSupport

@Suite struct GLDZMUnitTests {
    /// 4 x 4 x 1:   1 1 2 2 / 1 3 3 2 / 4 3 1 1 / 4 4 1 2. In-plane distances: the outer ring 1, the
    /// inner 2 x 2 block 2. Zones (8-connected): the level-3 zone {(1,1), (2,1), (1,2)} lies in the inner
    /// block (distance 2); the five other zones touch the edge (distance 1).
    @Test func handWorkedDistances() {
        let roi = zoneTestROI([[[1, 1, 2, 2], [1, 3, 3, 2], [4, 3, 1, 1], [4, 4, 1, 2]]], levelCount: 4)
        let f = featureDictionary(GLDZM.compute(roi, dimension: .twoD))
        #expect(f.count == 16)
        #expect(abs(f["dzm_sde_2D"]! - (5 + 0.25) / 6) < 1e-12)
        #expect(abs(f["dzm_lde_2D"]! - (5 + 4.0) / 6) < 1e-12)
        #expect(abs(f["dzm_zdnu_2D"]! - (25 + 1.0) / 6) < 1e-12)
        #expect(abs(f["dzm_z_perc_2D"]! - 6.0 / 16) < 1e-12)
        #expect(abs(f["dzm_sdhge_2D"]! - (1 + 1 + 4 + 4 + 9.0 / 4 + 16) / 6) < 1e-12)
    }

    /// 3 x 3 x 3 cube of level 1 around one voxel of level 2: in 3D the centre is 2 steps from the edge.
    /// Per slice the middle slice's centre is also at distance 2, the outer slices' voxels at 1 or 2.
    @Test func cubeCentre3D() {
        var slices = [[[Int32]]](repeating: [[1, 1, 1], [1, 1, 1], [1, 1, 1]], count: 3)
        slices[1][1][1] = 2
        let roi = zoneTestROI(slices, levelCount: 2)
        let f = featureDictionary(GLDZM.compute(roi, dimension: .threeD))
        #expect(abs(f["dzm_sde_3D"]! - (1 + 0.25) / 2) < 1e-12)
        #expect(abs(f["dzm_lde_3D"]! - (1 + 4.0) / 2) < 1e-12)
    }

    /// The distance map follows `distanceMask`: a 5 x 5 slice with an outer ring of level 1, an inner ring
    /// of level 2 and a hole at the centre (excluded from the intensity mask, as re-segmentation would).
    /// With the intensity mask the inner ring touches the hole (distance 1); with the full (morphological)
    /// mask it lies 2 steps from the edge.
    @Test func distanceMaskDefinesTheEdge() {
        let roi = zoneTestROI([[[1, 1, 1, 1, 1], [1, 2, 2, 2, 1], [1, 2, 0, 2, 1], [1, 2, 2, 2, 1], [1, 1, 1, 1, 1]]],
                              levelCount: 2)
        let intensity = featureDictionary(GLDZM.compute(roi, dimension: .twoD))
        #expect(abs(intensity["dzm_lde_2D"]! - 1) < 1e-12)
        let morphological = featureDictionary(GLDZM.compute(roi, dimension: .twoD,
                                                            distanceMask: [UInt8](repeating: 1, count: 25)))
        #expect(abs(morphological["dzm_lde_2D"]! - 2.5) < 1e-12)
    }
}

@Suite(.enabled(if: DigitalPhantom.available, DigitalPhantom.skipReason))
struct GLDZMTests {
    @Test(arguments: TextureDimension.allCases)
    func digitalPhantom(dimension: TextureDimension) throws {
        let (_, roi) = try DigitalPhantom.load()
        let reference = zoneFamilyReference(try DigitalPhantom.reference(), dimension: dimension)
        expectWithinTolerance(GLDZM.compute(roi, dimension: dimension), prefixes: ["dzm_"], reference: reference)
    }

    @Test(.enabled(if: ZoneFamiliesConfigA.available), arguments: [TextureDimension.twoD, .twoAndHalfD])
    func ctPhantomConfigA(dimension: TextureDimension) throws {
        let c = try ZoneFamiliesConfigA.cached ?? ZoneFamiliesConfigA.load()
        let reference = zoneFamilyReference(try ZoneFamiliesConfigA.reference(), dimension: dimension)
        expectWithinTolerance(GLDZM.compute(c.roi, dimension: dimension, distanceMask: c.morphologicalMask),
                              prefixes: ["dzm_"], reference: reference)
    }
}
