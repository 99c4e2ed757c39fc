import Foundation
import RadiomicsCore
import RadiomicsIO
import Testing
import TestSupport

/// A real portal-venous liver CT series (../shared/data/liver_ct).
@Suite(.enabled(if: SharedData.liverAvailable, Comment(rawValue: SharedData.missingReason)))
struct LiverSeriesTests {
    static let dir = SharedData.path("data/liver_ct/CRLM-CT-1004/image")

    @Test func loadsWithPlausibleGeometry() throws {
        let d = try DicomSeriesReader.read(path: Self.dir)
        let g = d.image.geometry
        #expect(g.size.x == 512 && g.size.y == 512)
        #expect(g.size.z == d.files.count)
        #expect(abs(g.spacing.x - 0.796875) < 1e-6)
        #expect(g.direction.maxDifference(.identity) < 1e-6)
        // Ordered by position: z increases with k and the first slice is the lowest.
        let z0 = g.physicalPoint(index: [0, 0, 0]).z, z1 = g.physicalPoint(index: [0, 0, 1]).z
        #expect(z1 > z0)
        // Air outside the body, soft tissue in the middle.
        #expect(d.image[5, 5, g.size.z / 2] < -900)
    }

    /// Whatever the file names and their order, the volume is the same: copies under shuffled names.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func sameGeometryWhateverTheFileOrder(seed: UInt64) throws {
        let reference = try DicomSeriesReader.read(path: Self.dir)
        let tmp = try TemporaryDirectory("liver-shuffled")
        var names = try FileManager.default.contentsOfDirectory(atPath: Self.dir).sorted()
        var rng = SeededGenerator(seed: seed)
        names.shuffle(using: &rng)
        for (n, name) in names.enumerated() {
            // New names in shuffled order, some in sub-folders: neither name nor place may matter.
            let sub = n % 3 == 0 ? "a/" : ""
            try FileManager.default.createDirectory(atPath: tmp.file("a"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: "\(Self.dir)/\(name)", toPath: tmp.file("\(sub)x\(n).dcm"))
        }
        let copy = try DicomSeriesReader.read(path: tmp.path)
        #expect(copy.image.geometry == reference.image.geometry)
        let box = BoundingBox(size: reference.image.geometry.size)
        #expect(copy.image.cropped(to: box).voxels == reference.image.cropped(to: box).voxels)
    }

    /// The series and its NIfTI conversion by another tool (dcm2niix) with one NIfTI mask: identical ROI.
    @Test func dcm2niixConversionGivesTheSameROI() throws {
        let dcm2niix = try #require(which("dcm2niix"), "dcm2niix (Debian) is needed; scripts/setup.sh installs it")
        let tmp = try TemporaryDirectory("liver-dcm2niix")
        let r = try runProcess(dcm2niix, ["-z", "y", "-b", "n", "-f", "liver", "-o", tmp.path, Self.dir])
        #expect(r.status == 0, "\(r.stderr)")
        let dicom = try DicomSeriesReader.read(path: Self.dir).image
        let nifti = try Nifti.read(path: tmp.file("liver.nii.gz"))
        // A spherical mask written on the NIfTI grid.
        var mask = Mask(geometry: nifti.geometry, repeating: 0)
        let centre = dicom.geometry.physicalPoint(index: [300, 260, Double(dicom.geometry.size.z / 2)])
        for k in 0..<mask.size.z { for j in 0..<mask.size.y { for i in 0..<mask.size.x {
            let p = nifti.geometry.physicalPoint(index: SIMD3(Double(i), Double(j), Double(k)))
            if length(p - centre) < 25 { mask[i, j, k] = 1 }
        } } }
        try Nifti.write(mask, to: tmp.file("mask.nii.gz"))
        let (onDicom, _) = try MaskReader.read(path: tmp.file("mask.nii.gz"), onto: dicom.geometry)
        let (onNifti, _) = try MaskReader.read(path: tmp.file("mask.nii.gz"), onto: nifti.geometry)
        let a = try #require(RegionStatistics(image: dicom, mask: onDicom))
        let b = try #require(RegionStatistics(image: nifti, mask: onNifti))
        #expect(a.count > 1000)
        #expect(a == b)
    }
}

/// A small deterministic generator for shuffles.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> UInt64 {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return state
    }
}
