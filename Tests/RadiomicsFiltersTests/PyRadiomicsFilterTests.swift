import Foundation
import RadiomicsCore
import Testing
@testable import RadiomicsFilters

/// PyRadiomics' image types on a small image whose odd sizes and edges exercise every boundary rule (the wavelet's
/// wrap padding, the recursive Gaussian's border extension, the gradient's repeated border, the pattern's zeros
/// outside the slice), against the libraries PyRadiomics calls. The references were printed by this script with
/// pyradiomics-bhklab 3.1.4, SimpleITK 2.5.7, PyWavelets 1.9.0, scikit-image 0.26.0, numpy 2.4.6 (Python 3.11):
///
///     a[k, j, i] = ((i * 37 + j * 101 + k * 53) % 97) - 40 + (i * j) % 7   (int16, 9 x 7 x 5, spacing 0.8, 0.9, 2.5)
///     LaplacianRecursiveGaussianImageFilter(NormalizeAcrossScale=True, Sigma=1.5); imageoperations.getWaveletImage(
///     wavelet=..., start_level=..., level=...); GradientMagnitudeImageFilter(); skimage.feature.local_binary_pattern(
///     a[k], P=8, R=1, method=...) per slice; each image's sum and its values at five voxels (i, j, k).
/// The full 1,688-value comparison on PyRadiomics' test cases is PyRadiomicsImageTypesTests.
@Suite struct PyRadiomicsFilterTests {
    static let size = SIMD3(9, 7, 5)
    static let grid = ImageGeometry(size: size, spacing: [0.8, 0.9, 2.5])
    static let image: Volume<Double> = {
        var v = [Double](repeating: 0, count: size.x * size.y * size.z)
        for k in 0..<size.z { for j in 0..<size.y { for i in 0..<size.x {
            v[i + size.x * (j + size.y * k)] = Double(((i * 37 + j * 101 + k * 53) % 97) - 40 + (i * j) % 7)
        } } }
        return Volume(geometry: grid, voxels: v)
    }()
    static let whole = BoundingBox(size: size)
    static let picks: [SIMD3<Int>] = [[0, 0, 0], [4, 3, 2], [8, 6, 4], [1, 5, 3], [7, 0, 1]]

    /// Sum within 1e-9 relative, picked voxels within 1e-7 relative (1e-12 absolute near zero).
    static func check(_ name: String, _ values: [Double], sum: Double, picks expected: [Double],
                      sourceLocation: SourceLocation = #_sourceLocation) {
        let total = values.reduce(0, +)
        #expect(abs(total - sum) <= 1e-9 * max(1, abs(sum)), "\(name): sum \(total), expected \(sum)", sourceLocation: sourceLocation)
        for (p, e) in zip(picks, expected) {
            let v = values[p.x + size.x * (p.y + size.y * p.z)]
            #expect(abs(v - e) <= max(1e-12, 1e-7 * abs(e)), "\(name) at \(p): \(v), expected \(e)", sourceLocation: sourceLocation)
        }
    }

    @Test func laplacianOfGaussianAsSimpleITK() {
        let r = LaplacianRecursiveGaussian.response(ImageWindow(Self.image), box: Self.whole, sigma: 1.5)
        Self.check("LoG 1.5", r, sum: -464.208924904844,
                   picks: [15.50633716583252, -1.9780079126358032, 12.793336868286133, -6.54266881942749, -9.463433265686035])
        // On a window holding only what a box reads, the box's values are the whole image's.
        let box = BoundingBox(lower: [3, 2, 1], upper: [5, 4, 3])
        let region = LaplacianRecursiveGaussian.region(for: box, size: Self.size, sigma: 1.5, spacing: Self.grid.spacing)
        let window = ImageWindow(grid: Self.grid, region: region, values: Self.image.cropped(to: region).voxels)
        let part = LaplacianRecursiveGaussian.response(window, box: box, sigma: 1.5)
        let cropped = Volume(geometry: Self.grid, voxels: r).cropped(to: box).voxels
        #expect(part == cropped)
    }

