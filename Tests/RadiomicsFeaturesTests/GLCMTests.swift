import Foundation
import RadiomicsCore
@testable import RadiomicsFeatures
import Testing
import TestSupport

/// A 3 x 3 x 1 image worked by hand (rows j = 0, 1, 2; columns i = 0, 1, 2):
///
///     1 1 2
///     2 3 3
///     1 2 3
enum SmallImage {
    static let levels: [Int32] = [1, 1, 2, 2, 3, 3, 1, 2, 3]
    static let roi = DiscretisedROI(size: SIMD3(3, 3, 1), spacing: SIMD3(1, 1, 1), levels: levels, levelCount: 3)

    static func dictionary(_ f: [FeatureValue]) -> [String: Double] {
        Dictionary(f.map { ($0.tag, $0.value) }, uniquingKeysWith: { a, _ in a })
    }
}

@Suite struct GLCMTests {
    /// Symmetric counts per in-plane direction, row-major 3 x 3 (row i = level of the first voxel).
    @Test func countsOfSmallImage() throws {
        let roi = SmallImage.roi
        let box = try #require(TextureBox(roi))
        var m = [Double](repeating: 0, count: 4 * 9)
        let levels = GLCM.count(roi, box: box, slices: 0...0, directions: TextureDirections.twoD, distance: 1,
                                symmetric: true, ng: 3, into: &m)
        #expect(levels == 1...3)
        // (1, 0): pairs 1-1, 1-2, 2-3, 3-3, 1-2, 2-3.
        #expect(Array(m[0..<9]) == [2, 2, 0, 2, 0, 2, 0, 2, 2])
        // (0, 1): pairs 1-2, 2-1, 1-3, 3-2, 2-3, 3-3.
        #expect(Array(m[9..<18]) == [0, 2, 1, 2, 0, 2, 1, 2, 2])
        // (1, 1): pairs 1-3, 1-3, 2-2, 3-3.
        #expect(Array(m[18..<27]) == [0, 0, 2, 0, 2, 0, 2, 0, 2])
        // (1, -1): pairs 2-1, 3-2, 1-3, 2-3.
        #expect(Array(m[27..<36]) == [0, 1, 1, 1, 0, 2, 1, 2, 0])

        var asym = [Double](repeating: 0, count: 4 * 9)
        _ = GLCM.count(roi, box: box, slices: 0...0, directions: TextureDirections.twoD, distance: 1,
                       symmetric: false, ng: 3, into: &asym)
        #expect(Array(asym[0..<9]) == [1, 2, 0, 0, 0, 2, 0, 0, 1])
    }

    @Test func featuresOfSmallImage() {
        // 2D_comb of one slice = the sum of the four matrices above (total 40).
        //     2 5 4
        //     5 2 6
        //     4 6 6
        let f = SmallImage.dictionary(GLCM.compute(SmallImage.roi, dimension: .twoD))
        let contrast: Double = (22.0 + 8.0 * 4) / 40   // |i-j| = 1: 22 counts, |i-j| = 2: 8 counts
        #expect(abs(f["cm_contrast_2D_comb"]! - contrast) < 1e-12)
        #expect(abs(f["cm_joint_max_2D_comb"]! - 6.0 / 40) < 1e-12)
        // (1, 0) matrix alone: contrast 8 / 12; the mean over the 4 directions.
        let perDirection: [Double] = [8.0 / 12, 16.0 / 12, 16.0 / 8, 14.0 / 8]
        #expect(abs(f["cm_contrast_2D_avg"]! - perDirection.reduce(0, +) / 4) < 1e-12)
        // One slice: 2.5D equals 2D.
        let f25 = SmallImage.dictionary(GLCM.compute(SmallImage.roi, dimension: .twoAndHalfD))
        for name in GLCM.featureNames {
            #expect(abs(f25["cm_\(name)_2_5D_avg"]! - f["cm_\(name)_2D_avg"]!) < 1e-12)
            #expect(abs(f25["cm_\(name)_2_5D_comb"]! - f["cm_\(name)_2D_comb"]!) < 1e-12)
        }
    }

    @Test(.enabled(if: DigitalPhantom.available, DigitalPhantom.skipReason), arguments: TextureDimension.allCases)
    func matchesDigitalPhantom(_ dimension: TextureDimension) throws {
        let (_, discretised) = try DigitalPhantom.load()
        let features = GLCM.compute(discretised, dimension: dimension)
        #expect(features.count == 2 * GLCM.featureNames.count)
        expectWithinTolerance(features, prefixes: GLCM.featureNames.map { "cm_\($0)_\(dimension.rawValue)_" },
                              reference: try DigitalPhantom.reference())
    }
}

@Suite(.enabled(if: ChestConfigA.available, ChestConfigA.skipReason))
struct GLCMTestsChestConfigA {
    @Test(arguments: [TextureDimension.twoD, .twoAndHalfD])
    func matchesConfigA(_ dimension: TextureDimension) throws {
        let a = try ChestConfigA.shared.get()
        let clock = ContinuousClock()
        var features: [FeatureValue] = []
        let elapsed = clock.measure { features = GLCM.compute(a.discretised, dimension: dimension) }
        let ref = try ChestConfigA.reference()
        let prefixes = GLCM.featureNames.map { "cm_\($0)_\(dimension.rawValue)_" }
        print(ChestConfigA.report("GLCM \(dimension.rawValue) (\(elapsed))", features, prefixes: prefixes, reference: ref))
        let values = SmallImage.dictionary(features)
        print("config A cm_inv_diff_norm_\(dimension.rawValue)_avg = \(values["cm_inv_diff_norm_\(dimension.rawValue)_avg"]!),",
              "cm_inv_diff_mom_norm_\(dimension.rawValue)_avg = \(values["cm_inv_diff_mom_norm_\(dimension.rawValue)_avg"]!)",
              "(N_g = \(a.discretised.levelCount))")
        expectWithinTolerance(features, prefixes: prefixes, reference: ref)
    }
}
