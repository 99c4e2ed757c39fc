import Foundation
import RadiomicsCore

/// PyRadiomics' preprocessing (featureextractor.loadImage and execute, imageoperations.py), in its order:
/// normalise the whole image, resample image and mask (or, with preCrop, crop them), check the mask,
/// re-segment, and crop to the ROI's bounding box for the feature classes. Shape uses the mask before
/// re-segmentation unless `resegmentShape` is set.
public enum PyRadiomicsPreprocessing {
    /// What the feature classes receive.
    public struct Prepared: Sendable {
        /// Image and mask for shape (the mask before re-segmentation, unless resegmentShape).
        public var shapeROI: PyRadiomicsROI
        /// Image and (re-segmented) mask for every other class, cropped to that mask's bounding box.
        public var roi: PyRadiomicsROI
        /// Diagnostics: (key, value) in PyRadiomics' `diagnostics_*` spirit.
        public var diagnostics: [(key: String, value: OutputValue)]
        /// The image PyRadiomics hands to its image types (normalised, resampled or cropped as configured, not yet
        /// cropped to the ROI), its pixel type, and the box of `roi` on it.
        public var image: Volume<Double>
        public var pixelType: PyRadiomicsPixelType
        public var box: BoundingBox
    }

    /// `image` in its stored pixel type (`pixelType`), `mask` on the same grid with 1 inside the ROI.
    public static func prepare(image: Volume<Double>, pixelType: PyRadiomicsPixelType, mask: Mask,
                               settings s: PyRadiomicsSettings) throws -> Prepared {
        precondition(image.size == mask.size, "image and mask must share the grid")
        var diagnostics: [(key: String, value: OutputValue)] = []
        guard let box0 = mask.boundingBox else {
            throw RadiomicsError("label \(s.label) not present in mask: the ROI is empty")
        }
        var image = image, mask = mask, pixelType = pixelType
        if s.normalize {
            image = normalized(image, scale: s.normalizeScale, removeOutliers: s.removeOutliers)
            pixelType = .float64
        }
        if let spacing = s.resampledPixelSpacing, let name = s.interpolator {
            guard let interpolator = PyRadiomicsResampling.Interpolator(rawValue: name) else {
                throw RadiomicsError("interpolator '\(name)' is not supported (use \(PyRadiomicsResampling.Interpolator.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let target = try PyRadiomicsResampling.targetSpacing(spacing, old: image.geometry.spacing, box: box0)
            let sameSpacing = (0..<3).allSatisfy { d in
                abs(image.geometry.spacing[d] - target[d]) <= 1e-8 + 1e-5 * abs(target[d])  // numpy.allclose
            }
            if sameSpacing {
                let padded = box0.expanded(by: SIMD3(repeating: s.padDistance), within: image.size)
                image = image.cropped(to: padded)
                mask = mask.cropped(to: padded)
            } else {
                let r = try PyRadiomicsResampling.resample(
                    image: image, pixelType: pixelType, mask: mask, box: box0, spacing: spacing,
                    interpolator: interpolator, padDistance: s.padDistance)
                image = r.image
                mask = r.mask
            }
            diagnostics.append(("resampled_size", .ints([image.size.x, image.size.y, image.size.z])))
            diagnostics.append(("resampled_spacing", .doubles([image.geometry.spacing.x, image.geometry.spacing.y, image.geometry.spacing.z])))
        } else if s.preCrop {
            let padded = box0.expanded(by: SIMD3(repeating: s.padDistance), within: image.size)
            image = image.cropped(to: padded)
            mask = mask.cropped(to: padded)
        }
        let box = try checked(mask, settings: s, stage: "")
        diagnostics.append(("mask_voxels", .int(mask.regionVoxelCount)))
        let shapeROI: PyRadiomicsROI
        let roi: PyRadiomicsROI
        var roiBox = box
        if let range = s.resegmentRange {
            let reseg = try resegmented(image: image, mask: mask, box: box, range: range, mode: s.resegmentMode)
            let rbox = try checked(reseg, settings: s, stage: "after re-segmentation ")
            diagnostics.append(("resegmented_voxels", .int(reseg.regionVoxelCount)))
            roi = crop(image, reseg, rbox)
            shapeROI = s.resegmentShape ? roi : crop(image, mask, box)
            roiBox = rbox
        } else {
            roi = crop(image, mask, box)
            shapeROI = roi
        }
        return Prepared(shapeROI: shapeROI, roi: roi, diagnostics: diagnostics, image: image, pixelType: pixelType, box: roiBox)
    }

    static func crop(_ image: Volume<Double>, _ mask: Mask, _ box: BoundingBox) -> PyRadiomicsROI {
        let whole = box.lower == .zero && box.size == image.size // already cropped by the caller: no copy
        return PyRadiomicsROI(size: box.size, spacing: image.geometry.spacing,
                              image: whole ? image.voxels : image.cropped(to: box).voxels,
                              mask: (whole ? mask : mask.cropped(to: box)).voxels.map { min($0, 1) })
    }

    /// imageoperations.checkMask: the ROI must extend over at least `minimumROIDimensions` axes (and more than
    /// one voxel), and hold more than `minimumROISize` voxels.
    static func checked(_ mask: Mask, settings s: PyRadiomicsSettings, stage: String) throws -> BoundingBox {
        guard let box = mask.boundingBox else { throw RadiomicsError("the ROI is empty \(stage)") }
        let dims = (0..<3).filter { box.size[$0] > 1 }.count
        if dims == 0 {
            throw RadiomicsError("the ROI \(stage)holds a single voxel: no features can be computed")
        }
        if dims < s.minimumROIDimensions {
            throw RadiomicsError("the ROI \(stage)extends over \(dims) dimension(s); minimumROIDimensions is \(s.minimumROIDimensions)")
        }
        if let minSize = s.minimumROISize {
            let n = mask.regionVoxelCount
            if n <= minSize { throw RadiomicsError("the ROI \(stage)has \(n) voxels; minimumROISize is \(minSize)") }
        }
        return box
    }

    /// imageoperations.normalizeImage: SimpleITK's Normalize over the whole image (mean, and the standard
    /// deviation with n - 1), outliers clipped at ±removeOutliers, times normalizeScale.
    public static func normalized(_ image: Volume<Double>, scale: Double, removeOutliers: Double?) -> Volume<Double> {
        let n = Double(image.voxels.count)
        var sum = 0.0, sumSquares = 0.0
        for v in image.voxels { sum += v; sumSquares += v * v }
        let mean = sum / n
        let variance = (sumSquares - sum * sum / n) / (n - 1)
        let sigma = variance.squareRoot()
        var out = image
        for i in out.voxels.indices {
            var v = (out.voxels[i] - mean) / sigma
            if let limit = removeOutliers { v = min(max(v, -limit), limit) }
            out.voxels[i] = v * scale
        }
        return out
    }

    /// imageoperations.resegmentMask: keep ROI voxels with value >= the lower threshold (and <= the upper one
    /// when two are given). Thresholds: absolute values; `relative`: fractions of the ROI's maximum; `sigma`:
    /// mean + k SD (population) of the ROI.
    static func resegmented(image: Volume<Double>, mask: Mask, box: BoundingBox, range: [Double], mode: String) throws -> Mask {
        guard (1...2).contains(range.count) else {
            throw RadiomicsError("resegmentRange must hold one or two values, got \(range.count)")
        }
        let values = zip(image.voxels, mask.voxels).compactMap { $1 != 0 ? $0 : nil }
        let sorted = range.sorted()
        let thresholds: [Double]
        switch mode {
        case "absolute": thresholds = sorted
        case "relative":
            let maxValue = values.max() ?? 0
            thresholds = sorted.map { maxValue * $0 }
        case "sigma":
            let mean = values.reduce(0, +) / Double(values.count)
            let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
            thresholds = sorted.map { mean + sd * $0 }
        default:
            throw RadiomicsError("resegmentMode '\(mode)' is not one of absolute, relative, sigma")
        }
        var out = mask
        var kept = 0
        for i in out.voxels.indices where out.voxels[i] != 0 {
            let v = image.voxels[i]
            let keep = v >= thresholds[0] && (thresholds.count == 1 || v <= thresholds[1])
            out.voxels[i] = keep ? 1 : 0
            if keep { kept += 1 }
        }
        if kept <= 1 {
            throw RadiomicsError("re-segmentation (\(mode) \(range)) kept \(kept) voxel(s) of the ROI: no features can be computed")
        }
        return out
    }
}
