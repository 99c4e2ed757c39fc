import Foundation
import RadiomicsCore
@testable import RadiomicsFeatures
import Testing
import TestSupport

@Suite struct PyRadiomicsGLRLMTests {
    /// A 3 x 2 x 1 image: rows (1 1 2) and (2 2 2); in-plane directions only (single slice).
    @Test func runsOfSmallImage() {
        let roi = PyRadiomicsROI(size: SIMD3(3, 2, 1), spacing: SIMD3(1, 1, 1), image: [Double](repeating: 0, count: 6),
                                 mask: [UInt8](repeating: 1, count: 6))
        let levels: [Int32] = [1, 1, 2, 2, 2, 2]
        let grey = PyRadiomicsGLCM.GreyLevelIndex(levels: levels, mask: roi.mask)!
        let (p, count, nr) = PyRadiomicsGLRLM.matrices(grey: grey, roi: roi, settings: PyRadiomicsSettings())
        #expect(count == 4 && nr == 3)
        // Directions (x, y): (1, 1), (0, 1), (-1, 1), (1, 0); p[direction][grey level][run length - 1].
        // Values from PyRadiomics' cMatrices.calculate_glrlm on the same image.
        #expect(p == [2, 0, 0, 4, 0, 0,
                      2, 0, 0, 2, 1, 0,
                      2, 0, 0, 2, 1, 0,
                      0, 1, 0, 1, 0, 1])
    }

    /// Weighting norms (distance-weighted, unlike the GLCM) and force2D on x against PyRadiomics' own values.
    @Test func settingsBeyondReferenceColumns() {
        let levels = PyRadiomicsBinning.discretise(PyRadiomicsTextureFixture.roi, binWidth: 20, binCount: nil).levels
        for (settings, expected) in PyRadiomicsTextureFixture.cases {
            let f = Dictionary(uniqueKeysWithValues: PyRadiomicsGLRLM.features(levels: levels, roi: PyRadiomicsTextureFixture.roi,
                                                                               settings: settings).map { ($0.name, $0.value) })
            for (name, ref) in zip(["RunEntropy", "RunPercentage", "LongRunHighGrayLevelEmphasis"], expected.suffix(3)) {
                #expect(PyRadiomicsReference.agrees(f[name]!, ref), "\(name) \(settings): ours \(f[name]!), PyRadiomics \(ref)")
            }
        }
    }

    /// ROI voxels that never share a line along a direction: PyRadiomics empties those directions; with all of them
    /// empty every feature is NaN (checked with PyRadiomics on the same ROI, grey levels 1, 2, 2).
    @Test func isolatedVoxelsGiveNaN() {
        // (0,0,0), (1,2,4) and (4,4,1) of a 5 x 5 x 5 box: no two on a common line along any of the 13 directions.
        var mask = [UInt8](repeating: 0, count: 125), levels = [Int32](repeating: 0, count: 125)
        for ((i, j, k), level) in zip([(0, 0, 0), (4, 2, 1), (1, 4, 4)], [1, 2, 2] as [Int32]) {
            mask[i + 5 * (j + 5 * k)] = 1
            levels[i + 5 * (j + 5 * k)] = level
        }
        let roi = PyRadiomicsROI(size: SIMD3(5, 5, 5), spacing: SIMD3(1, 1, 1), image: [Double](repeating: 0, count: 125), mask: mask)
        #expect(PyRadiomicsGLRLM.features(levels: levels, roi: roi, settings: PyRadiomicsSettings()).allSatisfy { $0.value.isNaN })
        #expect(PyRadiomicsGLCM.features(levels: levels, roi: roi, settings: PyRadiomicsSettings()).allSatisfy { $0.value.isNaN })
    }
}
