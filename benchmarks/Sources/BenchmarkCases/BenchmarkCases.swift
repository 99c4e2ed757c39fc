import Foundation
import RadiomicsCore
import RadiomicsIO
import RadiomicsSynthetic

/// The cases every benchmark runs on, made by the project's synthetic CT generator so no download is needed:
/// a 512 x 512 x 110 contrast-enhanced abdomen (0.78 x 0.78 x 1.25 mm, a common portal-venous protocol) with a
/// rim-enhancing liver tumour whose volume gives the ROI about 10^4, 10^5 or 10^6 voxels.
public enum BenchmarkCases {
    public enum ROISize: Int, CaseIterable, Sendable, CustomStringConvertible {
        case e4 = 10_000, e5 = 100_000, e6 = 1_000_000
        public var description: String {
            switch self {
            case .e4: return "roi-1e4"
            case .e5: return "roi-1e5"
            case .e6: return "roi-1e6"
            }
        }
    }

    public static let spacing = SIMD3<Double>(0.78, 0.78, 1.25)
    public static let geometry = SyntheticCT.axialGrid(size: [512, 512, 110], spacing: spacing)

    /// The anatomy with a tumour of about `roi` voxels: an ellipsoid with radii in the ratio 1.1 : 0.95 : 1.
    public static func anatomy(_ roi: ROISize) -> SyntheticCT.Anatomy {
        var a = SyntheticCT.Anatomy()
        let voxelVolume = spacing.x * spacing.y * spacing.z
        let ratio = SIMD3<Double>(1.1, 0.95, 1.0)
        let volume = Double(roi.rawValue) * voxelVolume
        let r = pow(volume / (4.0 / 3.0 * Double.pi * ratio.x * ratio.y * ratio.z), 1.0 / 3.0)
        a.tumourRadii = ratio * r
        a.tumourCentre = [-55, 5, 0]
        return a
    }

    /// The case with an ROI of about `roi` voxels (same noise seed for every size).
    public static func make(_ roi: ROISize) -> SyntheticCase {
        SyntheticCT.makeCase(geometry: geometry, anatomy: anatomy(roi), seed: 7)
    }

    /// The filters' benchmark case (`ct200-roi-1e5`): the 1e5-voxel tumour in a 512 x 512 x 200 CT, the size the
    /// image-filter issue names (PyRadiomics filters the whole volume; this project the tumour's neighbourhood).
    public static let tallName = "ct200-roi-1e5"
    public static func makeTall() -> SyntheticCase {
        SyntheticCT.makeCase(geometry: SyntheticCT.axialGrid(size: [512, 512, 200], spacing: spacing), anatomy: anatomy(.e5), seed: 7)
    }

    /// A CT series of `slices` slices on the cases' in-plane grid (512 x 512, 0.78 mm), for load benchmarks.
    public static func series(slices: Int) -> Volume<Int16> {
        let g = SyntheticCT.axialGrid(size: [512, 512, slices], spacing: spacing)
        return SyntheticCT.makeCase(geometry: g, seed: 11).image
    }

    /// Writes `<name>/image.nii` and `<name>/mask.nii` (uncompressed: reading .nii.gz is bounded by inflating,
    /// whatever the feature code does) for each size into `directory`. Returns the case folders.
    @discardableResult
    public static func writeNifti(_ sizes: [ROISize] = ROISize.allCases, to directory: String) throws -> [String] {
        var folders: [String] = []
        for size in sizes {
            let folder = (directory as NSString).appendingPathComponent(size.description)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let c = make(size)
            try Nifti.write(c.image, to: (folder as NSString).appendingPathComponent("image.nii"))
            try Nifti.write(c.tumour, to: (folder as NSString).appendingPathComponent("mask.nii"))
            folders.append(folder)
        }
        return folders
    }

    /// Writes `ct200-roi-1e5/image.nii` and `mask.nii` into `directory`; returns the folder.
    public static func writeTall(to directory: String) throws -> String {
        let folder = (directory as NSString).appendingPathComponent(tallName)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let c = makeTall()
        try Nifti.write(c.image, to: (folder as NSString).appendingPathComponent("image.nii"))
        try Nifti.write(c.tumour, to: (folder as NSString).appendingPathComponent("mask.nii"))
        return folder
    }

    /// The typing benchmark's case: a three-phase (pre-contrast, arterial, portal) 512 x 512 x 120 CT at
    /// 0.78 x 0.78 x 1.25 mm with a type-4 tumour of about 10^5 voxels (synthetic multiphase generator).
    public static func threePhase() -> SyntheticMultiphase.Case {
        var p = SyntheticMultiphase.parameters(type: 4, seed: 12, noise: 15...15, diameter: 50...50)
        p.lobes = []
        let voxelVolume = spacing.x * spacing.y * spacing.z
        let scale = pow(100_000 * voxelVolume / (4.0 / 3.0 * Double.pi * p.tumourRadii.x * p.tumourRadii.y * p.tumourRadii.z), 1.0 / 3.0)
        p.tumourRadii *= scale
        let extent = SIMD3<Double>(511, 511, 119) * spacing
        let g = ImageGeometry(size: [512, 512, 120], spacing: spacing,
                              origin: SIMD3(-extent.x / 2, -extent.y / 2, p.tumourCentre.z - extent.z / 2))
        return SyntheticMultiphase.makeCase(p, grids: [.precontrast: g, .arterial: g, .portal: g], maskGrid: g)
    }

    /// Writes `threePhase()` as DICOM into `directory`: `precontrast/`, `arterial/`, `portal/`, `tumour-seg.dcm`,
    /// `liver-seg.dcm`. Returns the tumour's voxel count.
    @discardableResult
    public static func writeThreePhase(to directory: String) throws -> Int {
        let c = threePhase()
        try SyntheticMultiphase.writeDICOM(c, caseID: "bench-3phase", to: directory)
        return c.tumour.regionVoxelCount
    }
}
