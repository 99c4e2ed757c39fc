import Foundation
import RadiomicsCore
import RadiomicsFeatures
import RadiomicsIO
import Testing
import TestSupport

/// The IBSI digital phantom (5 x 4 x 4 voxels, 2 mm, grey levels 1...6) as feature code sees it: no
/// interpolation, no re-segmentation, no discretisation (levels = the voxel values, Ng = 6).
enum DigitalPhantom {
    static let available = SharedData.exists("data/ibsi/digital_phantom/nifti/image/phantom.nii.gz")
    static let skipReason = Comment(rawValue: SharedData.missingReason)

    static func load() throws -> (roi: ROIVolume, discretised: DiscretisedROI) {
        let image = try Nifti.read(path: SharedData.path("data/ibsi/digital_phantom/nifti/image/phantom.nii.gz"))
        let (mask, _) = try MaskReader.read(path: SharedData.path("data/ibsi/digital_phantom/nifti/mask/mask.nii.gz"),
                                            onto: image.geometry)
        let g = image.geometry
        let all = image.cropped(to: BoundingBox(size: g.size)).voxels
        let roi = ROIVolume(geometry: g, intensities: all, intensityMask: mask.voxels, morphologicalMask: mask.voxels)
        let levels = zip(all, mask.voxels).map { x, m in m != 0 ? Int32(x.rounded()) : 0 }
        return (roi, DiscretisedROI(size: g.size, spacing: g.spacing, levels: levels, levelCount: 6))
    }

    /// Reference values of the digital phantom by tag.
    static func reference() throws -> [String: IBSIReference] {
        try ibsiReference("ibsi_1_dig_phantom.csv")
    }
}

/// Compares computed features with IBSI references: every reference tag starting with one of `prefixes`
/// must be computed and lie within tolerance (plus half a unit of the reference's last printed digit).
func expectWithinTolerance(_ features: [FeatureValue], prefixes: [String],
                           reference: [String: IBSIReference],
                           sourceLocation: SourceLocation = #_sourceLocation) {
    let computed = Dictionary(features.map { ($0.tag, $0.value) }, uniquingKeysWith: { a, _ in a })
    let wanted = reference.filter { tag, _ in prefixes.contains { tag.hasPrefix($0) } }
    #expect(!wanted.isEmpty, "no reference tags with prefixes \(prefixes)", sourceLocation: sourceLocation)
    for (tag, ref) in wanted.sorted(by: { $0.key < $1.key }) {
        guard let value = computed[tag] else {
            Issue.record("\(tag): not computed", sourceLocation: sourceLocation)
            continue
        }
        #expect(ref.accepts(value), "\(tag): \(value), reference \(ref.value) ± \(ref.tolerance)",
                sourceLocation: sourceLocation)
    }
}
