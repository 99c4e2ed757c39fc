import Foundation
import RadiomicsCore
@testable import RadiomicsFeatures
import Testing

/// A Float image of size `n` (1 mm voxels unless given) with voxel values from `f(i, j, k)`.
private func makeImage(_ n: SIMD3<Int>, spacing: SIMD3<Double> = SIMD3(1, 1, 1), origin: SIMD3<Double> = .zero,
                       direction: Matrix3 = .identity, _ f: (Int, Int, Int) -> Double) -> ScalarImage {
    var v = [Float]()
    v.reserveCapacity(n.x * n.y * n.z)
    for k in 0..<n.z { for j in 0..<n.y { for i in 0..<n.x { v.append(Float(f(i, j, k))) } } }
    return .float(Volume(geometry: ImageGeometry(size: n, spacing: spacing, origin: origin, direction: direction), voxels: v))
}

private func makeMask(_ g: ImageGeometry, _ inside: (Int, Int, Int) -> Bool) -> Mask {
    var m = Mask(geometry: g, repeating: 0)
    for k in 0..<g.size.z { for j in 0..<g.size.y { for i in 0..<g.size.x where inside(i, j, k) { m[i, j, k] = 1 } } }
    return m
}

/// A 1-voxel-thick ROIVolume from intensities (all in both masks unless `mask` says otherwise).
private func roi(_ values: [Double], mask: [UInt8]? = nil, size: SIMD3<Int>? = nil) -> ROIVolume {
    let s = size ?? SIMD3(values.count, 1, 1)
    let m = mask ?? Array(repeating: 1, count: values.count)
    return ROIVolume(geometry: ImageGeometry(size: s, spacing: SIMD3(2, 2, 3)), intensities: values, intensityMask: m,
                     morphologicalMask: m)
}

private func diagnostic(_ d: [FeatureValue], _ tag: String) -> Double? { d.first { $0.tag == tag }?.value }

@Suite struct PreprocessingDiscretisationTests {

    @Test func fixedBinNumberMapsMaximumToLastBin() {
        let d = Discretisation.fixedBinNumber(4).apply(to: roi([0, 2.5, 5, 7.4999, 7.5, 10]))
        // floor(4 (x - 0) / 10) + 1, the maximum 10 -> 5 clipped to 4.
        #expect(d.levels == [1, 2, 3, 3, 4, 4])
        #expect(d.levelCount == 4)
    }

    @Test func fixedBinNumberCountsEmptyBins() {
        // Only levels 1 and 32 occur, Ng is still 32.
        let d = Discretisation.fixedBinNumber(32).apply(to: roi([-100, -100, 300]))
        #expect(d.levels == [1, 1, 32])
        #expect(d.levelCount == 32)
    }

    @Test func fixedBinNumberConstantROI() {
        #expect(Discretisation.fixedBinNumber(5).apply(to: roi([7, 7, 7])).levels == [3, 3, 3])
        #expect(Discretisation.fixedBinNumber(32).apply(to: roi([7])).levels == [16])
    }

    @Test func fixedBinSizeWithLowerBound() {
        let d = Discretisation.fixedBinSize(width: 25, lowerBound: -500).apply(to: roi([-500, -475.5, -475, -1, 0, 399, 400]))
        #expect(d.levels == [1, 1, 2, 20, 21, 36, 37])
        // Ng = the highest level in the ROI (MIRP), not the number of bins of the range.
        #expect(d.levelCount == 37)
        let e = Discretisation.fixedBinSize(width: 25, lowerBound: -500).apply(to: roi([-500, 0]))
        #expect(e.levelCount == 21)
    }

    @Test func fixedBinSizeWithoutLowerBoundStartsAtMinimum() {
        let d = Discretisation.fixedBinSize(width: 10, lowerBound: nil).apply(to: roi([33, 42.9, 43, 60]))
        #expect(d.levels == [1, 1, 2, 3])
        #expect(d.levelCount == 3)
    }

    @Test func fixedBinSizeBelowLowerBoundIsLevelOne() {
        let d = Discretisation.fixedBinSize(width: 25, lowerBound: 0).apply(to: roi([-30, 0, 10]))
        #expect(d.levels == [1, 1, 1])
        #expect(d.levelCount == 1)
    }

