import Foundation
import RadiomicsCore

/// IBSI chapter 1 image processing: image + ROI mask → the `ROIVolume` feature code reads.
///
/// Steps, in IBSI order:
/// 1. optional rounding of the initial intensities to the nearest integer (IBSI CT phantom NIfTI);
/// 2. interpolation (IBSI "image interpolation"): image and mask are resampled to the new voxel size on the
///    IBSI grid (`ceil(extent / spacing)` voxels, centred on the old grid, boundary padding by the nearest
///    value, computed in Double). The mask is interpolated as 0/1 values, its values rounded to 6 decimals
///    and kept where ≥ the partial-volume threshold. Intensities are optionally rounded to integers;
/// 3. re-segmentation of the intensity mask: range [lower, upper], then outliers outside mean ± n·sd
///    (statistics over the intensity mask after the range step). The morphological mask is the mask after
///    interpolation, before re-segmentation.
///
/// Only the region around the ROI is resampled: the mask over its bounding box (plus the interpolator's
/// reach), the image over the `ROIVolume` box (morphological mask box + `localIntensityMargin`).
public enum Preprocessing {

    /// Largest number of voxels of one chunk of the whole-image pass for the `*_interp_img` statistics.
    static let chunkVoxelBudget = 4_000_000

    /// Runs IBSI preprocessing.
    ///
    /// - Parameters:
    ///   - image: the image (e.g. HU).
    ///   - mask: the ROI on the same grid (any non-zero voxel is in the ROI).
    /// - Returns: the ROI box and the IBSI diagnostic features, tagged as in the IBSI reference tables:
    ///   `img_dim_{x,y,z}`, `vox_dim_{x,y,z}`, `{mean,min,max}_int` for `_init_img` and `_interp_img` (the
    ///   whole image before and after interpolation), and `int_mask_dim_{x,y,z}`, `int_mask_bb_dim_{x,y,z}`,
    ///   `morph_mask_bb_dim_{x,y,z}`, `int_mask_vox_count`, `morph_mask_vox_count`,
    ///   `int_mask_{mean,min,max}_int` for `_init_roi`, `_interp_roi` and `_reseg_roi`.
    ///
    ///   The `*_interp_img` mean, minimum and maximum are computed over the whole interpolated image in a
    ///   streaming pass: the new grid is interpolated in chunks of slices (at most ~4 M voxels each) that are
    ///   reduced to sums and extremes and dropped, so the whole interpolated image is never stored. Set
    ///   `settings.interpolatedImageDiagnostics = false` to skip that pass.
    /// - Throws: when the grids differ, the mask is empty, or no voxel is left after interpolation or
    ///   re-segmentation.
    /// `filterReach`: for filtered features, the preprocessed image is also read over the ROI box grown by this
    /// many voxels (per axis, of the interpolated grid; `ROIVolume.filterContext`).
    public static func run(image: ScalarImage, mask: Mask, settings: PreprocessingSettings, filterReach: ((SIMD3<Double>) throws -> SIMD3<Int>)? = nil) throws
        -> (roi: ROIVolume, diagnostics: [FeatureValue]) {
        let g0 = image.geometry
        guard mask.geometry.size == g0.size else {
            throw RadiomicsError("mask grid \(mask.geometry.size) differs from image grid \(g0.size)")
        }
        guard let maskBox = mask.boundingBox else { throw RadiomicsError("empty mask: the region has no voxel") }
        if let sigma = settings.outlierSigma, !(sigma > 0) {
            throw RadiomicsError("outlier re-segmentation needs a positive number of standard deviations, got \(sigma)")
        }

        let roundInitial = settings.roundInitialIntensities
        let readImage = imageReader(image, round: roundInitial)
        let readMask: (SIMD3<Int>, SIMD3<Int>) -> [Double] = { lower, upper in
            Resampler.readClamped(mask.voxels, size: g0.size, lower: lower, upper: upper) { $0 != 0 ? 1 : 0 }
        }

        var diagnostics: [FeatureValue] = []

        // Initial image and ROI.
        let initialImage = wholeImageSummary(image, round: roundInitial)
        diagnostics += imageDiagnostics("init", size: g0.size, spacing: g0.spacing, summary: initialImage)
        let initialIntensities = readImage(maskBox.lower, maskBox.upper)
        let initialMask = mask.cropped(to: maskBox).voxels.map { $0 != 0 ? UInt8(1) : 0 }
        diagnostics += roiDiagnostics("init", gridSize: g0.size, boxSize: maskBox.size, intensities: initialIntensities,
                                      intensityMask: initialMask, morphologicalMask: initialMask)

        // Interpolation grid.
        let interpolation = settings.interpolation
        var maps = (0..<3).map { AxisMapping(identity: g0.size[$0]) }
        var spacing = g0.spacing
        if let interpolation {
            for axis in 0..<(interpolation.inPlaneOnly ? 2 : 3) {
                let s = interpolation.spacing[axis]
                guard s > 0, s.isFinite else {
                    throw RadiomicsError("interpolation spacing must be positive, got \(s) mm along axis \(axis)")
                }
                maps[axis] = AxisMapping(sourceCount: g0.size[axis], sourceSpacing: g0.spacing[axis], targetSpacing: s)
                spacing[axis] = s
            }
        }
        let size1 = SIMD3(maps[0].count, maps[1].count, maps[2].count)
        // The interpolated grid is summarised whole and resampled over the ROI: refuse what cannot be held.
        try Limits.checkGrid(size1, bytesPerVoxel: 8, what: "the interpolation grid")
        let offsets = SIMD3(maps[0].offset, maps[1].offset, maps[2].offset)
        let g1 = ImageGeometry(size: size1, spacing: spacing, origin: g0.physicalPoint(index: offsets),
                               direction: g0.direction)
        let resampled = maps.contains { !$0.isIdentity }

        // Mask interpolation over the region it can reach, then the partial-volume threshold.
        let maskInterpolator = resampled ? (interpolation?.maskInterpolator ?? .linear) : .nearest
        let threshold = interpolation?.partialVolumeThreshold ?? 0.5
        let reach: Double
        switch maskInterpolator {
        case .nearest: reach = 0.5
        case .linear: reach = 1
        case .cubicSpline: reach = 4
        }
        var candidateLower = SIMD3<Int>.zero, candidateUpper = SIMD3<Int>.zero
        for axis in 0..<3 {
            guard let r = maps[axis].targetRange(sourceLower: maskBox.lower[axis], sourceUpper: maskBox.upper[axis],
                                                 reach: reach) else {
                throw RadiomicsError("the ROI falls outside the interpolated grid")
            }
            candidateLower[axis] = r.lowerBound
            candidateUpper[axis] = r.upperBound
        }
        let candidateBox = BoundingBox(lower: candidateLower, upper: candidateUpper)
        let maskValues = Resampler.resample(maps: maps, box: candidateBox, interpolator: maskInterpolator, read: readMask)
        let candidateMask = maskValues.map { v -> UInt8 in
            // Round to 6 decimals so that 0.4999999 (floating-point error) counts as 0.5.
            ((v * 1e6).rounded() / 1e6) >= threshold ? 1 : 0
        }
        guard let localMorphBox = boundingBox(candidateMask, size: candidateBox.size) else {
            throw RadiomicsError("no voxel of the ROI is left after interpolation (partial-volume threshold \(threshold))")
        }
        let morphBox = BoundingBox(lower: localMorphBox.lower &+ candidateBox.lower,
                                   upper: localMorphBox.upper &+ candidateBox.lower)

        // The ROI box: morphological mask box + margin for local intensity features.
        var margin = SIMD3<Int>.zero
        for axis in 0..<3 {
            margin[axis] = max(0, Int((settings.localIntensityMargin / spacing[axis] - 1e-9).rounded(.up)))
        }
        let roiBox = morphBox.expanded(by: margin, within: size1)
        let roundInterpolated = resampled && (interpolation?.roundIntensities ?? false)
        let imageInterpolator = resampled ? (interpolation?.imageInterpolator ?? .linear) : .nearest
        var intensities = Resampler.resample(maps: maps, box: roiBox, interpolator: imageInterpolator, read: readImage)
        if roundInterpolated { roundIntensities(&intensities) }

        var morphological = [UInt8](repeating: 0, count: roiBox.voxelCount)
        let rs = roiBox.size, cs = candidateBox.size
        for k in morphBox.lower.z...morphBox.upper.z {
            for j in morphBox.lower.y...morphBox.upper.y {
                let src = (j - candidateBox.lower.y) * cs.x + (k - candidateBox.lower.z) * cs.x * cs.y - candidateBox.lower.x
                let dst = (j - roiBox.lower.y) * rs.x + (k - roiBox.lower.z) * rs.x * rs.y - roiBox.lower.x
                for i in morphBox.lower.x...morphBox.upper.x { morphological[dst + i] = candidateMask[src + i] }
            }
        }

        // Interpolated image and ROI diagnostics.
        if resampled {
            var summary: IntensitySummary? = nil
            if settings.interpolatedImageDiagnostics {
                summary = interpolatedImageSummary(maps: maps, interpolator: imageInterpolator, round: roundInterpolated,
                                                   read: readImage)
            }
            diagnostics += imageDiagnostics("interp", size: size1, spacing: spacing, summary: summary)
        } else {
            diagnostics += imageDiagnostics("interp", size: size1, spacing: spacing, summary: initialImage)
        }
        diagnostics += roiDiagnostics("interp", gridSize: size1, boxSize: rs, intensities: intensities,
                                      intensityMask: morphological, morphologicalMask: morphological)

        // Re-segmentation.
        var intensityMask = morphological
        resegment(intensities: intensities, mask: &intensityMask, range: settings.resegmentationRange,
                  outlierSigma: settings.outlierSigma)
        guard intensityMask.contains(1) else {
            throw RadiomicsError("re-segmentation removed every voxel of the ROI")
        }
        diagnostics += roiDiagnostics("reseg", gridSize: size1, boxSize: rs, intensities: intensities,
                                      intensityMask: intensityMask, morphologicalMask: morphological)

        var roi = ROIVolume(geometry: g1.subGrid(roiBox), intensities: intensities, intensityMask: intensityMask,
                            morphologicalMask: morphological)
        if let filterReach {
            // The filters read the image around the ROI: the ROI box grown by their reach, within the image (beyond its
            // edges each filter's boundary condition stands in).
            let contextBox = roiBox.expanded(by: try filterReach(spacing), within: size1)
            // The image, the response, oriented copies, and for the Fourier-domain filters the padded complex arrays.
            try Limits.checkGrid(contextBox.size &+ 64, bytesPerVoxel: 8 * 8, what: "the filters' region (ROI box and the filters' reach)")
            var context = Resampler.resample(maps: maps, box: contextBox, interpolator: imageInterpolator, read: readImage)
            if roundInterpolated { roundIntensities(&context) }
            roi.filterContext = (context, contextBox.size, roiBox.lower &- contextBox.lower)
        }
        return (roi, diagnostics)
    }

