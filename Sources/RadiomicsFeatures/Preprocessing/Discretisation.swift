import Foundation
import RadiomicsCore

/// IBSI intensity discretisation (IBSI 1, section 2.7) for the intensity histogram and texture families.
///
/// Grey levels follow MIRP (the IBSI reference implementation) exactly, including the number of grey
/// levels Ng (`DiscretisedROI.levelCount`), which features such as `cm_inv_diff_norm`, `cm_inv_diff_mom_norm`
/// and the normalised NGLDM/GLRLM uniformities depend on:
/// - `.none`: Ng = the largest grey level in the ROI;
/// - `.fixedBinSize`: Ng = the largest grey level in the ROI (not the number of bins spanning the
///   re-segmentation range; for the IBSI CT configurations A and C both are the same: 36 and 56);
/// - `.fixedBinNumber(n)`: Ng = n, even when some bins are empty.
public enum Discretisation: Sendable, Equatable {
    /// Values are already grey levels (digital phantom): level = the value rounded to an integer (values
    /// below 1 become 1).
    case none
    /// IBSI fixed bin size (FBS): level = ⌊(x − lowerBound) / width⌋ + 1, levels below 1 become 1.
    /// `lowerBound` should be the re-segmentation range's lower bound when there is one (see
    /// `resolvingLowerBound(with:)`); nil uses the ROI's minimum intensity.
    case fixedBinSize(width: Double, lowerBound: Double?)
    /// IBSI fixed bin number (FBN): level = ⌊n (x − min) / (max − min)⌋ + 1 over the ROI's minimum and
    /// maximum, the maximum mapping to n. A constant ROI gets level ⌈n/2⌉ everywhere (as MIRP).
    case fixedBinNumber(Int)

    /// This discretisation with an unset FBS lower bound replaced by the lower bound of the settings'
    /// re-segmentation range (IBSI: FBS bins start at the re-segmentation range's lower bound).
    public func resolvingLowerBound(with settings: PreprocessingSettings) -> Discretisation {
        if case .fixedBinSize(let width, nil) = self, let lower = settings.resegmentationRange?.lower {
            return .fixedBinSize(width: width, lowerBound: lower)
        }
        return self
    }

    /// Throws when this discretisation would give the ROI more than `Limits.maximumGreyLevels` grey levels
    /// (a tiny bin width, or undiscretised values in the millions), before any level is computed.
    public func checkLevelCount(_ roi: ROIVolume) throws {
        var minimum = Double.infinity, maximum = -Double.infinity
        for (x, m) in zip(roi.intensities, roi.intensityMask) where m != 0 {
            minimum = Swift.min(minimum, x)
            maximum = Swift.max(maximum, x)
        }
        guard minimum <= maximum else { return }
        switch self {
        case .fixedBinSize(let width, let lowerBound):
            try Limits.checkGreyLevels(minimum: minimum, maximum: maximum, lower: lowerBound ?? minimum, width: width,
                                       key: "discretisation width")
        case .none:
            guard maximum.rounded() <= Double(Limits.maximumGreyLevels) else {
                throw RadiomicsError("discretisation none takes intensities as grey levels, and they reach \(maximum); at most \(Limits.maximumGreyLevels) are allowed")
            }
        case .fixedBinNumber:
            return
        }
    }

    /// Discretises the intensity mask's voxels of `roi`, on the intensity mask's bounding box (levels 0
    /// outside the mask). An empty intensity mask gives an empty result (size 0, Ng 0).
    public func apply(to roi: ROIVolume) -> DiscretisedROI {
        let n = roi.size
        guard let box = Mask(geometry: ImageGeometry(size: n, spacing: roi.spacing), voxels: roi.intensityMask).boundingBox
        else {
            return DiscretisedROI(size: .zero, spacing: roi.spacing, levels: [], levelCount: 0)
        }
        let s = box.size
        var values = [Double](repeating: 0, count: box.voxelCount)
        var inside = [Bool](repeating: false, count: box.voxelCount)
        var minimum = Double.infinity, maximum = -Double.infinity
        var q = 0
        for k in box.lower.z...box.upper.z {
            for j in box.lower.y...box.upper.y {
                let row = roi.geometry.linearIndex(0, j, k)
                for i in box.lower.x...box.upper.x {
                    if roi.intensityMask[row + i] != 0 {
                        let x = roi.intensities[row + i]
                        values[q] = x
                        inside[q] = true
                        if x < minimum { minimum = x }
                        if x > maximum { maximum = x }
                    }
                    q += 1
                }
            }
        }
        let map = levelMap(minimum: minimum, maximum: maximum)
        var levels = [Int32](repeating: 0, count: box.voxelCount)
        var highest: Int32 = 0
        for q in levels.indices where inside[q] {
            let level = map(values[q])
            levels[q] = level
            if level > highest { highest = level }
        }
        let count: Int
        if case .fixedBinNumber(let bins) = self { count = bins } else { count = Int(highest) }
        return DiscretisedROI(size: s, spacing: roi.spacing, levels: levels, levelCount: count)
    }

    /// Grey level of each value (all inside the ROI) with the same rules as `apply(to:)`; also returns Ng.
    public func levels(of values: [Double]) -> (levels: [Int32], levelCount: Int) {
        guard let minimum = values.min(), let maximum = values.max() else { return ([], 0) }
        let map = levelMap(minimum: minimum, maximum: maximum)
        let levels = values.map(map)
        if case .fixedBinNumber(let bins) = self { return (levels, bins) }
        return (levels, Int(levels.max() ?? 0))
    }

    /// The grey-level function for an ROI with the given intensity range.
    func levelMap(minimum: Double, maximum: Double) -> (Double) -> Int32 {
        switch self {
        case .none:
            return { x in Int32(max(1, x.rounded())) }
        case .fixedBinSize(let width, let lowerBound):
            precondition(width > 0, "fixed bin size needs a positive width")
            let lower = lowerBound ?? minimum
            return { x in Int32(max(1, ((x - lower) / width).rounded(.down) + 1)) }
        case .fixedBinNumber(let bins):
            precondition(bins >= 1, "fixed bin number needs at least one bin")
            let n = Double(bins)
            guard maximum > minimum else {
                let middle = Int32((n / 2).rounded(.up))
                return { _ in middle }
            }
            let range = maximum - minimum
            return { x in Int32(min(n, max(1, (n * (x - minimum) / range).rounded(.down) + 1))) }
        }
    }
}