    @Test func fixedBinSizeNonIntegerWidth() {
        // IVH-style FBS 2.5: exact multiples start a new bin.
        let d = Discretisation.fixedBinSize(width: 2.5, lowerBound: -1000).apply(to: roi([-1000, -997.5, -995.1, -995]))
        #expect(d.levels == [1, 2, 2, 3])
    }

    @Test func noneKeepsGreyLevels() {
        let d = Discretisation.none.apply(to: roi([1, 3, 4, 6, 1]))
        #expect(d.levels == [1, 3, 4, 6, 1])
        #expect(d.levelCount == 6)
    }

    @Test func cropsToIntensityMaskBoundingBox() {
        // 4 x 3 x 2 box, intensity mask on (1...2, 1, 0...1) except (2, 1, 1).
        let size = SIMD3(4, 3, 2)
        var values = [Double](repeating: -1000, count: 24)
        var mask = [UInt8](repeating: 0, count: 24)
        for (i, j, k, x) in [(1, 1, 0, 10.0), (2, 1, 0, 20.0), (1, 1, 1, 30.0)] {
            let q = i + 4 * (j + 3 * k)
            values[q] = x
            mask[q] = 1
        }
        let r = ROIVolume(geometry: ImageGeometry(size: size, spacing: SIMD3(2, 2, 3)), intensities: values,
                          intensityMask: mask, morphologicalMask: Array(repeating: 1, count: 24))
        let d = Discretisation.fixedBinNumber(2).apply(to: r)
        #expect(d.size == SIMD3(2, 1, 2))
        #expect(d.spacing == SIMD3(2, 2, 3))
        #expect(d.levels == [1, 2, 2, 0])
        #expect(d.voxelCount == 3)
    }

    @Test func emptyIntensityMask() {
        let d = Discretisation.fixedBinSize(width: 25, lowerBound: nil).apply(to: roi([1, 2], mask: [0, 0]))
        #expect(d.size == .zero)
        #expect(d.levels.isEmpty)
        #expect(d.levelCount == 0)
    }

    @Test func levelsOfValuesAgreeWithApply() {
        let values: [Double] = [-12, 5, 7.5, 33, 33, 100]
        for method in [Discretisation.none, .fixedBinSize(width: 10, lowerBound: -20), .fixedBinSize(width: 7, lowerBound: nil),
                       .fixedBinNumber(8)] {
            let positive = method == .none ? values.map { abs($0) + 1 } : values
            let a = method.apply(to: roi(positive))
            let b = method.levels(of: positive)
            #expect(a.levels == b.levels)
            #expect(a.levelCount == b.levelCount)
        }
    }

    @Test func lowerBoundFromResegmentationRange() {
        var s = PreprocessingSettings()
        #expect(Discretisation.fixedBinSize(width: 25, lowerBound: nil).resolvingLowerBound(with: s)
                == .fixedBinSize(width: 25, lowerBound: nil))
        s.resegmentationRange = ResegmentationRange(lower: -500, upper: 400)
        #expect(Discretisation.fixedBinSize(width: 25, lowerBound: nil).resolvingLowerBound(with: s)
                == .fixedBinSize(width: 25, lowerBound: -500))
        #expect(Discretisation.fixedBinSize(width: 25, lowerBound: -100).resolvingLowerBound(with: s)
                == .fixedBinSize(width: 25, lowerBound: -100))
        #expect(Discretisation.fixedBinNumber(32).resolvingLowerBound(with: s) == .fixedBinNumber(32))
    }
}

@Suite struct PreprocessingInterpolationTests {

    /// ((7i + 13j + 29k) mod 17) × 10 on 6 × 5 × 4 voxels of 1 mm.
    static let image = makeImage(SIMD3(6, 5, 4)) { i, j, k in Double((7 * i + 13 * j + 29 * k) % 17 * 10) }

    static func settings(_ interpolator: Interpolator) -> PreprocessingSettings {
        PreprocessingSettings(
            interpolation: InterpolationSettings(spacing: SIMD3(0.7, 1.6, 1.3), inPlaneOnly: false,
                                                 imageInterpolator: interpolator, maskInterpolator: .linear,
                                                 partialVolumeThreshold: 0.5, roundIntensities: false),
            localIntensityMargin: 100)
    }

