import Foundation
import RadiomicsCore
import RadiomicsFeatures
import Testing
import TestSupport

/// Acceptance of PyRadiomics' image types: ../shared/data/pyradiomics/image_types/reference.csv (PyRadiomics 3.1
/// with image_types/params.yaml, unchanged, on brain1, brain2 and breast1: Original, Wavelet, LoG 1/3/5 mm,
/// Square, SquareRoot, Logarithm, Exponential, Gradient, LBP2D; 1,688 values per case), every value within 1e-6
/// relative (1e-9 absolute near zero), with PyRadiomics' keys in its order.
@Suite struct PyRadiomicsImageTypesTests {
    static let directory = PyRadiomicsReference.directory + "/image_types"
    static let available = SharedData.exists("data/pyradiomics/image_types/reference.csv")

    /// reference.csv: keys in order, and per case the values.
    static func reference() throws -> (keys: [String], values: [String: [Double]]) {
        let text = try String(contentsOfFile: directory + "/reference.csv", encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        var keys: [String] = [], values: [String: [Double]] = [:]
        for line in lines {
            let cells = line.split(separator: ",").map(String.init)
            keys.append(cells[0])
            for (column, cell) in zip(header.dropFirst(), cells.dropFirst()) { values[column, default: []].append(Double(cell)!) }
        }
        return (keys, values)
    }

    @Test(.enabled(if: available, "PyRadiomics image-type reference absent (../shared/data/pyradiomics/image_types)"),
          arguments: PyRadiomicsReference.cases)
    func everyImageType(caseName: String) throws {
        let reference = try Self.reference()
        let parameters = try PyRadiomicsParameters.load(path: Self.directory + "/params.yaml")
        #expect(parameters.warnings.isEmpty, "unused keys \(parameters.warnings)")
        let loaded = try PyRadiomicsReference.load(caseName)
        let mask = Mask(geometry: loaded.mask.geometry, voxels: loaded.mask.voxels.map { $0 == 1 ? 1 : 0 })
        let output = try PyRadiomicsExtractor.extract(image: loaded.image, pixelType: .int16, mask: mask, parameters: parameters)
        #expect(output.features.map(\.key) == reference.keys, "keys or their order differ from PyRadiomics'")
        let ours = Dictionary(output.features.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let expected = try #require(reference.values[caseName])
        var failures: [String] = []
        var worst: [String: (Double, String)] = [:]
        for (key, value) in zip(reference.keys, expected) {
            guard let v = ours[key] else { failures.append("\(key): missing"); continue }
            let image = String(key.prefix { $0 != "_" })
            let rel = v == value ? 0 : abs(v - value) / max(abs(value), 1e-300)
            if rel > (worst[image]?.0 ?? -1) { worst[image] = (rel, key) }
            if !PyRadiomicsReference.agrees(v, value) {
                failures.append("\(key): ours \(v), PyRadiomics \(value), rel \(rel)")
            }
        }
        let summary = worst.sorted { $0.key < $1.key }.map { "\($0.key): worst rel \($0.value.0) (\($0.value.1))" }
        print("\(caseName) image types:\n" + summary.joined(separator: "\n"))
        #expect(failures.isEmpty, "\(caseName): \(failures.count) of \(expected.count) values differ:\n\(failures.prefix(60).joined(separator: "\n"))")
    }
}

/// Every image-type key away from its default (force2D across y, a two-level db2 wavelet from level 1, integer
/// sigmas, gradient without spacing, a 12-sample ror pattern of radius 1.5, a binWidth for Original alone):
/// Tests/Fixtures/pyradiomics/image-types-custom.yaml on breast1 against PyRadiomics' 928 values in
/// image-types-custom-breast1.csv (`pyradiomics breast1_image.nii.gz breast1_label.nii.gz --param
/// image-types-custom.yaml -f csv`, pyradiomics-bhklab 3.1.4, SimpleITK 2.5.7, PyWavelets 1.9.0, scikit-image 0.26.0).
@Suite struct PyRadiomicsCustomImageTypesTests {
    @Test(.enabled(if: PyRadiomicsReference.available, "PyRadiomics reference data absent (../shared/data/pyradiomics)"))
    func everyKeyAsPyRadiomics() throws {
        let fixtures = SharedData.repositoryRoot + "/Tests/Fixtures/pyradiomics/"
        let parameters = try PyRadiomicsParameters.load(path: fixtures + "image-types-custom.yaml")
        let reference = try String(contentsOfFile: fixtures + "image-types-custom-breast1.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        let loaded = try PyRadiomicsReference.load("breast1")
        let mask = Mask(geometry: loaded.mask.geometry, voxels: loaded.mask.voxels.map { $0 == 1 ? 1 : 0 })
        let output = try PyRadiomicsExtractor.extract(image: loaded.image, pixelType: .int16, mask: mask, parameters: parameters)
        #expect(output.features.map(\.key) == reference.map { $0[0] })
        let ours = Dictionary(output.features.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        var failures: [String] = []
        for row in reference {
            guard let v = ours[row[0]], let e = Double(row[1]) else { failures.append("\(row[0]): missing"); continue }
            if !PyRadiomicsReference.agrees(v, e) { failures.append("\(row[0]): ours \(v), PyRadiomics \(e)") }
        }
        #expect(reference.count == 928 && failures.isEmpty, "\(failures.count) differ:\n\(failures.prefix(30).joined(separator: "\n"))")
    }
}

/// How a parameter file's `imageType:` section is read: file order, each type's own settings over `setting:`,
/// PyRadiomics' names, and a clear error for what cannot be computed.
@Suite struct PyRadiomicsImageTypeParameterTests {
    @Test func typesKeepTheFileOrderAndTheirOwnSettings() throws {
        let p = try PyRadiomicsParameters.parse("""
            imageType:
              LoG: {sigma: [1, 2.5], binWidth: 5}
              Original: {}
              Wavelet: {wavelet: db2, level: 2, start_level: 1}
              LBP2D: {lbp2DMethod: ror, lbp2DRadius: 2}
            setting:
              binWidth: 10
              sigma: [3.0]
            """)
        #expect(p.imageTypes.map(\.kind) == [.log, .original, .wavelet, .lbp2D])
        let log = p.imageTypes[0].settings
        #expect(log.binWidth == 5 && log.sigma.map(\.text) == ["1", "2.5"], "the type's own keys win")
        #expect(p.imageTypes[1].settings.binWidth == 10 && p.imageTypes[1].settings.sigma.map(\.text) == ["3.0"])
        let wavelet = p.imageTypes[2].settings
        #expect(wavelet.wavelet == "db2" && wavelet.level == 2 && wavelet.startLevel == 1)
        #expect(p.imageTypes[3].settings.lbp2DMethod == "ror" && p.imageTypes[3].settings.lbp2DRadius == 2)
        #expect(p.settings.binWidth == 10, "preprocessing and shape use setting: alone")
        #expect(p.warnings.isEmpty, "\(p.warnings)")
        // Without an imageType section PyRadiomics computes Original alone.
        #expect(try PyRadiomicsParameters.parse("setting:\n  binWidth: 10\n").imageTypes.map(\.kind) == [.original])
    }

    @Test(arguments: [
        ("imageType:\n  LBP3D: {}\n", "LBP3D is not supported"),
        ("imageType:\n  Sobel: {}\n", "imageType Sobel is unknown"),
        ("imageType:\n  Wavelet: {wavelet: mexh}\n", "wavelet: must be a discrete wavelet PyWavelets knows"),
        ("imageType:\n  LoG: {sigma: [0]}\n", "sigmas must be more than 0"),
        ("imageType:\n  LoG: {sigma: 3}\n", "sigma: must be a list"),
        ("imageType:\n  Wavelet: {level: 1000}\n", "level: must be between 1 and 16"),
        ("imageType:\n  LBP2D: {lbp2DMethod: nri_uniform}\n", "lbp2DMethod: must be default, ror, uniform or var"),
        ("imageType:\n  LBP2D: {lbp2DSamples: 40}\n", "lbp2DSamples: must be between 1 and 31"),
        ("imageType: {}\n", "no image type is enabled"),
        ("imageType:\n  Wavelet: {wavelet: dmey, level: 8, start_level: 2}\n", "reaches 610 voxels; at most 512"),
    ])
    func whatCannotBeComputedIsRefusedByName(_ yaml: String, _ message: String) {
        #expect {
            _ = try PyRadiomicsParameters.parse(yaml, path: "p.yaml")
        } throws: { error in
            "\(error)".contains(message) && "\(error)".contains("p.yaml")
        }
    }

    /// A 12 x 12 x 6 image at 1 mm (values cycling 0-12) and a 4 x 4 x 2 ROI in its middle.
    static let small: (image: Volume<Double>, mask: Mask) = {
        let g = ImageGeometry(size: [12, 12, 6], spacing: [1, 1, 1])
        let image = Volume(geometry: g, voxels: (0..<g.voxelCount).map { Double($0 % 13) })
        var mask = Mask(geometry: g, voxels: [UInt8](repeating: 0, count: g.voxelCount))
        for k in 2...3 { for j in 4...7 { for i in 4...7 { mask.voxels[g.linearIndex(i, j, k)] = 1 } } }
        return (image, mask)
    }()

    @Test func aFilterGivingNonFiniteValuesIsAClearError() throws {
        // A sigma far below the spacing makes ITK's IIR coefficients 0/0: the image is NaN, not features.
        let (image, mask) = Self.small
        let g = image.geometry
        let p = try PyRadiomicsParameters.parse("imageType:\n  LoG: {sigma: [0.001]}\nfeatureClass:\n  firstorder: [Mean]\n")
        #expect {
            _ = try PyRadiomicsExtractor.extract(image: image, pixelType: .float64, mask: mask, parameters: p)
        } throws: { "\($0)".contains("the log-sigma-0-001-mm-3D image is NaN inside the ROI") }
        // LBP2D's var of a flat neighbourhood is NaN, which an int16 image stores as 0 (numpy's cast).
        let flat = Volume(geometry: g, voxels: [Double](repeating: 7, count: g.voxelCount))
        let lbp = try PyRadiomicsParameters.parse("imageType:\n  LBP2D: {lbp2DMethod: var}\nfeatureClass:\n  firstorder: [Mean]\n")
        let out = try PyRadiomicsExtractor.extract(image: flat, pixelType: .int16, mask: mask, parameters: lbp)
        #expect(out.features.map(\.value) == [0])
    }

    @Test func imagesTooSmallForALoGAreSkippedWithAWarning() throws {
        // PyRadiomics skips a sigma whose sigma / spacing + 1 exceeds the image, and LoG altogether under 4 voxels.
        let (image, mask) = Self.small
        let p = try PyRadiomicsParameters.parse("imageType:\n  LoG: {sigma: [1.0, 8.0]}\nfeatureClass:\n  firstorder: [Mean]\n")
        let out = try PyRadiomicsExtractor.extract(image: image, pixelType: .float64, mask: mask, parameters: p)
        #expect(out.features.map(\.key) == ["log-sigma-1-0-mm-3D_firstorder_Mean"])
        #expect(out.warnings.contains { $0.contains("sigma 8.0") }, "\(out.warnings)")
    }
}

/// Reading only the part an extraction needs (`PyRadiomicsExtractor.regionNeeded`: the ROI's box and what resampling
/// and the filters reach, with the whole image's extremes where Square's family needs them) gives exactly the values
/// of reading the whole image, for every way the reach is set; and the image as stored (Int16, which LoG reads in
/// place) gives exactly what the same image in Double gives.
@Suite struct PyRadiomicsSlabTests {
    /// A 48 x 40 x 140 Int16 CT-like image at 0.8 x 0.8 x 1.25 mm (smooth structure plus noise) and a ROI of
    /// about 1,300 voxels in slices 60-71, off the image's centre (so that short reaches stop inside the slices).
    static let scan: (image: ScalarImage, mask: Mask) = {
        let g = ImageGeometry(size: [48, 40, 140], spacing: [0.8, 0.8, 1.25], origin: [-11.3, 7.9, -40.6])
        var random = SeededRandom(seed: 21)
        var voxels = [Int16](repeating: 0, count: g.voxelCount)
        var mask = Mask(geometry: g, repeating: 0)
        for k in 0..<140 {
            for j in 0..<40 {
                for i in 0..<48 {
                    let n = g.linearIndex(i, j, k)
                    let smooth = 60 * sin(Double(i) / 4) + 40 * cos(Double(j + k) / 6) + Double(k % 17) * 5
                    voxels[n] = Int16(smooth + 30 * random.uniform())
                    let d = SIMD3<Double>(Double(i) - 13.5, Double(j) - 11, (Double(k) - 65.5) * 1.25 / 0.8)
                    if (d * d).sum() < 56 && (60...71).contains(k) { mask.voxels[n] = 1 }
                }
            }
        }
        return (.int16(Volume(geometry: g, voxels: voxels)), mask)
    }()

    @Test(arguments: [
        // exampleCT.yaml's kind: B-spline resampling, pad 10, LoG and Wavelet on the resampled box.
        ("setting: {interpolator: sitkBSpline, resampledPixelSpacing: [1, 1, 1], padDistance: 10, binWidth: 25}\nimageType:\n  Original: {}\n  LoG: {sigma: [1.0, 3.0]}\n  Wavelet: {}\n", "slices"),
        ("setting: {interpolator: sitkLinear, resampledPixelSpacing: [0.5, 0.5, 2], binWidth: 10, resegmentRange: [0, 150]}\nimageType:\n  Original: {}\n  LoG: {sigma: [2.0]}\n", "box"),
        // No resampling: the filters read around the ROI in the whole image (LoG 16 sigma, wavelet over 2 levels).
        ("setting: {binWidth: 25}\nimageType:\n  Original: {}\n  LoG: {sigma: [1.0, 3.0]}\n  Wavelet: {wavelet: db2, level: 2}\n  Gradient: {}\n  LBP2D: {}\n", "slices"),
        ("setting: {binWidth: 25, resegmentRange: [20, 200], resegmentShape: true}\nimageType:\n  LoG: {sigma: [0.5]}\n  Wavelet: {}\n", "box"),
        ("setting: {binWidth: 25, preCrop: true, padDistance: 3}\nimageType:\n  Original: {}\n  LoG: {sigma: [1.0]}\n", "box"),
        // The largest value that Square scales by: the whole image's extremes, given beside the part read.
        ("setting: {binWidth: 25}\nimageType:\n  Square: {}\n  Original: {}\n", "box"),
        // The whole image: normalisation's statistics.
        ("setting: {binWidth: 0.25, normalize: true}\nimageType:\n  Original: {}\n", "whole"),
    ])
    func partGivesTheWholeImagesValues(_ yaml: String, _ part: String) throws {
        let (image, mask) = Self.scan
        let g = image.geometry
        let p = try PyRadiomicsParameters.parse(yaml + "featureClass:\n  shape:\n  firstorder:\n  glcm:\n  glszm:\n")
        let roi = mask.boundingBox!
        let needed = PyRadiomicsExtractor.regionNeeded(grid: g, roiBox: roi, parameters: p)
        // "box": less than the slices in plane too; "slices": whole slices (the reach crosses the image's sides).
        #expect((needed != nil) == (part != "whole"), "\(String(describing: needed))")
        guard let region = needed else { return }
        #expect(region.size.z < g.size.z && region.contains(roi), "\(region)")
        #expect((region.size.x < g.size.x && region.size.y < g.size.y) == (part == "box"), "\(region)")
        let whole = try PyRadiomicsExtractor.extract(source: PyRadiomicsSource(image), mask: mask, parameters: p)
        // The stored Int16 image (LoG reads it as Float) gives what the same image held in Double gives.
        let asDouble = try PyRadiomicsExtractor.extract(image: image.cropped(to: BoundingBox(size: g.size)), pixelType: .int16,
                                                        mask: mask, parameters: p)
        #expect(asDouble.features.map(\.key) == whole.features.map(\.key))
        #expect(zip(asDouble.features, whole.features).allSatisfy { $0.value == $1.value || ($0.value.isNaN && $1.value.isNaN) })
        let partImage: ScalarImage
        switch image {
        case .int16(let v): partImage = .int16(v.cropped(to: region))
        case .float(let v): partImage = .float(v.cropped(to: region))
        }
        let extremes = PyRadiomicsExtractor.needsWholeExtremes(p) ? image.extremes : nil
        let part = try PyRadiomicsExtractor.extract(source: PyRadiomicsSource(partImage, whole: g, offset: region.lower, wholeExtremes: extremes),
                                                    mask: mask.cropped(to: region), maskOffset: region.lower, parameters: p)
        #expect(part.features.count == whole.features.count && part.features.count > 100)
        #expect(part.features.map(\.key) == whole.features.map(\.key))
        let differing = zip(part.features, whole.features).filter { $0.value != $1.value && !($0.value.isNaN && $1.value.isNaN) }
        #expect(differing.isEmpty, "\(differing.prefix(5).map { "\($0.0.key): \($0.0.value) vs \($0.1.value)" })")
    }
}