    // MARK: - Re-segmentation

    /// IBSI re-segmentation of the intensity mask: range re-segmentation (voxels outside [lower, upper] leave),
    /// then outlier filtering (voxels outside mean ± n·sd, population sd over the mask after the range step).
    public static func resegment(intensities: [Double], mask: inout [UInt8], range: ResegmentationRange?,
                                 outlierSigma: Double?) {
        precondition(intensities.count == mask.count, "intensities and mask differ in size")
        if let range {
            for q in mask.indices where mask[q] != 0 && !range.contains(intensities[q]) { mask[q] = 0 }
        }
        if let sigma = outlierSigma {
            var n = 0, sum = 0.0
            for q in mask.indices where mask[q] != 0 { n += 1; sum += intensities[q] }
            guard n > 0 else { return }
            let mean = sum / Double(n)
            var ss = 0.0
            for q in mask.indices where mask[q] != 0 { let d = intensities[q] - mean; ss += d * d }
            let sd = (ss / Double(n)).squareRoot()
            let lo = mean - sigma * sd, hi = mean + sigma * sd
            for q in mask.indices where mask[q] != 0 && (intensities[q] < lo || intensities[q] > hi) { mask[q] = 0 }
        }
    }

    // MARK: - Helpers

    /// Rounds interpolated intensities to the nearest integer as MIRP does (32-bit float, numpy round:
    /// halves to even).
    static func roundIntensities(_ values: inout [Double]) {
        for q in values.indices { values[q] = Double(Float(values[q])).rounded(.toNearestOrEven) }
    }

