import RadiomicsCore

/// Interpolation kernel for image or mask resampling (IBSI 1, "Interpolation", section 2.4).
///
/// - `nearest`: nearest-neighbour (order 0).
/// - `linear`: (bi/tri)linear (order 1), as in IBSI configurations B, C, D and for every ROI mask.
/// - `cubicSpline`: cubic B-spline with prefiltering, i.e. an interpolating spline (order 3), as in IBSI
///   configuration E. Matches `scipy.ndimage.map_coordinates(order=3, mode="nearest")`, which MIRP (the IBSI
///   reference implementation) uses.
public enum Interpolator: String, Sendable, CaseIterable {
    case nearest, linear, cubicSpline
}

/// Resampling to a new voxel size (IBSI image interpolation).
///
/// The new grid follows the IBSI rules: its size per axis is `ceil(old size × old spacing / new spacing)`,
/// its centre coincides with the centre of the old grid, and values outside the old grid are those of the
/// nearest boundary voxel. Interpolation is done in the voxel-index space of the original grid, so the
/// direction cosines are kept.
public struct InterpolationSettings: Sendable, Equatable {
    /// New voxel size in mm (x, y, z). With `inPlaneOnly` the z value is ignored and the slice spacing kept.
    public var spacing: SIMD3<Double>
    /// Slice-wise (2D) interpolation, IBSI configuration B: only x and y are resampled.
    public var inPlaneOnly: Bool
    public var imageInterpolator: Interpolator
    /// Interpolator for the ROI mask (linear in every IBSI configuration); the interpolated mask is then
    /// thresholded at `partialVolumeThreshold`.
    public var maskInterpolator: Interpolator
    /// IBSI partial-volume threshold: an interpolated mask value ≥ this (0.5) keeps the voxel in the ROI.
    public var partialVolumeThreshold: Double
    /// Round interpolated intensities to the nearest integer (CT, IBSI configurations B-E).
    public var roundIntensities: Bool

    public init(spacing: SIMD3<Double>, inPlaneOnly: Bool = false, imageInterpolator: Interpolator = .linear,
                maskInterpolator: Interpolator = .linear, partialVolumeThreshold: Double = 0.5,
                roundIntensities: Bool = true) {
        self.spacing = spacing
        self.inPlaneOnly = inPlaneOnly
        self.imageInterpolator = imageInterpolator
        self.maskInterpolator = maskInterpolator
        self.partialVolumeThreshold = partialVolumeThreshold
        self.roundIntensities = roundIntensities
    }
}

/// IBSI range re-segmentation: voxels of the ROI with an intensity outside [lower, upper] (inclusive) leave
/// the intensity mask. A nil bound is open.
public struct ResegmentationRange: Sendable, Equatable {
    public var lower: Double?
    public var upper: Double?

    public init(lower: Double?, upper: Double?) {
        self.lower = lower
        self.upper = upper
    }

    @inlinable public func contains(_ x: Double) -> Bool {
        if let lower, x < lower { return false }
        if let upper, x > upper { return false }
        return true
    }
}

/// IBSI chapter 1 image processing before feature calculation: interpolation, intensity rounding,
/// re-segmentation (range, then outlier filtering), and the box of voxels kept around the ROI.
public struct PreprocessingSettings: Sendable, Equatable {
    /// Resampling to a new voxel size; nil keeps the image grid.
    public var interpolation: InterpolationSettings?
    /// Convert the image to floating point and round to the nearest integer before processing (as IBSI asks
    /// for the CT phantom NIfTI).
    public var roundInitialIntensities: Bool
    /// Range re-segmentation of the intensity mask (e.g. [-500, 400] HU); nil for none.
    public var resegmentationRange: ResegmentationRange?
    /// Outlier re-segmentation: keep voxels within mean ± n·sd (population sd) of the intensity mask,
    /// computed after range re-segmentation (IBSI configurations D and E use 3). Nil for none.
    public var outlierSigma: Double?
    /// How far (mm) the `ROIVolume` box reaches beyond the morphological mask's bounding box (clipped to
    /// the grid), so that local intensity features see the voxels around the ROI. Default 10 mm.
    public var localIntensityMargin: Double
    /// Compute the `*_interp_img` diagnostics (mean, minimum, maximum of the whole interpolated image) by
    /// interpolating the whole image in bounded chunks. When false, and an interpolation is set, those three
    /// diagnostics are omitted (the dimensions are still reported). Default true.
    public var interpolatedImageDiagnostics: Bool

    public init(interpolation: InterpolationSettings? = nil, roundInitialIntensities: Bool = false,
                resegmentationRange: ResegmentationRange? = nil, outlierSigma: Double? = nil,
                localIntensityMargin: Double = 10, interpolatedImageDiagnostics: Bool = true) {
        self.interpolation = interpolation
        self.roundInitialIntensities = roundInitialIntensities
        self.resegmentationRange = resegmentationRange
        self.outlierSigma = outlierSigma
        self.localIntensityMargin = localIntensityMargin
        self.interpolatedImageDiagnostics = interpolatedImageDiagnostics
    }
}
