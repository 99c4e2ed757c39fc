import RadiomicsCore

/// One feature value under its IBSI tag, e.g. `("stat_mean", -46.9)` or `("cm_joint_max_3D_avg", 0.1)`.
public typealias FeatureValue = (tag: String, value: Double)

/// The region of interest after preprocessing (interpolation, rounding, re-segmentation), on a box of the
/// image grid: the morphological mask's bounding box grown by a margin (local intensity features look at
/// voxels around the ROI), clipped to the image.
///
/// Storage is i fastest, then j, then k, like `Volume`. `geometry.spacing` is the voxel size in mm.
public struct ROIVolume: Sendable {
    /// The box's grid (size, spacing, origin, direction).
    public var geometry: ImageGeometry
    /// Intensity of every voxel of the box (HU for CT), inside the ROI or not.
    public var intensities: [Double]
    /// 1 for voxels of the intensity mask (after re-segmentation), else 0. Intensity and texture features.
    public var intensityMask: [UInt8]
    /// 1 for voxels of the morphological mask (before re-segmentation), else 0. Morphology features.
    public var morphologicalMask: [UInt8]

    public init(geometry: ImageGeometry, intensities: [Double], intensityMask: [UInt8], morphologicalMask: [UInt8]) {
        precondition(intensities.count == geometry.voxelCount && intensityMask.count == geometry.voxelCount
                     && morphologicalMask.count == geometry.voxelCount, "ROI arrays must match the grid")
        self.geometry = geometry
        self.intensities = intensities
        self.intensityMask = intensityMask
        self.morphologicalMask = morphologicalMask
    }

    public var size: SIMD3<Int> { geometry.size }
    public var spacing: SIMD3<Double> { geometry.spacing }

    /// The preprocessed image over the ROI box grown by the filters' reach (clamped to the image): what the filters
    /// read. `offset` is where the ROI box starts inside it. Nil when no filter is asked for.
    public var filterContext: (values: [Double], size: SIMD3<Int>, offset: SIMD3<Int>)?

    /// Intensities of the voxels in the intensity mask, in storage order.
    public var intensityValues: [Double] {
        var out: [Double] = []
        out.reserveCapacity(intensities.count)
        for (x, m) in zip(intensities, intensityMask) where m != 0 { out.append(x) }
        return out
    }
}

/// Grey levels after discretisation, on the intensity mask's bounding box.
///
/// `levels[i + size.x * (j + size.y * k)]` is the grey level 1...`levelCount` of a voxel in the intensity
/// mask, 0 for voxels outside it. Texture matrices (GLCM, GLRLM, GLSZM, GLDZM, NGTDM, NGLDM) and the
/// intensity histogram read this.
public struct DiscretisedROI: Sendable {
    public var size: SIMD3<Int>
    /// Voxel size in mm (i, j, k); slices for 2D and 2.5D are the planes of constant k.
    public var spacing: SIMD3<Double>
    public var levels: [Int32]
    /// Ng, the number of grey levels: levels run 1...levelCount (some may be absent).
    public var levelCount: Int

    public init(size: SIMD3<Int>, spacing: SIMD3<Double>, levels: [Int32], levelCount: Int) {
        precondition(levels.count == size.x * size.y * size.z, "levels must match the size")
        self.size = size
        self.spacing = spacing
        self.levels = levels
        self.levelCount = levelCount
    }

    /// Number of voxels in the ROI (level > 0).
    public var voxelCount: Int { levels.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }
}

/// How texture matrices are built: per slice (2D), per slice but merged over the volume (2.5D), or over
/// the volume (3D). IBSI tag suffixes `_2D`, `_2_5D`, `_3D`.
public enum TextureDimension: String, Sendable, CaseIterable {
    case twoD = "2D"
    case twoAndHalfD = "2_5D"
    case threeD = "3D"
}
