import Foundation
import RadiomicsCore
import RadiomicsFeatures
import Testing
import TestSupport

@Suite struct PyRadiomicsFirstOrderTests {
    /// Binning by the edges' spacing and a correction gives numpy.digitize's bin (the binary search) for every
    /// value: on the edges themselves, an ulp either side, between them, for bin widths whose edges round
    /// (0.1, 25, 1/3) and for bin counts (whose last edge is raised by 1).
    @Test func binningMatchesDigitize() {
        var random = SeededRandom(seed: 9)
        for (width, count) in [(0.1, nil), (25.0, nil), (1.0 / 3, nil), (1.0, 16 as Int?), (1.0, 64)] as [(Double, Int?)] {
            var values = (0..<2000).map { _ in -1024.7 + 3000.3 * random.uniform() }
            let e = PyRadiomicsBinning.edges(values, binWidth: width, binCount: count)
            let (lo, hi) = (values.min()!, values.max()!)
            values += e.flatMap { [$0, $0.nextUp, $0.nextDown] }.filter { $0 >= lo && $0 <= hi }
            let roi = PyRadiomicsROI(size: SIMD3(values.count, 1, 1), spacing: SIMD3(1, 1, 1), image: values,
                                     mask: [UInt8](repeating: 1, count: values.count))
            let (levels, edges) = PyRadiomicsBinning.discretise(roi, binWidth: width, binCount: count)
            #expect(edges == e)
            let expected = values.map { PyRadiomicsBinning.digitize($0, e) }
            #expect(levels == expected, "width \(width), count \(String(describing: count))")
        }
    }

    /// A hand-checkable case: values 1...10 in a 10-voxel row (voxel 2 × 1 × 0.5 mm), shift 10, bin width 5.
    /// numpy: percentile(x, 10) = 1.9, percentile(x, 90) = 9.1, IQR = 7.75 - 3.25 = 4.5, median 5.5;
    /// central moments m2 = 8.25, m3 = 0, m4 = 120.8625; rMAD over 2...9 = 2.
    @Test func smallRow() throws {
        let values = (1...10).map(Double.init)
        let roi = PyRadiomicsROI(size: SIMD3(10, 1, 1), spacing: SIMD3(2, 1, 0.5), image: values,
                                 mask: [UInt8](repeating: 1, count: 10))
        var settings = PyRadiomicsSettings()
        settings.binWidth = 5
        settings.voxelArrayShift = 10
        let levels = PyRadiomicsBinning.discretise(roi, binWidth: 5, binCount: nil).levels // 1...4 -> 1, 5...9 -> 2, 10 -> 3
        let f = Dictionary(uniqueKeysWithValues: PyRadiomicsFirstOrder.features(roi, levels: levels, settings: settings)
            .map { ($0.name, $0.value) })
        let energy = values.reduce(0) { $0 + ($1 + 10) * ($1 + 10) }
        let p = [0.4, 0.5, 0.1]
        let expected: [String: Double] = [
            "10Percentile": 1.9, "90Percentile": 9.1, "InterquartileRange": 4.5, "Median": 5.5, "Mean": 5.5,
            "Minimum": 1, "Maximum": 10, "Range": 9, "Energy": energy, "TotalEnergy": energy,
            "RootMeanSquared": (energy / 10).squareRoot(), "MeanAbsoluteDeviation": 2.5, "Variance": 8.25,
            "Skewness": 0, "Kurtosis": 120.8625 / (8.25 * 8.25), "RobustMeanAbsoluteDeviation": 2,
            "Entropy": -p.reduce(0) { $0 + $1 * log2($1 + Double.ulpOfOne) }, "Uniformity": 0.42,
        ]
        for (name, value) in expected {
            let ours = try #require(f[name])
            #expect(PyRadiomicsReference.agrees(ours, value, relative: 1e-12), "\(name): ours \(ours), expected \(value)")
        }
    }
}