    @Test(arguments: [
        ("coif1", 0, 1, "wavelet-HLH", -89.56181671023016,
         [57.86504336469605, 87.04702170482548, -5.444438169624886, -68.19784226132423, -39.82455429144347]),
        ("coif1", 0, 1, "wavelet-LLL", 8515.817503879603,
         [-57.394659226514236, 27.70637889284208, 22.361819016749813, 25.948617158014866, 17.96893562870174]),
        ("haar", 1, 2, "wavelet2-HLH", -441.54399067717515,
         [17.147339443773795, 8.573669721886894, -4.286834860943458, -12.860504582830343, 0.0]),
        ("haar", 1, 2, "wavelet2-LLL", 57669.55194740512,
         [293.27253749712065, 154.59122003690902, -505.625542722206, 206.43098593264787, 135.7645019878172]),
        ("db2", 0, 2, "wavelet-HLH", -149.05954963369587,
         [64.20496027972294, 76.58870052744432, -6.009815769556516, -63.307759422755325, -20.957409969608285]),
        ("db2", 0, 2, "wavelet2-HLH", -157.74193455596463,
         [20.933805161652504, 5.161719196333399, -32.06834193684731, -31.288482642499414, 4.64794703898091]),
        ("db2", 0, 2, "wavelet2-LLL", 21594.41704205947,
         [-242.4118110387769, 86.55811216281941, 73.19053426451833, 71.96623300996353, 76.35505326576184]),
    ] as [(String, Int, Int, String, Double, [Double])])
    func waveletAsPyRadiomics(_ wavelet: String, _ start: Int, _ levels: Int, _ band: String, _ sum: Double, _ picks: [Double]) throws {
        let bank = try #require(PyWavelets.bank(wavelet))
        let bands = PyRadiomicsWavelet.responses(ImageWindow(Self.image), box: Self.whole, bank: bank, startLevel: start, levels: levels)
        // PyRadiomics' order: per level LLH, LHL, LHH, HLL, HLH, HHL, HHH; the last approximation last.
        #expect(bands.count == 7 * levels + 1)
        #expect(bands.prefix(7).map { String($0.name.split(separator: "-")[1]) } == ["LLH", "LHL", "LHH", "HLL", "HLH", "HHL", "HHH"])
        let values = try #require(bands.first { $0.name == band }?.values, "no band \(band) in \(bands.map(\.name))")
        Self.check("\(wavelet) \(band)", values, sum: sum, picks: picks)
    }

    @Test func gradientAsSimpleITK() {
        let r = PyRadiomicsPointFilters.gradientMagnitude(ImageWindow(Self.image), box: Self.whole, useSpacing: true)
        Self.check("gradient", r, sum: 8853.402417182922,
                   picks: [25.535541534423828, 15.9135160446167, 28.4151668548584, 13.796891212463379, 14.65670108795166])
    }

    @Test(arguments: [
        (PyRadiomicsPointFilters.LBPMethod.uniform, 1463.0, [8.0, 1.0, 0.0, 7.0, 8.0]),
        (.default, 47686.0, [255.0, 64.0, 0.0, 251.0, 255.0]),
        (.ror, 20966.0, [255.0, 1.0, 0.0, 127.0, 255.0]),
        (.var, 129937.5204483836, [123.2750255954154, 392.25992602118805, 147.32196976742011, 337.4656537829353, 271.63892140937924]),
    ])
    func localBinaryPatternAsScikitImage(_ method: PyRadiomicsPointFilters.LBPMethod, _ sum: Double, _ picks: [Double]) {
        let r = PyRadiomicsPointFilters.localBinaryPattern2D(ImageWindow(Self.image), box: Self.whole, radius: 1, samples: 8,
                                                             method: method, axis: 2)
        Self.check("LBP \(method)", r, sum: sum, picks: picks)
    }

    @Test func everyPyWaveletsDiscreteWaveletIsThere() throws {
        #expect(PyWavelets.names.count == 106)
        let coif1 = try #require(PyWavelets.bank("coif1"))
        #expect(coif1.low.count == 6 && coif1.high.count == 6)
        // An orthogonal wavelet's low-pass filter sums to sqrt(2) and has unit energy.
        for name in ["haar", "db4", "sym8", "coif5"] {
            let bank = try #require(PyWavelets.bank(name))
            #expect(abs(bank.low.reduce(0, +) - 2.0.squareRoot()) < 1e-9, "\(name)")
            #expect(abs(bank.low.map { $0 * $0 }.reduce(0, +) - 1) < 1e-9, "\(name)")
        }
        #expect(PyWavelets.bank("mexh") == nil, "continuous wavelets have no filter bank")
    }

    @Test func radixSortAgreesWithSort() {
        var rng = SeededRandom(seed: 3)
        let values = (0..<5000).map { i -> Double in
            switch i % 5 {
            case 0: return 0
            case 1: return -0.0
            case 2: return rng.normal() * 1e-300
            default: return (rng.normal() * 1000).rounded() / 7
            }
        }
        let ours = SampleStatistics.radixSorted(values)
        #expect(ours.map(\.bitPattern) == values.sorted { $0 < $1 || ($0 == $1 && $0.sign == .minus && $1.sign == .plus) }.map(\.bitPattern))
    }
}
