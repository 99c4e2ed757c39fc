import Foundation
import RadiomicsCore
import RadiomicsIO
import Testing
import TestSupport

/// The IBSI CT radiomics phantom read as NIfTI and as DICOM + RTSTRUCT (IBSI chapter 1 `*_init_*` rows).
@Suite(.enabled(if: SharedData.ibsiAvailable, Comment(rawValue: SharedData.missingReason)))
struct PhantomTests {
    static let dir = SharedData.path("data/ibsi/ct_radiomics_phantom")
    static let dicomImage = "\(dir)/dicom/image"
    static let rtstruct = "\(dir)/dicom/mask/DCM_RS_00060.dcm"
    static let niftiImage = "\(dir)/nifti/image/phantom.nii.gz"
    static let niftiMask = "\(dir)/nifti/mask/mask.nii.gz"

    /// Checks the `*_init_img` and `*_init_roi` references of configuration A (the same in every configuration).
    func checkAgainstIBSI(_ image: ScalarImage, _ mask: Mask, exactVoxelCount: Bool) throws {
        let ref = try ibsiReference("ibsi_1_chest_config_a.csv")
        let g = image.geometry
        #expect(g.size == SIMD3(204, 201, 60))
        #expect(abs(g.spacing.x - ref["vox_dim_x_init_img"]!.value) < 5e-4)
        #expect(abs(g.spacing.y - ref["vox_dim_y_init_img"]!.value) < 5e-4)
        #expect(abs(g.spacing.z - ref["vox_dim_z_init_img"]!.value) < 5e-4)
        let stats = try #require(RegionStatistics(image: image, mask: mask))
        let count = Double(stats.count)
        let refCount = ref["int_mask_vox_count_init_roi"]!.value
        if exactVoxelCount {
            #expect(count == refCount)
            // Reference values are rounded (here to 3 significant digits).
            #expect(ref["int_mask_mean_int_init_roi"]!.accepts(stats.mean))
            #expect(stats.minimum == ref["int_mask_min_int_init_roi"]!.value)
            #expect(stats.maximum == ref["int_mask_max_int_init_roi"]!.value)
            let box = try #require(mask.boundingBox)
            #expect(box.size == SIMD3(Int(ref["int_mask_bb_dim_x_init_roi"]!.value),
                                      Int(ref["int_mask_bb_dim_y_init_roi"]!.value),
                                      Int(ref["int_mask_bb_dim_z_init_roi"]!.value)))
        } else {
            #expect(abs(count - refCount) <= 0.01 * refCount)
        }
    }

    @Test func niftiImageAndMask() throws {
        let image = try Nifti.read(path: Self.niftiImage)
        let (mask, source) = try MaskReader.read(path: Self.niftiMask, onto: image.geometry)
        #expect(!source.resampled)
        try checkAgainstIBSI(image, mask, exactVoxelCount: true)
    }

    @Test func dicomSeriesAndRTStruct() throws {
        let d = try DicomSeriesReader.read(path: Self.dicomImage)
        let (mask, source) = try MaskReader.read(path: Self.rtstruct, onto: d.image.geometry, roi: "GTV-1",
                                                 frameOfReferenceUID: d.frameOfReferenceUID)
        #expect(source.roiName == "GTV-1")
        #expect(source.warnings.isEmpty)
        try checkAgainstIBSI(d.image, mask, exactVoxelCount: false)
        #expect(d.files.count == 60)
        // File 00000 is the top slice: slices are ordered by position, not by name.
        #expect(d.files.last!.hasSuffix("DCM_IMG_00000.dcm"))
    }

    @Test func rtstructListsItsROIs() throws {
        let set = try RTStructureSet.read(path: Self.rtstruct)
        #expect(set.rois.map(\.name) == ["GTV-1"])
        #expect(set.rois[0].contours.count == 26)
        #expect(set.rois[0].contours.map(\.count).reduce(0, +) == 9661)
    }

    /// The DICOM series and the NIfTI conversion (made by the IBSI with another tool) give the same grid in
    /// patient space and the same voxels; the NIfTI mask then gives identical statistics on either image.
    @Test func dicomAndNiftiAgreeVoxelForVoxel() throws {
        let dicom = try DicomSeriesReader.read(path: Self.dicomImage).image
        let nifti = try Nifti.read(path: Self.niftiImage)
        #expect(dicom.geometry.isSameGrid(as: nifti.geometry))
        #expect(length(dicom.geometry.origin - nifti.geometry.origin) < 1e-3)
        let box = BoundingBox(size: dicom.geometry.size)
        #expect(dicom.cropped(to: box).voxels == nifti.cropped(to: box).voxels)
        let (m1, _) = try MaskReader.read(path: Self.niftiMask, onto: dicom.geometry)
        let (m2, _) = try MaskReader.read(path: Self.niftiMask, onto: nifti.geometry)
        let s1 = try #require(RegionStatistics(image: dicom, mask: m1))
        let s2 = try #require(RegionStatistics(image: nifti, mask: m2))
        #expect(s1 == s2)
    }

    /// Copies of the series (implicit VR little endian) in every other transfer syntax GDCM writes (made with
    /// gdcmconv: explicit VR, deflated, RLE, lossless JPEG, JPEG-LS, JPEG 2000) decode to the same HU.
    @Test(arguments: ["--explicit", "--deflated", "--rle", "--jpeg", "--jpegls", "--j2k"])
    func transferSyntaxes(option: String) throws {
        let gdcmconv = try #require(which("gdcmconv"), "gdcmconv (Debian libgdcm-tools) is needed; scripts/setup.sh installs it")
        let reference = try DicomSeriesReader.read(path: Self.dicomImage)
        let tmp = try TemporaryDirectory("ts")
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.dicomImage).filter { $0.hasSuffix(".dcm") }
        for name in files {
            let r = try runProcess(gdcmconv, [option, "\(Self.dicomImage)/\(name)", tmp.file(name)])
            #expect(r.status == 0, "gdcmconv \(option) \(name): \(r.stderr)")
        }
        let copy = try DicomSeriesReader.read(path: tmp.path)
        #expect(copy.transferSyntaxes != reference.transferSyntaxes)
        #expect(copy.image.geometry == reference.image.geometry)
        let box = BoundingBox(size: reference.image.geometry.size)
        #expect(copy.image.cropped(to: box).voxels == reference.image.cropped(to: box).voxels)
        // The RTSTRUCT converted too (implicit VR sequences must still parse).
        let rsCopy = tmp.file("rs.dcm")
        let r = try runProcess(gdcmconv, [option == "--deflated" ? "--deflated" : "--implicit", Self.rtstruct, rsCopy])
        #expect(r.status == 0)
        let (m1, _) = try MaskReader.read(path: Self.rtstruct, onto: reference.image.geometry, roi: "GTV-1")
        let (m2, _) = try MaskReader.read(path: rsCopy, onto: copy.image.geometry, roi: "GTV-1")
        #expect(m1.voxels == m2.voxels)
    }
}