    /// Reads the image over an index box (clamped to the grid) as Double, rounded when asked.
    static func imageReader(_ image: ScalarImage, round: Bool) -> (SIMD3<Int>, SIMD3<Int>) -> [Double] {
        let size = image.geometry.size
        switch image {
        case .int16(let v):
            return { lower, upper in Resampler.readClamped(v.voxels, size: size, lower: lower, upper: upper) { $0 } }
        case .float(let v):
            if round {
                return { lower, upper in
                    Resampler.readClamped(v.voxels, size: size, lower: lower, upper: upper) { $0.rounded(.toNearestOrEven) }
                }
            }
            return { lower, upper in Resampler.readClamped(v.voxels, size: size, lower: lower, upper: upper) { $0 } }
        }
    }

    /// Count, mean, minimum and maximum of a set of intensities.
    struct IntensitySummary {
        var count = 0
        var sum = 0.0
        var minimum = Double.infinity
        var maximum = -Double.infinity

        @inline(__always) mutating func add(_ x: Double) {
            count += 1
            sum += x
            if x < minimum { minimum = x }
            if x > maximum { maximum = x }
        }

        var mean: Double { count > 0 ? sum / Double(count) : .nan }
    }

    static func wholeImageSummary(_ image: ScalarImage, round: Bool) -> IntensitySummary {
        var s = IntensitySummary()
        switch image {
        case .int16(let v):
            v.voxels.withUnsafeBufferPointer { b in for x in b { s.add(Double(x)) } }
        case .float(let v):
            v.voxels.withUnsafeBufferPointer { b in
                if round { for x in b { s.add(Double(x).rounded(.toNearestOrEven)) } } else { for x in b { s.add(Double(x)) } }
            }
        }
        return s
    }

