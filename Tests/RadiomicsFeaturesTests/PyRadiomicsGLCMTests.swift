import Foundation
import RadiomicsCore
@testable import RadiomicsFeatures
import Testing
import TestSupport

/// A 5 x 4 x 3 image with an irregular mask filling its bounding box, spacing (0.8, 1.1, 2.5) mm, and values
/// PyRadiomics 3.1 (radiomics.glcm / radiomics.glrlm classes run directly, binWidth 20) gives on it for settings
/// the reference columns do not cover (weighting norms, asymmetric GLCM, two distances, force2D on x).
enum PyRadiomicsTextureFixture {
    static let image: [Double] = [
        1, 54, 49, -20, -12, -21, 23, -2, 30, -74, 63, -4, 27, -5, -15, 19, 33, -8, -6, 27,
        -35, -61, 16, -27, -77, -33, -19, -48, -60, 1, 36, -9, -30, 15, 29, -12, 22, 42, -8, -33,
        14, 10, 44, -51, -26, -34, -69, 5, 21, -30, 55, 33, 25, 16, 38, -53, 25, 24, -71, 14,
    ]
    static let mask: [UInt8] = [
        1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1,
        1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1,
        1, 1, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1,
    ]
    static let roi = PyRadiomicsROI(size: SIMD3(5, 4, 3), spacing: SIMD3(0.8, 1.1, 2.5), image: image, mask: mask)

    /// (settings, GLCM Contrast, Correlation, Imc1, MCC, SumSquares, GLRLM RunEntropy, RunPercentage,
    /// LongRunHighGrayLevelEmphasis).
    static let cases: [(PyRadiomicsSettings, [Double])] = {
        func settings(_ change: (inout PyRadiomicsSettings) -> Void) -> PyRadiomicsSettings {
            var s = PyRadiomicsSettings()
            s.binWidth = 20
            change(&s)
            return s
        }
        return [
            (settings { _ in }, [5.937790912790913, -0.07722198632695729, -0.3794570310412502, 0.7178349117084359,
                                 2.7730198639566126, 2.9101537361091023, 0.9322344322344324, 25.95407296805539]),
            (settings { $0.symmetricalGLCM = false }, [5.937790912790913, -0.07872848902657498, -0.46529983449579065,
                                                       0.8595296313341284, 2.5067981972488345, 2.9101537361091023,
                                                       0.9322344322344324, 25.95407296805539]),
            (settings { $0.weightingNorm = "manhattan" }, [6.394165102394021, -0.04472955672726849, -0.1191462293863953,
                                                           0.44294629101078453, 3.0602011119626282, 2.9586969050925407,
                                                           0.9435425685425685, 24.868667558784175]),
            (settings { $0.weightingNorm = "euclidean" }, [6.438074005340846, -0.04766970501216819, -0.09295487557220546,
                                                           0.42942856434066745, 3.072568565522314, 2.9645004138640245,
                                                           0.942098613630125, 24.950757484226585]),
            (settings { $0.weightingNorm = "infinity" }, [6.470624501746851, -0.050182464232285284, -0.08400985243959513,
                                                          0.4264638638091975, 3.080714410174936, 2.9629528168637043,
                                                          0.9423558897243107, 24.91451367781155]),
            (settings { $0.distances = [1, 2] }, [6.035759815472931, -0.098575402832058, -0.5283984751740172,
                                                  0.8633925771690879, 2.75936769292986, 2.9101537361091023,
                                                  0.9322344322344324, 25.95407296805539]),
            (settings { $0.force2D = true; $0.force2Ddimension = 2 }, [6.332407407407406, -0.14634397127380255,
                                                                      -0.3496880429150048, 0.7001279572753826,
                                                                      2.7139909122085046, 2.9442457929515764,
                                                                      0.9226190476190476, 25.8347334682861]),
        ]
    }()
}

