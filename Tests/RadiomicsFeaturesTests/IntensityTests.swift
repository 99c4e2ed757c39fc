import Foundation
import RadiomicsCore
import RadiomicsFeatures
import RadiomicsIO
import Testing
import TestSupport

/// IBSI CT phantom (PAT1, GTV-1), configuration A: no interpolation, re-segmentation [-500, 400] HU,
/// fixed bin size 25 HU from -500, slice-wise (2D) texture.
enum ChestConfigA {
    static let imagePath = "data/ibsi/ct_radiomics_phantom/nifti/image/phantom.nii.gz"
    static let maskPath = "data/ibsi/ct_radiomics_phantom/nifti/mask/mask.nii.gz"
    static let available = SharedData.exists(imagePath) && SharedData.exists(maskPath)
    static let skipReason = Comment(rawValue: SharedData.missingReason)

    /// Number of grey levels: ceil((400 - -500) / 25) = 36 (levels floor((x + 500) / 25) + 1; the value 400
    /// itself would be level 37, but no voxel of the ROI reaches it).
    static let levelCount = 36

    struct Loaded: Sendable {
        var roi: ROIVolume
        var discretised: DiscretisedROI
    }

    /// Loaded once for all tests (the ROI box is small, the image is not).
    static let shared: Result<Loaded, Error> = Result { try load() }

    static func load() throws -> Loaded {
        let image = try Nifti.read(path: SharedData.path(imagePath))
        let (mask, _) = try MaskReader.read(path: SharedData.path(maskPath), onto: image.geometry)
        guard let box = mask.boundingBox else { throw RadiomicsError("empty GTV mask") }
        let crop = image.cropped(to: box)
        let roiMask = mask.cropped(to: box).voxels
        let hu = crop.voxels.map { Double(Float($0)).rounded() }
        let intensityMask: [UInt8] = zip(hu, roiMask).map { x, m in m != 0 && x >= -500 && x <= 400 ? 1 : 0 }
        let roi = ROIVolume(geometry: crop.geometry, intensities: hu, intensityMask: intensityMask,
                            morphologicalMask: roiMask)
        let levels: [Int32] = zip(hu, intensityMask).map { x, m in
            m != 0 ? Int32(((x + 500) / 25).rounded(.down)) + 1 : 0
        }
        let discretised = DiscretisedROI(size: crop.geometry.size, spacing: crop.geometry.spacing, levels: levels,
                                         levelCount: levelCount)
        return Loaded(roi: roi, discretised: discretised)
    }

    static func reference() throws -> [String: IBSIReference] { try ibsiReference("ibsi_1_chest_config_a.csv") }

    /// Every reference tag with one of `prefixes`, with our value, for reporting.
    static func report(_ label: String, _ features: [FeatureValue], prefixes: [String],
                       reference: [String: IBSIReference]) -> String {
        let computed = Dictionary(features.map { ($0.tag, $0.value) }, uniquingKeysWith: { a, _ in a })
        var failing: [String] = []
        var passed = 0, total = 0
        for (tag, ref) in reference.sorted(by: { $0.key < $1.key }) where prefixes.contains(where: { tag.hasPrefix($0) }) {
            total += 1
            if let v = computed[tag], ref.accepts(v) { passed += 1 } else {
                failing.append("\(tag): \(computed[tag].map { String($0) } ?? "missing") vs \(ref.value) ± \(ref.tolerance)")
            }
        }
        return "config A \(label): \(passed)/\(total) pass" + (failing.isEmpty ? "" : "; failing: " + failing.joined(separator: "; "))
    }
}