    /// Reference: scipy.ndimage.map_coordinates(image, IBSI grid, order=1 or 3, mode="nearest") (MIRP's call).
    @Test(arguments: [
        (Interpolator.linear, 11290.92, 0.0, 152.0, [0.0, 97.98, 40.0, 72.58]),
        (Interpolator.cubicSpline, 11237.259723100238, -40.10717234019098, 191.51067193272164,
         [-40.10717234019098, 117.38265704752114, 18.089814664169406, 70.15556250682259]),
    ])
    func matchesScipyMapCoordinates(interpolator: Interpolator, sum: Double, minimum: Double, maximum: Double,
                                    samples: [Double]) throws {
        let g = Self.image.geometry
        let mask = makeMask(g) { _, _, _ in true }
        let (r, d) = try Preprocessing.run(image: Self.image, mask: mask, settings: Self.settings(interpolator))
        // Grid: ceil(6/0.7) x ceil(5/1.6) x ceil(4/1.3) = 9 x 4 x 4, centred on the old grid.
        #expect(r.size == SIMD3(9, 4, 4))
        #expect(abs(r.geometry.origin.x - -0.3) < 1e-12 && abs(r.geometry.origin.y - -0.4) < 1e-12
                && abs(r.geometry.origin.z - -0.45) < 1e-12)
        #expect(abs(r.intensities.reduce(0, +) - sum) < 1e-7)
        #expect(abs(r.intensities.min()! - minimum) < 1e-9)
        #expect(abs(r.intensities.max()! - maximum) < 1e-9)
        for (n, (i, j, k)) in [(0, 0, 0), (3, 2, 1), (8, 3, 3), (5, 1, 2)].enumerated() {
            #expect(abs(r.intensities[i + 9 * (j + 4 * k)] - samples[n]) < 1e-9, "voxel (\(i), \(j), \(k))")
        }
        // Whole interpolated image diagnostics, here the same voxels.
        #expect(diagnostic(d, "img_dim_x_interp_img") == 9)
        #expect(diagnostic(d, "vox_dim_y_interp_img") == 1.6)
        #expect(abs(diagnostic(d, "mean_int_interp_img")! - sum / 144) < 1e-9)
        #expect(abs(diagnostic(d, "min_int_interp_img")! - minimum) < 1e-9)
        #expect(abs(diagnostic(d, "max_int_interp_img")! - maximum) < 1e-9)
    }

    @Test(arguments: [Interpolator.nearest, .linear, .cubicSpline])
    func chunkedWholeImagePassEqualsSinglePass(interpolator: Interpolator) {
        let img = makeImage(SIMD3(20, 17, 15), spacing: SIMD3(0.8, 0.8, 2.5)) { i, j, k in
            Double((i * i + 3 * j + 11 * k) % 23) * 7 - 40
        }
        let maps = [AxisMapping(sourceCount: 20, sourceSpacing: 0.8, targetSpacing: 1.1),
                    AxisMapping(sourceCount: 17, sourceSpacing: 0.8, targetSpacing: 1.1),
                    AxisMapping(sourceCount: 15, sourceSpacing: 2.5, targetSpacing: 1.1)]
        let read = Preprocessing.imageReader(img, round: false)
        let whole = Preprocessing.interpolatedImageSummary(maps: maps, interpolator: interpolator, round: false,
                                                           budget: 1 << 30, read: read)
        let chunked = Preprocessing.interpolatedImageSummary(maps: maps, interpolator: interpolator, round: false,
                                                             budget: 1, read: read)
        #expect(whole.count == 15 * 13 * 35)
        #expect(chunked.count == whole.count)
        #expect(abs(chunked.sum - whole.sum) < 1e-6 * Double(whole.count))
        #expect(abs(chunked.minimum - whole.minimum) < 1e-6 && abs(chunked.maximum - whole.maximum) < 1e-6)
    }

    @Test func linearInterpolationOfARampIsExactAndEdgePadded() throws {
        // f = 10 i + 100 j + 1000 k; halving the voxel size puts new voxels at -0.25, 0.25, 0.75, ...
        let img = makeImage(SIMD3(4, 3, 2)) { i, j, k in Double(10 * i + 100 * j + 1000 * k) }
        let mask = makeMask(img.geometry) { _, _, _ in true }
        let settings = PreprocessingSettings(
            interpolation: InterpolationSettings(spacing: SIMD3(0.5, 0.5, 0.5), roundIntensities: false),
            localIntensityMargin: 100)
        let (r, _) = try Preprocessing.run(image: img, mask: mask, settings: settings)
        #expect(r.size == SIMD3(8, 6, 4))
        for k in 0..<4 {
            for j in 0..<6 {
                for i in 0..<8 {
                    // Continuous original index, clamped to the grid (nearest boundary value).
                    let x = min(max(-0.25 + 0.5 * Double(i), 0), 3)
                    let y = min(max(-0.25 + 0.5 * Double(j), 0), 2)
                    let z = min(max(-0.25 + 0.5 * Double(k), 0), 1)
                    let expected = 10 * x + 100 * y + 1000 * z
                    #expect(abs(r.intensities[i + 8 * (j + 6 * k)] - expected) < 1e-9)
                }
            }
        }
    }

    @Test func cubicSplineInterpolatesSamples() {
        // Sampling the spline at the original (integer) positions gives the samples back: the prefiltered
        // B-spline interpolates. The map is not flagged identity, so the spline path runs.
        let values = (0..<40).map { Double(($0 * 37) % 11) * 13 - 50 }
        var map = AxisMapping(identity: 41)
        map.count = 40
        #expect(!map.isIdentity)
        let out = Resampler.resample(maps: [map, AxisMapping(identity: 1), AxisMapping(identity: 1)],
                                     box: BoundingBox(lower: .zero, upper: SIMD3(39, 0, 0)),
                                     interpolator: .cubicSpline) { lower, upper in
            (lower.x...upper.x).map { values[min(max($0, 0), 39)] }
        }
        #expect(out.count == 40)
        for (a, b) in zip(out, values) { #expect(abs(a - b) < 1e-9) }
    }

    @Test func inPlaneInterpolationKeepsSlices() throws {
        let img = makeImage(SIMD3(10, 8, 5), spacing: SIMD3(0.9, 0.9, 3)) { i, j, k in Double(i * j + 50 * k) }
        let mask = makeMask(img.geometry) { i, j, k in (2...7).contains(i) && (2...5).contains(j) && (1...3).contains(k) }
        let settings = PreprocessingSettings(
            interpolation: InterpolationSettings(spacing: SIMD3(2, 2, 0), inPlaneOnly: true), localIntensityMargin: 0)
        let (r, d) = try Preprocessing.run(image: img, mask: mask, settings: settings)
        #expect(r.spacing == SIMD3(2, 2, 3))
        #expect(diagnostic(d, "img_dim_x_interp_img") == 5)  // ceil(9 / 2)
        #expect(diagnostic(d, "img_dim_y_interp_img") == 4)  // ceil(7.2 / 2)
        #expect(diagnostic(d, "img_dim_z_interp_img") == 5)
        #expect(diagnostic(d, "morph_mask_bb_dim_z_interp_roi") == 3)
        #expect(abs(r.geometry.origin.z - img.geometry.origin.z - 3) < 1e-12) // box starts at slice 1
    }

    @Test func partialVolumeThresholdKeepsExactHalf() throws {
        // 4 voxels of 1 mm -> 2 voxels of 2 mm at positions 0.5 and 2.5: the mask [1, 0, 0, 0] gives 0.5 and 0.
        let img = makeImage(SIMD3(4, 1, 1)) { i, _, _ in Double(i) }
        let mask = makeMask(img.geometry) { i, _, _ in i == 0 }
        var settings = PreprocessingSettings(
            interpolation: InterpolationSettings(spacing: SIMD3(2, 1, 1), roundIntensities: false), localIntensityMargin: 0)
        let (r, d) = try Preprocessing.run(image: img, mask: mask, settings: settings)
        #expect(diagnostic(d, "morph_mask_vox_count_interp_roi") == 1)
        #expect(r.intensities == [0.5])
        settings.interpolation?.partialVolumeThreshold = 0.6
        #expect(throws: RadiomicsError.self) { try Preprocessing.run(image: img, mask: mask, settings: settings) }
    }

    @Test func directionCosinesAreKept() throws {
        let direction = Matrix3(columns: SIMD3(0, 1, 0), SIMD3(-1, 0, 0), SIMD3(0, 0, 1))
        let img = makeImage(SIMD3(8, 8, 4), spacing: SIMD3(1, 1, 2), origin: SIMD3(10, 20, 30), direction: direction) { i, _, _ in
            Double(i)
        }
        let mask = makeMask(img.geometry) { i, j, k in (3...5).contains(i) && (3...5).contains(j) && k == 2 }
        let settings = PreprocessingSettings(interpolation: InterpolationSettings(spacing: SIMD3(2, 2, 2)),
                                             localIntensityMargin: 0)
        let (r, _) = try Preprocessing.run(image: img, mask: mask, settings: settings)
        #expect(r.geometry.direction == direction)
        // The first ROI voxel's centre maps back to its continuous original index: offset + m × ratio.
        let idx = img.geometry.continuousIndex(physical: r.geometry.origin)
        let m = (idx.x - (3.5 - 1.5 * 2)) / 2
        #expect(abs(m - m.rounded()) < 1e-9)
    }
}