@Suite struct PyRadiomicsGLCMTests {
    @Test func anglesMatchPyRadiomics() {
        // cMatrices.generate_angles((5, 5, 5), [1], False, False, 0), as (z, y, x) -> (x, y, z).
        let zyx = [[1, 1, 1], [1, 1, 0], [1, 1, -1], [1, 0, 1], [1, 0, 0], [1, 0, -1], [1, -1, 1], [1, -1, 0],
                   [1, -1, -1], [0, 1, 1], [0, 1, 0], [0, 1, -1], [0, 0, 1]]
        let a3 = PyRadiomicsAngles.generate(size: SIMD3(5, 5, 5), distances: [1], force2D: false, force2Ddimension: 0)
        #expect(a3 == zyx.map { SIMD3($0[2], $0[1], $0[0]) })
        let a2 = PyRadiomicsAngles.generate(size: SIMD3(5, 5, 5), distances: [1], force2D: true, force2Ddimension: 0)
        #expect(a2 == [SIMD3(1, 1, 0), SIMD3(0, 1, 0), SIMD3(-1, 1, 0), SIMD3(1, 0, 0)])
        // A single slice has no z offsets; distances 1 and 2 in a 5 x 5 slice: 24 offsets, bidirectional.
        let both = PyRadiomicsAngles.generate(size: SIMD3(5, 5, 1), distances: [1, 2], force2D: false, force2Ddimension: 0,
                                              bidirectional: true)
        #expect(both.count == 24 && both.first == SIMD3(2, 2, 0) && both.last == SIMD3(-2, -2, 0))
        #expect(both.allSatisfy { $0.z == 0 })
    }

    @Test func eigenvaluesOfGeneralMatrix() throws {
        // Rotation-like block with eigenvalues 2 ± 3i, plus 5 and -1.
        var a: [Double] = [2, -3, 0, 1,
                           3, 2, 1, 0,
                           0, 0, 5, 4,
                           0, 0, 0, -1]
        let ev = try #require(PyRadiomicsGLCM.eigenvalues(&a, n: 4)).sorted { $0.re != $1.re ? $0.re < $1.re : $0.im < $1.im }
        let expected: [(Double, Double)] = [(-1, 0), (2, -3), (2, 3), (5, 0)]
        for (e, x) in zip(ev, expected) { #expect(abs(e.re - x.0) < 1e-12 && abs(e.im - x.1) < 1e-12) }
    }

    /// Weighting norms, asymmetric matrices, two distances and force2D on x against PyRadiomics' own values.
    @Test func settingsBeyondReferenceColumns() {
        let levels = PyRadiomicsBinning.discretise(PyRadiomicsTextureFixture.roi, binWidth: 20, binCount: nil).levels
        for (settings, expected) in PyRadiomicsTextureFixture.cases {
            let f = Dictionary(uniqueKeysWithValues: PyRadiomicsGLCM.features(levels: levels, roi: PyRadiomicsTextureFixture.roi,
                                                                              settings: settings).map { ($0.name, $0.value) })
            for (name, ref) in zip(["Contrast", "Correlation", "Imc1", "MCC", "SumSquares"], expected) {
                #expect(PyRadiomicsReference.agrees(f[name]!, ref), "\(name) \(settings): ours \(f[name]!), PyRadiomics \(ref)")
            }
        }
    }

    /// One grey level: MCC is 1 (glcm.py's flat-region rule), Correlation 1, Imc1 and Imc2 0.
    @Test func flatRegion() {
        let roi = PyRadiomicsROI(size: SIMD3(3, 3, 2), spacing: SIMD3(1, 1, 1), image: [Double](repeating: 7, count: 18),
                                 mask: [UInt8](repeating: 1, count: 18))
        let f = Dictionary(uniqueKeysWithValues: PyRadiomicsGLCM.features(levels: [Int32](repeating: 1, count: 18), roi: roi,
                                                                          settings: PyRadiomicsSettings()).map { ($0.name, $0.value) })
        #expect(f["MCC"] == 1 && f["Correlation"] == 1 && f["Imc1"] == 0 && f["Imc2"] == 0)
        #expect(f["JointAverage"] == 1 && f["Contrast"] == 0)
    }
}
