import Foundation
import RadiomicsCore
import RadiomicsFilters

/// PyRadiomics' feature extraction (featureextractor.RadiomicsFeatureExtractor.execute): preprocessing as
/// PyRadiomics does it, shape on the original image, then for every enabled image type in the file's order and
/// every image it derives (`PyRadiomicsImageType`) the other enabled classes, with PyRadiomics' keys
/// (`original_shape_Sphericity`, `wavelet-LLH_firstorder_Mean`, `log-sigma-3-0-mm-3D_glcm_Contrast`) in
/// PyRadiomics' order: shape (and shape2D) first, then per image the classes in the order they were enabled,
/// features alphabetically (or in the order the parameter file lists them).
public enum PyRadiomicsExtractor {
    public struct Output: Sendable {
        public var diagnostics: [(key: String, value: OutputValue)]
        public var features: [(key: String, value: Double)]
        /// Things PyRadiomics would log as warnings (e.g. shape2D skipped).
        public var warnings: [String] = []
    }

    /// Feature names of a class, without prefix, in PyRadiomics' output order.
    public static func featureNames(of featureClass: String) -> [String] {
        switch featureClass {
        case "firstorder": return PyRadiomicsFirstOrder.featureNames
        case "shape": return PyRadiomicsShape.featureNames
        case "shape2D": return PyRadiomicsShape2D.featureNames
        case "glcm": return PyRadiomicsGLCM.featureNames
        case "glrlm": return PyRadiomicsGLRLM.featureNames
        case "glszm": return PyRadiomicsGLSZM.featureNames
        case "gldm": return PyRadiomicsGLDM.featureNames
        case "ngtdm": return PyRadiomicsNGTDM.featureNames
        default: return []
        }
    }

    /// `image` in its stored pixel type, `mask` on the same grid with 1 inside the ROI.
    public static func extract(image: Volume<Double>, pixelType: PyRadiomicsPixelType, mask: Mask,
                               parameters p: PyRadiomicsParameters) throws -> Output {
        try extract(source: PyRadiomicsSource(image, pixelType: pixelType), mask: mask, parameters: p)
    }

    /// The part of an image (a box of its grid) an extraction reads when the ROI's box is `roiBox`: the ROI's box
    /// and what resampling interpolates from or the image types read around it; nil when it needs the whole image
    /// (normalisation's statistics). Reading only this part, and the whole image's extremes when
    /// `needsWholeExtremes` says so, gives the same values as reading the whole image.
    public static func regionNeeded(grid: ImageGeometry, roiBox box: BoundingBox, parameters p: PyRadiomicsParameters) -> BoundingBox? {
        let s = p.settings
        if s.normalize { return nil }
        let padded = box.expanded(by: SIMD3(repeating: max(0, s.padDistance)), within: grid.size)
        var region: BoundingBox
        if let spacing = s.resampledPixelSpacing, let name = s.interpolator {
            // Settings that cannot be used are refused by the extraction itself, which then reads everything.
            guard let interpolator = PyRadiomicsResampling.Interpolator(rawValue: name),
                  let target = try? PyRadiomicsResampling.targetSpacing(spacing, old: grid.spacing, box: box) else { return nil }
            if PyRadiomicsPreprocessing.sameSpacing(grid.spacing, target) {
                region = padded
            } else {
                guard let plan = try? PyRadiomicsResampling.plan(old: grid, box: box, spacing: spacing, interpolator: interpolator,
                                                                 padDistance: s.padDistance) else { return nil }
                region = plan.region.union(box)
            }
        } else if s.preCrop {
            region = padded
        } else {
            region = p.imageTypes.reduce(box) { $0.union($1.region(for: box, grid: grid)) }
            // Re-segmentation shrinks the box the filters read around; a LoG region widened to ITK's 4 voxels
            // may then start a little lower than the whole box's.
            if s.resegmentRange != nil { region = region.expanded(by: SIMD3(repeating: 4), within: grid.size) }
        }
        return region
    }

    /// Does an extraction need the whole image's smallest and largest value besides `regionNeeded`? Square,
    /// SquareRoot, Logarithm and Exponential scale by the largest absolute value of the image as read when it is
    /// neither resampled nor cropped first.
    public static func needsWholeExtremes(_ p: PyRadiomicsParameters) -> Bool {
        let s = p.settings
        let remade = s.normalize || s.preCrop || (s.resampledPixelSpacing != nil && s.interpolator != nil)
        return !remade && p.imageTypes.contains(where: \.needsLargestMagnitude)
    }

