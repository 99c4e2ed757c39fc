import RadiomicsCore

/// The ranges parameters of both kinds may take, and the checks that stop a valid-looking parameter from asking
/// for astronomically much (a 0.0001 mm grid, a 0.0001 HU bin): each refused with the key, the range, and
/// what it would have cost.
public enum Limits {
    /// Voxel spacings a resampling may ask for (mm).
    public static let spacing: ClosedRange<Double> = 0.01...100
    /// Bin widths (image units, e.g. HU).
    public static let binWidth: ClosedRange<Double> = 1e-6...1e7
    /// Grey levels after discretisation (bin counts, and what a bin width gives over the ROI's range).
    public static let maximumGreyLevels = 65_536
    /// Intensity bounds (re-segmentation ranges): any modality's values, not astronomically beyond.
    public static let intensity: ClosedRange<Double> = -1e9...1e9
    /// Neighbourhood distances of GLCM, NGTDM and NGLDM (voxels).
    public static let maximumDistance = 100

    /// "0.01 and 100": a range's bounds as a message writes them.
    public static func describe(_ range: ClosedRange<Double>) -> String {
        "\(TextOutput.number(range.lowerBound) ?? "\(range.lowerBound)") and \(TextOutput.number(range.upperBound) ?? "\(range.upperBound)")"
    }

    /// Throws when a discretisation of values in minimum...maximum by bins of `width` (from `lower`) gives more
    /// than `maximumGreyLevels` grey levels.
    public static func checkGreyLevels(minimum: Double, maximum: Double, lower: Double, width: Double, key: String) throws {
        guard minimum <= maximum else { return }
        let levels = ((maximum - Swift.min(lower, minimum)) / width).rounded(.down) + 1
        guard levels.isFinite, levels <= Double(maximumGreyLevels) else {
            throw RadiomicsError("\(key) \(width) over the ROI's intensities \(minimum)...\(maximum) gives \(levels) grey levels; at most \(maximumGreyLevels) are allowed (use a wider bin)")
        }
    }

    /// Throws when a grid of `size` voxels of `bytesPerVoxel` exceeds the memory limit.
    public static func checkGrid(_ size: SIMD3<Int>, bytesPerVoxel: Int, what: String) throws {
        try ResourceLimits.check(product: [size.x, size.y, size.z], bytesEach: bytesPerVoxel,
                                 for: "\(what) of \(size.x) x \(size.y) x \(size.z) voxels")
    }
}