@Suite struct PreprocessingPipelineTests {

    @Test func withoutInterpolationTheBoxIsACropWithMargin() throws {
        let img = makeImage(SIMD3(12, 10, 6), spacing: SIMD3(1, 1, 2.5)) { i, j, k in Double(i + 100 * j + 10000 * k) }
        let mask = makeMask(img.geometry) { i, j, k in (1...3).contains(i) && (4...6).contains(j) && k == 3 }
        let settings = PreprocessingSettings(localIntensityMargin: 2)
        let (r, d) = try Preprocessing.run(image: img, mask: mask, settings: settings)
        // x: 1-2 clipped to 0 ... 3+2; y: 2 ... 8; z: ceil(2/2.5) = 1 slice each side.
        #expect(r.size == SIMD3(6, 7, 3))
        #expect(r.geometry.origin == img.geometry.physicalPoint(index: SIMD3(0, 2, 2)))
        #expect(r.intensities[0] == 200 + 20000)
        #expect(r.morphologicalMask.reduce(0) { $0 + Int($1) } == 9)
        #expect(r.intensityMask == r.morphologicalMask)
        for stage in ["init", "interp", "reseg"] {
            #expect(diagnostic(d, "int_mask_vox_count_\(stage)_roi") == 9)
            #expect(diagnostic(d, "int_mask_bb_dim_x_\(stage)_roi") == 3)
            #expect(diagnostic(d, "int_mask_dim_z_\(stage)_roi") == 6)
        }
        #expect(diagnostic(d, "mean_int_interp_img") == diagnostic(d, "mean_int_init_img"))
        let maximum = try #require(diagnostic(d, "max_int_init_img"))
        let roiMinimum = try #require(diagnostic(d, "int_mask_min_int_init_roi"))
        #expect(maximum == 50911)
        #expect(roiMinimum == 30401)
    }

