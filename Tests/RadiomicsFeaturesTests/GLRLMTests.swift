import Foundation
import RadiomicsCore
@testable import RadiomicsFeatures
import Testing
import TestSupport

@Suite struct GLRLMTests {
    /// Runs of the 3 x 3 x 1 image of `SmallImage` per in-plane direction, row-major 3 levels x 3 lengths.
    @Test func countsOfSmallImage() throws {
        let roi = SmallImage.roi
        let box = try #require(TextureBox(roi))
        var m = [Double](repeating: 0, count: 4 * 9)
        GLRLM.count(roi, box: box, slices: 0...0, directions: TextureDirections.twoD, ng: 3, nr: 3, into: &m)
        // (1, 0): rows "1 1 2", "2 3 3", "1 2 3".
        #expect(Array(m[0..<9]) == [1, 1, 0, 3, 0, 0, 1, 1, 0])
        // (0, 1): columns "1 2 1", "1 3 2", "2 3 3".
        #expect(Array(m[9..<18]) == [3, 0, 0, 3, 0, 0, 1, 1, 0])
        // (1, 1): diagonals "1 3 3", "1 3", "2", "2 2", "1".
        #expect(Array(m[18..<27]) == [3, 0, 0, 1, 1, 0, 1, 1, 0])
        // (1, -1): anti-diagonals "1", "2 1", "1 3 2", "2 3", "3".
        #expect(Array(m[27..<36]) == [3, 0, 0, 3, 0, 0, 3, 0, 0])
    }

    @Test func featuresOfSmallImage() {
        let f = SmallImage.dictionary(GLRLM.compute(SmallImage.roi, dimension: .twoD))
        // 7, 8, 7 and 9 runs over 9 voxels.
        #expect(abs(f["rlm_r_perc_2D_avg"]! - (7.0 + 8 + 7 + 9) / 4 / 9) < 1e-12)
        #expect(abs(f["rlm_r_perc_2D_comb"]! - 31.0 / 36) < 1e-12)
        // Short runs emphasis of (1, 0): lengths 2, 1, 1, 2, 1, 1, 1.
        let sre: [Double] = [5.5 / 7, 7.25 / 8, 5.5 / 7, 9.0 / 9]
        #expect(abs(f["rlm_sre_2D_avg"]! - sre.reduce(0, +) / 4) < 1e-12)
        #expect(abs(f["rlm_sre_2D_comb"]! - 27.25 / 31) < 1e-12)
        // Merged: 13 runs of level 1 ... grey level non-uniformity Σ r_i.² / N_s.
        // level 1: 2 + 3 + 3 + 3 = 11, level 2: 3 + 3 + 2 + 3 = 11, level 3: 2 + 2 + 2 + 3 = 9.
        #expect(abs(f["rlm_glnu_2D_comb"]! - 323.0 / 31) < 1e-12)
    }

    @Test func runsStopAtTheROIBorder() {
        // 4 x 1 x 1 of level 1 with a hole: runs of 2 and 1.
        let roi = DiscretisedROI(size: SIMD3(4, 1, 1), spacing: SIMD3(1, 1, 1), levels: [1, 1, 0, 1], levelCount: 1)
        let f = SmallImage.dictionary(GLRLM.compute(roi, dimension: .threeD))
        // Along i: runs 2 and 1; other 12 directions: 3 runs of 1 each.
        let perDirection: [Double] = [1.25 / 2] + [Double](repeating: 1, count: 12)
        #expect(abs(f["rlm_sre_3D_avg"]! - perDirection.reduce(0, +) / 13) < 1e-12)
    }

    @Test(.enabled(if: DigitalPhantom.available, DigitalPhantom.skipReason), arguments: TextureDimension.allCases)
    func matchesDigitalPhantom(_ dimension: TextureDimension) throws {
        let (_, discretised) = try DigitalPhantom.load()
        let features = GLRLM.compute(discretised, dimension: dimension)
        #expect(features.count == 2 * GLRLM.featureNames.count)
        expectWithinTolerance(features, prefixes: GLRLM.featureNames.map { "rlm_\($0)_\(dimension.rawValue)_" },
                              reference: try DigitalPhantom.reference())
    }
}

@Suite(.enabled(if: ChestConfigA.available, ChestConfigA.skipReason))
struct GLRLMTestsChestConfigA {
    @Test(arguments: [TextureDimension.twoD, .twoAndHalfD])
    func matchesConfigA(_ dimension: TextureDimension) throws {
        let a = try ChestConfigA.shared.get()
        let clock = ContinuousClock()
        var features: [FeatureValue] = []
        let elapsed = clock.measure { features = GLRLM.compute(a.discretised, dimension: dimension) }
        let ref = try ChestConfigA.reference()
        let prefixes = GLRLM.featureNames.map { "rlm_\($0)_\(dimension.rawValue)_" }
        print(ChestConfigA.report("GLRLM \(dimension.rawValue) (\(elapsed))", features, prefixes: prefixes, reference: ref))
        expectWithinTolerance(features, prefixes: prefixes, reference: ref)
    }
}
