import Foundation
import RadiomicsCore

/// The image as PyRadiomics' extraction reads it: the whole grid in its stored pixel type, converted to Double
/// only where something reads it (the ROI's box, what the filters reach around it, or what resampling
/// interpolates from), so that a 512 x 512 x 200 CT is never copied whole unless normalisation needs its
/// statistics.
public struct PyRadiomicsSource: Sendable {
    public let grid: ImageGeometry
    public let pixelType: PyRadiomicsPixelType
    let read: @Sendable (BoundingBox) -> ImageWindow
    /// The whole image's smallest and largest value.
    let extremes: @Sendable () -> (min: Double, max: Double)
    /// Sum and sum of squares over the whole image, in storage order.
    let sums: @Sendable () -> (sum: Double, squares: Double)
    /// The image as read from its file and how a region of the whole grid maps into it (checked to lie in what was
    /// read), for filters that read a region in place in its stored type; nil for images made in memory.
    let stored: (image: ScalarImage, local: @Sendable (BoundingBox) -> BoundingBox)?

    /// An image already in Double (tests, normalised images).
    public init(_ volume: Volume<Double>, pixelType: PyRadiomicsPixelType) {
        grid = volume.geometry
        self.pixelType = pixelType
        read = { region in
            region == BoundingBox(size: volume.geometry.size) ? ImageWindow(volume)
                : ImageWindow(grid: volume.geometry, region: region, values: volume.cropped(to: region).voxels)
        }
        extremes = { (volume.voxels.min() ?? 0, volume.voxels.max() ?? 0) }
        sums = { Self.sums(volume.voxels) }
        stored = nil
    }

    static func sums<S: VoxelScalar>(_ voxels: [S]) -> (sum: Double, squares: Double) {
        var sum = 0.0, squares = 0.0
        for x in voxels { let v = x.doubleValue; sum += v; squares += v * v }
        return (sum, squares)
    }

    /// An image as read from its file (Int16 CT or Float): the whole image, or (`whole`, `offset`) a box of it,
    /// starting at `offset` of the whole image's grid `whole`. Of an image read in part only regions within the
    /// box can be read, and the whole image's sums are not known, nor its extremes unless `wholeExtremes` gives
    /// them: `PyRadiomicsExtractor.regionNeeded` says what an extraction reads, and when it needs all.
    public init(_ image: ScalarImage, whole: ImageGeometry? = nil, offset: SIMD3<Int> = .zero,
                wholeExtremes: (min: Double, max: Double)? = nil) {
        let held = BoundingBox(lower: offset, upper: offset &+ image.geometry.size &- 1)
        let full = whole ?? image.geometry
        let isWhole = held == BoundingBox(size: full.size)
        grid = full
        switch image {
        case .int16: pixelType = .int16
        case .float: pixelType = .float32
        }
        /// A region of the whole grid in the indices of what was read.
        @Sendable func local(_ region: BoundingBox) -> BoundingBox {
            precondition(held.contains(region), "region \(region) outside the part read \(held)")
            return region.relative(to: offset)
        }
        read = { ImageWindow(grid: full, region: $0, values: image.cropped(to: local($0)).voxels) }
        stored = (image, local)
        extremes = {
            if let wholeExtremes { return wholeExtremes }
            precondition(isWhole, "the whole image's extremes of an image read in part")
            return image.extremes
        }
        sums = {
            precondition(isWhole, "the whole image's sums of an image read in part")
            switch image {
            case .int16(let v): return Self.sums(v.voxels)
            case .float(let v): return Self.sums(v.voxels)
            }
        }
    }

    init(grid: ImageGeometry, pixelType: PyRadiomicsPixelType, read: @escaping @Sendable (BoundingBox) -> ImageWindow,
         extremes: @escaping @Sendable () -> (min: Double, max: Double),
         sums: @escaping @Sendable () -> (sum: Double, squares: Double)) {
        self.grid = grid
        self.pixelType = pixelType
        self.read = read
        self.extremes = extremes
        self.sums = sums
        stored = nil
    }