    @Test func roundsInitialIntensities() throws {
        let img = makeImage(SIMD3(3, 1, 1)) { i, _, _ in [0.4, 1.5, 2.6][i] }
        let mask = makeMask(img.geometry) { _, _, _ in true }
        let (r, d) = try Preprocessing.run(image: img, mask: mask, settings: PreprocessingSettings(roundInitialIntensities: true))
        #expect(r.intensities == [0, 2, 3])
        #expect(diagnostic(d, "max_int_init_img") == 3)
        let (raw, _) = try Preprocessing.run(image: img, mask: mask, settings: PreprocessingSettings())
        #expect(raw.intensities.map { Float($0) } == [0.4, 1.5, 2.6])
    }

    @Test func rangeThenOutlierResegmentation() {
        // Twenty voxels at 0 ... 19 and one at 1000; range [-10, 2000] keeps all, then mean ± 3 sd drops 1000.
        var values = (0..<20).map(Double.init)
        values.append(1000)
        values.append(-50) // outside the range
        var mask = [UInt8](repeating: 1, count: values.count)
        mask[3] = 0
        Preprocessing.resegment(intensities: values, mask: &mask, range: ResegmentationRange(lower: -10, upper: 2000),
                                outlierSigma: 3)
        #expect(mask[21] == 0)
        #expect(mask[20] == 0)
        #expect(mask[3] == 0)
        #expect(mask[0..<20].reduce(0) { $0 + Int($1) } == 19)
        // Open-ended range, bounds inclusive.
        var m2: [UInt8] = [1, 1, 1]
        Preprocessing.resegment(intensities: [-1, 0, 5], mask: &m2, range: ResegmentationRange(lower: 0, upper: nil),
                                outlierSigma: nil)
        #expect(m2 == [0, 1, 1])
    }