@Suite struct IntensityTestsDegenerate {
    /// An empty ROI gives NaN, a single voxel gives numbers where they are defined; nothing traps.
    @Test func emptyAndSingleVoxelROIs() {
        let g = ImageGeometry(size: SIMD3(2, 1, 1), spacing: SIMD3(1, 1, 1))
        let empty = ROIVolume(geometry: g, intensities: [5, 7], intensityMask: [0, 0], morphologicalMask: [0, 0])
        #expect(IntensityStatistics.compute(empty).allSatisfy { $0.value.isNaN })
        #expect(IntensityVolumeHistogram.compute(values: [], binning: .none(step: 1)).allSatisfy { $0.value.isNaN })
        let noLevels = DiscretisedROI(size: SIMD3(2, 1, 1), spacing: SIMD3(1, 1, 1), levels: [0, 0], levelCount: 4)
        #expect(IntensityHistogram.compute(noLevels).allSatisfy { $0.value.isNaN })
        #expect(GLCM.compute(noLevels, dimension: .threeD).allSatisfy { $0.value.isNaN })
        #expect(GLRLM.compute(noLevels, dimension: .twoD).allSatisfy { $0.value.isNaN })

        let one = DiscretisedROI(size: SIMD3(2, 1, 1), spacing: SIMD3(1, 1, 1), levels: [3, 0], levelCount: 4)
        let ih = Dictionary(IntensityHistogram.compute(one).map { ($0.tag, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(ih["ih_mode"] == 3 && ih["ih_var"] == 0 && ih["ih_entropy"] == 0)
        // No neighbour pair: GLCM undefined; one run of length 1 in every direction.
        #expect(GLCM.compute(one, dimension: .twoD).allSatisfy { $0.value.isNaN })
        let rlm = Dictionary(GLRLM.compute(one, dimension: .threeD).map { ($0.tag, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(rlm["rlm_sre_3D_comb"] == 1 && rlm["rlm_r_perc_3D_avg"] == 1)
        let ivh = Dictionary(IntensityVolumeHistogram.compute(values: [10], binning: .none(step: 1))
            .map { ($0.tag, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(ivh["ivh_i90"] == 11 && ivh["ivh_v10"] == 0)
    }
}

@Suite(.enabled(if: DigitalPhantom.available, DigitalPhantom.skipReason))
struct IntensityTests {
    @Test func statisticsMatchDigitalPhantom() throws {
        let (roi, _) = try DigitalPhantom.load()
        expectWithinTolerance(IntensityStatistics.compute(roi), prefixes: ["stat_"],
                              reference: try DigitalPhantom.reference())
    }

    @Test func histogramMatchesDigitalPhantom() throws {
        let (_, discretised) = try DigitalPhantom.load()
        expectWithinTolerance(IntensityHistogram.compute(discretised), prefixes: ["ih_"],
                              reference: try DigitalPhantom.reference())
    }

    @Test func volumeHistogramMatchesDigitalPhantom() throws {
        let (roi, _) = try DigitalPhantom.load()
        let features = IntensityVolumeHistogram.compute(values: roi.intensityValues, binning: .none(step: 1), range: nil)
        expectWithinTolerance(features, prefixes: ["ivh_"], reference: try DigitalPhantom.reference())
    }

    @Test func statisticsOfSmallSample() {
        // 1, 2, 3, 4: mean 2.5, var 1.25, numpy percentiles P10 = 1.3, P25 = 1.75, P75 = 3.25.
        let g = ImageGeometry(size: SIMD3(4, 1, 1), spacing: SIMD3(1, 1, 1))
        let roi = ROIVolume(geometry: g, intensities: [1, 2, 3, 4], intensityMask: [1, 1, 1, 1],
                            morphologicalMask: [1, 1, 1, 1])
        let f = Dictionary(IntensityStatistics.compute(roi).map { ($0.tag, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(f["stat_mean"] == 2.5)
        #expect(f["stat_var"] == 1.25)
        #expect(abs(f["stat_p10"]! - 1.3) < 1e-12)
        #expect(abs(f["stat_iqr"]! - 1.5) < 1e-12)
        #expect(f["stat_energy"] == 30)
        #expect(f["stat_skew"] == 0)

        // Ties: 1, 1, 1, 5: P90 at rank 2.7 = 1 + 0.7 x 4 (numpy), median 1.
        let tied = ROIVolume(geometry: g, intensities: [1, 5, 1, 1], intensityMask: [1, 1, 1, 1],
                             morphologicalMask: [1, 1, 1, 1])
        let t = Dictionary(IntensityStatistics.compute(tied).map { ($0.tag, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(abs(t["stat_p90"]! - 3.8) < 1e-12)
        #expect(t["stat_median"] == 1)
        #expect(t["stat_max"] == 5)
    }

    @Test func volumeHistogramBinnings() {
        // Values 1...10: with .none every value is a level; FBN 10 and FBS 1 from 0.5 give the same curve.
        let values = (1...10).map(Double.init)
        for binning in [IVHBinning.none(step: 1), .fixedBinNumber(10)] {
            let f = Dictionary(IntensityVolumeHistogram.compute(values: values, binning: binning, range: nil)
                .map { ($0.tag, $0.value) }, uniquingKeysWith: { a, _ in a })
            // gamma = (x - 1) / 9 >= 0.1 first at x = 2: 9 of 10 voxels; >= 0.9 at x = 10: 1 of 10.
            #expect(abs(f["ivh_v10"]! - 0.9) < 1e-12)
            #expect(abs(f["ivh_v90"]! - 0.1) < 1e-12)
            #expect(f["ivh_i10"] == 10)
            #expect(f["ivh_i90"] == 2)
        }
    }
}

@Suite(.enabled(if: ChestConfigA.available, ChestConfigA.skipReason))
struct IntensityTestsChestConfigA {
    @Test func statisticsMatchConfigA() throws {
        let a = try ChestConfigA.shared.get()
        let f = IntensityStatistics.compute(a.roi)
        let ref = try ChestConfigA.reference()
        print(ChestConfigA.report("stat", f, prefixes: ["stat_"], reference: ref))
        expectWithinTolerance(f, prefixes: ["stat_"], reference: ref)
    }

    @Test func histogramMatchesConfigA() throws {
        let a = try ChestConfigA.shared.get()
        let f = IntensityHistogram.compute(a.discretised)
        let ref = try ChestConfigA.reference()
        print(ChestConfigA.report("ih", f, prefixes: ["ih_"], reference: ref))
        expectWithinTolerance(f, prefixes: ["ih_"], reference: ref)
    }

    @Test func volumeHistogramMatchesConfigA() throws {
        let a = try ChestConfigA.shared.get()
        let f = IntensityVolumeHistogram.compute(values: a.roi.intensityValues, binning: .none(step: 1),
                                                 range: (lower: -500, upper: 400))
        let ref = try ChestConfigA.reference()
        print(ChestConfigA.report("ivh", f, prefixes: ["ivh_"], reference: ref))
        expectWithinTolerance(f, prefixes: ["ivh_"], reference: ref)
    }
}
