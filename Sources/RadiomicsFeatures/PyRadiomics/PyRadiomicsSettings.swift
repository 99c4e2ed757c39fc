import Foundation

/// PyRadiomics' `setting:` keys with PyRadiomics 3.1's defaults (radiomics.featureextractor and
/// radiomics.imageoperations). Names follow PyRadiomics so a parameter file maps one to one.
public struct PyRadiomicsSettings: Sendable, Equatable {
    // Discretisation.
    public var binWidth: Double = 25
    public var binCount: Int? = nil
    // Resampling and cropping.
    public var resampledPixelSpacing: [Double]? = nil
    /// SimpleITK interpolator name: sitkNearestNeighbor, sitkLinear or sitkBSpline; nil disables resampling
    /// (as in PyRadiomics, which resamples only when both this and resampledPixelSpacing are set).
    public var interpolator: String? = "sitkBSpline"
    public var padDistance: Int = 5
    public var preCrop: Bool = false
    public var correctMask: Bool = false
    // Re-segmentation.
    public var resegmentRange: [Double]? = nil
    /// "absolute", "relative" or "sigma".
    public var resegmentMode: String = "absolute"
    /// Shape computed on the re-segmented mask (PyRadiomics: on the original mask unless this is set).
    public var resegmentShape: Bool = false
    // ROI.
    public var label: Int = 1
    public var minimumROIDimensions: Int = 2
    public var minimumROISize: Int? = nil
    // Normalisation.
    public var normalize: Bool = false
    public var normalizeScale: Double = 1
    public var removeOutliers: Double? = nil
    // First order.
    public var voxelArrayShift: Double = 0
    // Texture.
    public var force2D: Bool = false
    /// Axis (0 = z, 1 = y, 2 = x in PyRadiomics' numpy order) across which the image is cut into 2D slices.
    public var force2Ddimension: Int = 0
    public var distances: [Int] = [1]
    public var symmetricalGLCM: Bool = true
    /// nil (no weighting), "manhattan", "euclidean", "infinity" or "no_weighting".
    public var weightingNorm: String? = nil
    public var gldmA: Double = 0
    /// Written in the output's diagnostics.
    public var additionalInfo: Bool = true
    // Image types (imageoperations.get<Type>Image).
    /// LoG sigmas in mm, each with the text PyRadiomics names its image by (Python's `str` of the value:
    /// `3.0` for 3.0, `3` for an integer 3).
    public var sigma: [LoGSigma] = []
    /// A PyWavelets discrete wavelet name.
    public var wavelet: String = "coif1"
    public var startLevel: Int = 0
    public var level: Int = 1
    public var gradientUseSpacing: Bool = true
    public var lbp2DRadius: Double = 1
    public var lbp2DSamples: Int = 8
    public var lbp2DMethod: String = "uniform"

    public struct LoGSigma: Sendable, Equatable {
        public var value: Double
        /// Python's str() of the value as written.
        public var text: String
        public init(value: Double, text: String) {
            self.value = value
            self.text = text
        }
    }

    public init() {}
}