    @Test func resegmentationSeparatesIntensityAndMorphologicalMasks() throws {
        let img = makeImage(SIMD3(5, 5, 1)) { i, j, _ in i == 2 && j == 2 ? 3000 : Double(10 * i) }
        let mask = makeMask(img.geometry) { i, j, _ in (1...3).contains(i) && (1...3).contains(j) }
        let settings = PreprocessingSettings(resegmentationRange: ResegmentationRange(lower: -1000, upper: 400),
                                             localIntensityMargin: 0)
        let (r, d) = try Preprocessing.run(image: img, mask: mask, settings: settings)
        #expect(r.morphologicalMask.reduce(0) { $0 + Int($1) } == 9)
        #expect(r.intensityMask.reduce(0) { $0 + Int($1) } == 8)
        #expect(diagnostic(d, "int_mask_vox_count_reseg_roi") == 8)
        #expect(diagnostic(d, "morph_mask_vox_count_reseg_roi") == 9)
        #expect(diagnostic(d, "int_mask_max_int_reseg_roi") == 30)
        #expect(diagnostic(d, "int_mask_max_int_interp_roi") == 3000)
    }

    @Test func errors() {
        let img = makeImage(SIMD3(4, 4, 2)) { _, _, _ in 5 }
        let empty = Mask(geometry: img.geometry, repeating: 0)
        #expect(throws: RadiomicsError.self) { try Preprocessing.run(image: img, mask: empty, settings: PreprocessingSettings()) }
        let other = Mask(geometry: ImageGeometry(size: SIMD3(4, 4, 3), spacing: SIMD3(1, 1, 1)), repeating: 1)
        #expect(throws: RadiomicsError.self) { try Preprocessing.run(image: img, mask: other, settings: PreprocessingSettings()) }
        let full = makeMask(img.geometry) { _, _, _ in true }
        let away = PreprocessingSettings(resegmentationRange: ResegmentationRange(lower: 100, upper: nil))
        #expect(throws: RadiomicsError.self) { try Preprocessing.run(image: img, mask: full, settings: away) }
        let badSpacing = PreprocessingSettings(interpolation: InterpolationSettings(spacing: SIMD3(0, 1, 1)))
        #expect(throws: RadiomicsError.self) { try Preprocessing.run(image: img, mask: full, settings: badSpacing) }
    }

    @Test func int16ImagesAndDiagnosticTags() throws {
        let g = ImageGeometry(size: SIMD3(6, 6, 3), spacing: SIMD3(1, 1, 1))
        let img = ScalarImage.int16(Volume(geometry: g, voxels: (0..<108).map { Int16($0 - 50) }))
        let mask = makeMask(g) { i, j, k in (1...4).contains(i) && (1...4).contains(j) && k >= 1 }
        let (_, d) = try Preprocessing.run(image: img, mask: mask,
                                           settings: PreprocessingSettings(interpolation: InterpolationSettings(spacing: SIMD3(1.5, 1.5, 1.5))))
        var tags = Set<String>()
        for stage in ["init", "interp"] {
            for t in ["img_dim_x", "img_dim_y", "img_dim_z", "vox_dim_x", "vox_dim_y", "vox_dim_z", "mean_int", "min_int", "max_int"] {
                tags.insert("\(t)_\(stage)_img")
            }
        }
        for stage in ["init", "interp", "reseg"] {
            for t in ["int_mask_dim_x", "int_mask_dim_y", "int_mask_dim_z", "int_mask_bb_dim_x", "int_mask_bb_dim_y",
                      "int_mask_bb_dim_z", "morph_mask_bb_dim_x", "morph_mask_bb_dim_y", "morph_mask_bb_dim_z",
                      "int_mask_vox_count", "morph_mask_vox_count", "int_mask_mean_int", "int_mask_min_int", "int_mask_max_int"] {
                tags.insert("\(t)_\(stage)_roi")
            }
        }
        #expect(Set(d.map(\.tag)) == tags)
        #expect(d.count == tags.count)
        #expect(d.allSatisfy { $0.value.isFinite })
        #expect(diagnostic(d, "img_dim_x_interp_img") == 4)
    }
}