    /// imageoperations.normalizeImage as a view: the whole image's mean and standard deviation (n - 1) are summed
    /// in one pass over the stored voxels, and every region read is normalised as it is converted, so the whole
    /// image is never held in Double. Float64 from then on, as PyRadiomics' normalised image.
    public func normalized(scale: Double, removeOutliers: Double?) -> PyRadiomicsSource {
        let n = Double(grid.voxelCount)
        let (sum, squares) = sums()
        let mean = sum / n
        let sigma = ((squares - sum * sum / n) / (n - 1)).squareRoot()
        @Sendable func map(_ x: Double) -> Double {
            var v = (x - mean) / sigma
            if let limit = removeOutliers { v = min(max(v, -limit), limit) }
            return v * scale
        }
        let base = self
        return PyRadiomicsSource(
            grid: grid, pixelType: .float64,
            read: { region in
                let w = base.window(region)
                return ImageWindow(grid: w.grid, region: w.region, values: w.values.map(map))
            },
            extremes: {
                // Normalisation never decreases a value: the extremes are those of the stored image, normalised.
                let e = base.extremes()
                return (map(e.min), map(e.max))
            },
            sums: {
                let w = base.whole()
                return Self.sums(w.voxels.map(map))
            })
    }

    /// `region` as Double.
    public func window(_ region: BoundingBox) -> ImageWindow { read(region) }
    /// `body` on `region`'s voxels in place, as stored (Int16 or Float, not normalised); nil for an image made in
    /// memory, which `window` reads.
    public func withStored<R>(_ region: BoundingBox, _ body: (StoredRegion) -> R) -> R? {
        guard let stored else { return nil }
        return stored.image.withStored(stored.local(region), body)
    }
    /// The whole image as Double.
    public func whole() -> Volume<Double> {
        let w = read(BoundingBox(size: grid.size))
        return Volume(geometry: grid, voxels: w.values)
    }
    /// The largest absolute value of the whole image.
    public var largestMagnitude: Double {
        let e = extremes()
        return max(abs(e.min), abs(e.max))
    }
}

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
        /// cropped to the ROI), held at least over the ROI's box and `filterRegion` of it; its pixel type; the
        /// box of `roi` on it; and its largest absolute value when `needsLargest` asked for it.
        public var image: ImageWindow
        public var pixelType: PyRadiomicsPixelType
        public var box: BoundingBox
        public var largestMagnitude: Double?
        /// The same image as a source, for image types that read regions of their own (LoG).
        public var source: PyRadiomicsSource
    }

    /// `mask` with 1 inside the ROI, on the source's grid or on a part of it starting at `maskOffset` that holds the
    /// ROI (the slices read around it). `filterRegion` says what the image types read around a box of the image
    /// they filter (default: nothing beyond it); `needsLargest`, whether they need its largest absolute value.
    public static func prepare(source: PyRadiomicsSource, mask: Mask, maskOffset: SIMD3<Int> = .zero, settings s: PyRadiomicsSettings,
                               filterRegion: (BoundingBox, ImageGeometry) -> BoundingBox = { box, _ in box },
                               needsLargest: Bool = false) throws -> Prepared {
        precondition(BoundingBox(size: source.grid.size).contains(BoundingBox(lower: maskOffset, upper: maskOffset &+ mask.size &- 1)),
                     "the mask must lie on the image's grid")
        var diagnostics: [(key: String, value: OutputValue)] = []
        guard let box0 = mask.boundingBox?.shifted(by: maskOffset) else {
            throw RadiomicsError("label \(s.label) not present in mask: the ROI is empty")
        }
        var source = source, mask = mask, maskOffset = maskOffset
        // The image PyRadiomics filters, when preprocessing made it anew (else the source itself).
        var made: Volume<Double>?
        if s.normalize {
            source = source.normalized(scale: s.normalizeScale, removeOutliers: s.removeOutliers)
        }
        if let spacing = s.resampledPixelSpacing, let name = s.interpolator {
            guard let interpolator = PyRadiomicsResampling.Interpolator(rawValue: name) else {
                throw RadiomicsError("interpolator '\(name)' is not supported (use \(PyRadiomicsResampling.Interpolator.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let target = try PyRadiomicsResampling.targetSpacing(spacing, old: source.grid.spacing, box: box0)
            if sameSpacing(source.grid.spacing, target) {
                let padded = box0.expanded(by: SIMD3(repeating: s.padDistance), within: source.grid.size)
                made = Volume(geometry: source.grid.subGrid(padded), voxels: source.window(padded).values)
                mask = mask.cut(to: padded, from: maskOffset, grid: source.grid)
            } else {
                let r = try PyRadiomicsResampling.resample(
                    image: source, mask: mask, maskOffset: maskOffset, box: box0, spacing: spacing, interpolator: interpolator,
                    padDistance: s.padDistance)
                made = r.image
                mask = r.mask
            }
            maskOffset = .zero
            diagnostics.append(("resampled_size", .ints([made!.size.x, made!.size.y, made!.size.z])))
            diagnostics.append(("resampled_spacing", .doubles([made!.geometry.spacing.x, made!.geometry.spacing.y, made!.geometry.spacing.z])))
        } else if s.preCrop {
            let padded = box0.expanded(by: SIMD3(repeating: s.padDistance), within: source.grid.size)
            made = Volume(geometry: source.grid.subGrid(padded), voxels: source.window(padded).values)
            mask = mask.cut(to: padded, from: maskOffset, grid: source.grid)
            maskOffset = .zero
        }
        let pixelType = source.pixelType
        if let made { source = PyRadiomicsSource(made, pixelType: pixelType) }
        let box = try checked(mask, settings: s, stage: "").shifted(by: maskOffset)
        diagnostics.append(("mask_voxels", .int(mask.regionVoxelCount)))
        // From here the mask is held over the ROI's box (re-segmentation only removes voxels). The ROI's box before
        // and after re-segmentation lie inside it: hold that and what the filters read around the (re-segmented) box.
        let boxMask = mask.cut(to: box, from: maskOffset, grid: source.grid)
        var roiBox = box
        var reseg: Mask?
        if let range = s.resegmentRange {
            let r = try resegmented(image: source.window(box), mask: boxMask, range: range, mode: s.resegmentMode)
            roiBox = try checked(r, settings: s, stage: "after re-segmentation ").shifted(by: box.lower)
            diagnostics.append(("resegmented_voxels", .int(r.regionVoxelCount)))
            reseg = r
        }
        let window = source.window(box.union(filterRegion(roiBox, source.grid)))
        let shapeROI: PyRadiomicsROI
        let roi: PyRadiomicsROI
        if let reseg {
            roi = crop(window, reseg, held: box, to: roiBox)
            shapeROI = s.resegmentShape ? roi : crop(window, boxMask, held: box, to: box)
        } else {
            roi = crop(window, boxMask, held: box, to: box)
            shapeROI = roi
        }
        return Prepared(shapeROI: shapeROI, roi: roi, diagnostics: diagnostics, image: window, pixelType: pixelType, box: roiBox,
                        largestMagnitude: needsLargest ? source.largestMagnitude : nil, source: source)
    }

    /// numpy.allclose of two spacings: PyRadiomics then only crops instead of resampling.
    static func sameSpacing(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Bool {
        (0..<3).allSatisfy { d in abs(a[d] - b[d]) <= 1e-8 + 1e-5 * abs(b[d]) }
    }

    /// The ROI over `box` of the image's window, from a mask held over `held` (which holds `box`).
    static func crop(_ image: ImageWindow, _ mask: Mask, held: BoundingBox, to box: BoundingBox) -> PyRadiomicsROI {
        let voxels = box == held ? mask.voxels : mask.cropped(to: box.relative(to: held.lower)).voxels
        return PyRadiomicsROI(size: box.size, spacing: image.grid.spacing, image: image.values(in: box),
                              mask: voxels.map { min($0, 1) })
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
        PyRadiomicsSource(image, pixelType: .float64).normalized(scale: scale, removeOutliers: removeOutliers).whole()
    }

    /// imageoperations.resegmentMask: keep ROI voxels with value >= the lower threshold (and <= the upper one
    /// when two are given). Thresholds: absolute values; `relative`: fractions of the ROI's maximum; `sigma`:
    /// mean + k SD (population) of the ROI. `image` and `mask` hold the same box (the ROI's).
    static func resegmented(image: ImageWindow, mask: Mask, range: [Double], mode: String) throws -> Mask {
        guard (1...2).contains(range.count) else {
            throw RadiomicsError("resegmentRange must hold one or two values, got \(range.count)")
        }
        precondition(image.values.count == mask.voxels.count, "image and mask must hold the same box")
        var values: [Double] = []
        for n in mask.voxels.indices where mask.voxels[n] != 0 { values.append(image.values[n]) }
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
        for n in out.voxels.indices where out.voxels[n] != 0 {
            let v = image.values[n]
            let keep = v >= thresholds[0] && (thresholds.count == 1 || v <= thresholds[1])
            out.voxels[n] = keep ? 1 : 0
            if keep { kept += 1 }
        }
        if kept <= 1 {
            throw RadiomicsError("re-segmentation (\(mode) \(range)) kept \(kept) voxel(s) of the ROI: no features can be computed")
        }
        return out
    }
}