    /// The image as read from its file, `mask` with 1 inside the ROI on its grid, or on a part of it starting at
    /// `maskOffset` that holds the ROI.
    public static func extract(source: PyRadiomicsSource, mask: Mask, maskOffset: SIMD3<Int> = .zero,
                               parameters p: PyRadiomicsParameters) throws -> Output {
        let s = p.settings
        for (name, list) in p.featureClasses {
            let known = Set(featureNames(of: name))
            if let unknown = list?.first(where: { !known.contains($0) }) {
                throw RadiomicsError("featureClass \(name): no feature '\(unknown)' (known: \(featureNames(of: name).joined(separator: ", ")))")
            }
        }
        let types = p.imageTypes
        let prepared = try PyRadiomicsPreprocessing.prepare(
            source: source, mask: mask, maskOffset: maskOffset, settings: s,
            filterRegion: { box, grid in types.reduce(box) { $0.union($1.windowRegion(for: box, grid: grid)) } },
            needsLargest: types.contains { $0.needsLargestMagnitude })
        var features: [(key: String, value: Double)] = []
        func add(_ featureClass: String, _ list: [String]?, _ values: [(name: String, value: Double)]) {
            append(values, as: "original_\(featureClass)", list: list, to: &features)
        }
        let enabled = p.featureClasses
        if let shape = enabled.first(where: { $0.name == "shape" }) {
            add("shape", shape.features, PyRadiomicsShape.features(prepared.shapeROI))
        }
        var warnings: [String] = []
        if let shape2D = enabled.first(where: { $0.name == "shape2D" }) {
            // PyRadiomics' guard (featureextractor.computeShape) reads the bounding box in SimpleITK's (x, y, z)
            // order with force2Ddimension, a numpy (z, y, x) axis, and skips shape2D with a warning when that
            // size is 1; the class then requires the ROI to be one voxel thick along the numpy axis. Kept as is,
            // so the same cases get shape2D features as in PyRadiomics.
            if !s.force2D {
                // Enabled by default (every class) it is skipped quietly; asked for, it is said why.
                if p.featureClasses.map(\.name) != PyRadiomicsParameters.defaultClasses.map(\.name) {
                    warnings.append("shape2D needs force2D: true; shape2D features are not computed")
                }
            } else if prepared.shapeROI.size[s.force2Ddimension] <= 1 {
                warnings.append("shape2D skipped as PyRadiomics does: bounding-box size along SimpleITK axis \(s.force2Ddimension) is 1")
            } else {
                add("shape2D", shape2D.features, try PyRadiomicsShape2D.features(prepared.shapeROI, force2Ddimension: s.force2Ddimension))
            }
        }
        let roi = prepared.roi
        let textureClasses = enabled.filter { !$0.name.hasPrefix("shape") }
        if !textureClasses.isEmpty {
            // Derived images are computed one type at a time and their features a few images at a time on all
            // cores, in PyRadiomics' order; at most one batch of images is held besides the type's own.
            var pending: [(name: String, roi: PyRadiomicsROI, settings: PyRadiomicsSettings)] = []
            func flush() throws {
                let results = parallelMap(pending) { item in
                    Result { try texture(of: item.roi, named: item.name, classes: textureClasses, settings: item.settings) }
                }
                for r in results { features += try r.get() }
                pending.removeAll()
            }
            for imageType in p.imageTypes {
                let derivedImages = try imageType.derived(from: prepared.image, source: prepared.source, pixelType: prepared.pixelType, box: prepared.box,
                                                          original: roi.image, largest: prepared.largestMagnitude)
                for derived in derivedImages {
                    switch derived {
                    case .skipped(let reason):
                        warnings.append(reason)
                    case .image(let name, let values):
                        let image = PyRadiomicsROI(size: roi.size, spacing: roi.spacing, image: values, mask: roi.mask)
                        pending.append((name, image, imageType.settings))
                        if pending.count >= max(2, ThreadBudget.threads) { try flush() }
                    }
                }
            }
            try flush()
        }
        return Output(diagnostics: prepared.diagnostics, features: features, warnings: warnings)
    }

    /// A class's values under `prefix` (`original_glcm`), in the order of `list` when the file gave one.
    static func append(_ values: [(name: String, value: Double)], as prefix: String, list: [String]?,
                       to features: inout [(key: String, value: Double)]) {
        let byName = Dictionary(values.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        for name in list ?? values.map(\.name) {
            features.append(("\(prefix)_\(name)", byName[name] ?? .nan))
        }
    }

    /// First-order and texture classes of one (derived) image, keys `<image>_<class>_<Feature>`
    /// (featureextractor.computeFeatures), with that image type's settings.
    static func texture(of roi: PyRadiomicsROI, named imageName: String, classes: [(name: String, features: [String]?)],
                        settings s: PyRadiomicsSettings) throws -> [(key: String, value: Double)] {
        var features: [(key: String, value: Double)] = []
        let values = roi.roiValues
        if let bad = values.first(where: { !$0.isFinite }) {
            throw RadiomicsError("the \(imageName) image is \(bad.isNaN ? "NaN" : "infinite") inside the ROI (a filter setting far outside its range, e.g. a LoG sigma far below the voxel spacing): its features cannot be computed")
        }
        if s.binCount == nil, let lo = values.min(), let hi = values.max() {
            try Limits.checkGreyLevels(minimum: lo, maximum: hi, lower: lo, width: s.binWidth, key: imageName == "original" ? "binWidth" : "binWidth (\(imageName) image)")
        }
        let levels = PyRadiomicsBinning.discretise(roi, binWidth: s.binWidth, binCount: s.binCount).levels
        // GLCM and GLRLM index the same grey levels: once for both.
        let grey = Set(classes.map(\.name)).isSuperset(of: ["glcm", "glrlm"]) ? PyRadiomicsGLCM.GreyLevelIndex(levels: levels, mask: roi.mask) : nil
        for (name, list) in classes {
            let values: [(name: String, value: Double)]
            switch name {
            case "firstorder": values = PyRadiomicsFirstOrder.features(roi, levels: levels, settings: s)
            case "glcm": values = PyRadiomicsGLCM.features(levels: levels, roi: roi, settings: s, grey: grey)
            case "glrlm": values = PyRadiomicsGLRLM.features(levels: levels, roi: roi, settings: s, grey: grey)
            case "glszm": values = PyRadiomicsGLSZM.features(levels: levels, roi: roi, settings: s)
            case "gldm": values = PyRadiomicsGLDM.features(levels: levels, roi: roi, settings: s)
            case "ngtdm": values = PyRadiomicsNGTDM.features(levels: levels, roi: roi, settings: s)
            default: continue
            }
            append(values, as: "\(imageName)_\(name)", list: list, to: &features)
        }
        return features
    }
}