    /// Mean, minimum and maximum of the whole interpolated image, interpolated in chunks of slices.
    static func interpolatedImageSummary(maps: [AxisMapping], interpolator: Interpolator, round: Bool,
                                         budget: Int = chunkVoxelBudget,
                                         read: (SIMD3<Int>, SIMD3<Int>) -> [Double]) -> IntensitySummary {
        let n1 = SIMD3(maps[0].count, maps[1].count, maps[2].count)
        let sliceVoxels = Double(max(maps[0].sourceCount * maps[1].sourceCount, n1.x * n1.y))
        let chunk = max(1, Int(Double(budget) / (sliceVoxels * max(1, maps[2].ratio))))
        var s = IntensitySummary()
        for z0 in stride(from: 0, to: n1.z, by: chunk) {
            let box = BoundingBox(lower: SIMD3(0, 0, z0), upper: SIMD3(n1.x - 1, n1.y - 1, min(n1.z - 1, z0 + chunk - 1)))
            var values = Resampler.resample(maps: maps, box: box, interpolator: interpolator, read: read)
            if round { roundIntensities(&values) }
            for x in values { s.add(x) }
        }
        return s
    }

    /// Bounding box of the non-zero voxels of a box-shaped mask (i fastest).
    static func boundingBox(_ mask: [UInt8], size: SIMD3<Int>) -> BoundingBox? {
        Mask(geometry: ImageGeometry(size: size, spacing: SIMD3(1, 1, 1)), voxels: mask).boundingBox
    }

    static func imageDiagnostics(_ stage: String, size: SIMD3<Int>, spacing: SIMD3<Double>,
                                 summary: IntensitySummary?) -> [FeatureValue] {
        var out: [FeatureValue] = [
            ("img_dim_x_\(stage)_img", Double(size.x)), ("img_dim_y_\(stage)_img", Double(size.y)),
            ("img_dim_z_\(stage)_img", Double(size.z)),
            ("vox_dim_x_\(stage)_img", spacing.x), ("vox_dim_y_\(stage)_img", spacing.y),
            ("vox_dim_z_\(stage)_img", spacing.z),
        ]
        if let summary {
            out += [("mean_int_\(stage)_img", summary.mean), ("min_int_\(stage)_img", summary.minimum),
                    ("max_int_\(stage)_img", summary.maximum)]
        }
        return out
    }

    static func roiDiagnostics(_ stage: String, gridSize: SIMD3<Int>, boxSize: SIMD3<Int>, intensities: [Double],
                               intensityMask: [UInt8], morphologicalMask: [UInt8]) -> [FeatureValue] {
        let intBox = boundingBox(intensityMask, size: boxSize)?.size ?? .zero
        let morphBox = boundingBox(morphologicalMask, size: boxSize)?.size ?? .zero
        var s = IntensitySummary()
        for q in intensities.indices where intensityMask[q] != 0 { s.add(intensities[q]) }
        let morphCount = morphologicalMask.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        let t = "_\(stage)_roi"
        return [
            ("int_mask_dim_x" + t, Double(gridSize.x)), ("int_mask_dim_y" + t, Double(gridSize.y)),
            ("int_mask_dim_z" + t, Double(gridSize.z)),
            ("int_mask_bb_dim_x" + t, Double(intBox.x)), ("int_mask_bb_dim_y" + t, Double(intBox.y)),
            ("int_mask_bb_dim_z" + t, Double(intBox.z)),
            ("morph_mask_bb_dim_x" + t, Double(morphBox.x)), ("morph_mask_bb_dim_y" + t, Double(morphBox.y)),
            ("morph_mask_bb_dim_z" + t, Double(morphBox.z)),
            ("int_mask_vox_count" + t, Double(s.count)), ("morph_mask_vox_count" + t, Double(morphCount)),
            ("int_mask_mean_int" + t, s.mean), ("int_mask_min_int" + t, s.minimum), ("int_mask_max_int" + t, s.maximum),
        ]
    }
}
