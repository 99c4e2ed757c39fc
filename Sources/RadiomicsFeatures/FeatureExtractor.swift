import Foundation
import RadiomicsCore
import RadiomicsFilters

/// Image + mask -> IBSI diagnostics and features, as the settings say.
///
/// Preprocessing (interpolation, rounding, re-segmentation) gives the ROI volume; each family then reads it
/// (morphology, local intensity, statistics, IVH) or its discretised grey levels (intensity histogram and
/// the texture matrices, for each spatial method asked for).
public enum FeatureExtractor {
    public static func extract(image: ScalarImage, mask: Mask, settings: ExtractionSettings) throws
        -> (diagnostics: [FeatureValue], features: [FeatureValue]) {
        let filters = try settings.filters.enumerated().map { i, spec in try spec.make(key: "filters[\(i)]") }
        let reach: ((SIMD3<Double>) throws -> SIMD3<Int>)? = filters.isEmpty ? nil : { spacing in
            for f in filters { try f.checkReach(spacing: spacing) }
            return filters.reduce(SIMD3<Int>.zero) { pointwiseMax($0, $1.reach(spacing: spacing)) }
        }
        let (roi, diagnostics) = try Preprocessing.run(image: image, mask: mask, settings: settings.preprocessing, filterReach: reach)
        guard roi.intensityMask.contains(where: { $0 != 0 }) else {
            throw RadiomicsError("no voxel of the ROI is left after re-segmentation; widen the range or drop outlier filtering")
        }
        let families = Set(settings.families)
        var features: [FeatureValue] = []
        if families.contains(.morph) { features += Morphology.compute(roi) }
        if families.contains(.loc) { features += LocalIntensity.compute(roi) }
        if families.contains(.stat) { features += IntensityStatistics.compute(roi) }

        let needsLevels = families.contains(.ih) || families.contains(where: \.isTexture)
        if needsLevels {
            // Fixed bin size starts at the re-segmentation range's lower bound when there is one (IBSI).
            let discretisation = settings.discretisation.resolvingLowerBound(with: settings.preprocessing)
            try discretisation.checkLevelCount(roi)
            let levels = discretisation.apply(to: roi)
            if families.contains(.ih) { features += IntensityHistogram.compute(levels) }
            if families.contains(.ivh) { features += try ivh(roi, settings) }
            let distanceMask = morphologicalMask(of: roi, onBoxOf: levels)
            for dimension in settings.dimensions {
                if families.contains(.cm) { features += GLCM.compute(levels, dimension: dimension, distance: settings.glcmDistance) }
                if families.contains(.rlm) { features += GLRLM.compute(levels, dimension: dimension) }
                if families.contains(.szm) { features += GLSZM.compute(levels, dimension: dimension) }
                if families.contains(.dzm) { features += GLDZM.compute(levels, dimension: dimension, distanceMask: distanceMask) }
                if families.contains(.ngt) { features += NGTDM.compute(levels, dimension: dimension, distance: settings.ngtdmDistance) }
                if families.contains(.ngl) {
                    features += NGLDM.compute(levels, dimension: dimension, distance: settings.ngldmDistance,
                                              coarseness: settings.ngldmCoarseness)
                }
            }
        } else if families.contains(.ivh) {
            features += try ivh(roi, settings)
        }
        for filter in filters {
            features += filteredFeatures(roi, filter)
        }
        return (diagnostics, features)
    }

    /// The intensity statistics (IBSI 2 phase 2: the 18 `stat_` features) of a filter's response over the
    /// intensity mask (re-segmented on the image's intensities, not the response's), keys prefixed with the
    /// filter's name: `log_s1.5_stat_mean`. The response is computed on the ROI box grown by the filter's reach.
    static func filteredFeatures(_ roi: ROIVolume, _ filter: any ImageFilter) -> [FeatureValue] {
        guard let context = roi.filterContext else { return [] }
        let response = filter.response(FilterImage(values: context.values, size: context.size, spacing: roi.spacing))
        let n = roi.size, c = context.size, o = context.offset
        var values = [Double](repeating: 0, count: roi.intensities.count)
        for k in 0..<n.z {
            for j in 0..<n.y {
                let src = (o.x) + c.x * ((j + o.y) + c.y * (k + o.z)), dst = n.x * (j + n.y * k)
                for i in 0..<n.x { values[dst + i] = response[src + i] }
            }
        }
        let filtered = ROIVolume(geometry: roi.geometry, intensities: values, intensityMask: roi.intensityMask,
                                 morphologicalMask: roi.morphologicalMask)
        return IntensityStatistics.compute(filtered).map { ("\(filter.name)_\($0.tag)", $0.value) }
    }

    static func ivh(_ roi: ROIVolume, _ settings: ExtractionSettings) throws -> [FeatureValue] {
        var binning = settings.ivhBinning
        let range = settings.preprocessing.resegmentationRange
        if case .fixedBinSize(let width, nil) = binning, let lower = range?.lower {
            binning = .fixedBinSize(width: width, lowerBound: lower)
        }
        let values = roi.intensityValues
        if let vMin = values.min(), let vMax = values.max() {
            // The histogram spans the re-segmentation range when there is one (IntensityVolumeHistogram).
            let lo = min(vMin, range?.lower ?? vMin), hi = max(vMax, range?.upper ?? vMax)
            switch binning {
            case .none(let step):
                try Limits.checkGreyLevels(minimum: lo, maximum: hi, lower: lo, width: step, key: "discretisation.ivh step")
            case .fixedBinSize(let width, let lower):
                try Limits.checkGreyLevels(minimum: lo, maximum: hi, lower: lower ?? lo, width: width,
                                           key: "discretisation.ivh width")
            case .fixedBinNumber:
                break
            }
        }
        return IntensityVolumeHistogram.compute(values: roi.intensityValues, binning: binning,
                                                range: range.map { (lower: $0.lower, upper: $0.upper) })
    }

    /// The morphological mask cropped to the box the discretised levels cover (the intensity mask's bounding box).
    static func morphologicalMask(of roi: ROIVolume, onBoxOf levels: DiscretisedROI) -> [UInt8] {
        let box = Mask(geometry: roi.geometry, voxels: roi.intensityMask).boundingBox!
        precondition(box.size == levels.size, "discretised levels are not on the intensity mask's bounding box")
        return Mask(geometry: roi.geometry, voxels: roi.morphologicalMask).cropped(to: box).voxels
    }
}
