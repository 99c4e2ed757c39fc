import Foundation
import RadiomicsCore

/// An image loaded from DICOM or NIfTI, with where it came from.
public struct LoadedImage: Sendable {
    public enum Format: String, Sendable { case dicom = "DICOM", nifti = "NIfTI" }
    /// The voxels read: the whole image, or the part the caller chose (on its sub-grid).
    public var image: ScalarImage
    /// The whole image's grid (equal to `image.geometry` when every voxel was read).
    public var fullGeometry: ImageGeometry
    /// Where `image` starts in the whole image's grid (zero when every voxel was read).
    public var offset: SIMD3<Int>
    /// The whole image's smallest and largest value (as `image` holds values), when only a part was read and the
    /// caller asked for them.
    public var wholeExtremes: (min: Double, max: Double)?
    public var format: Format
    public var path: String
    public var seriesInstanceUID: String?
    public var frameOfReferenceUID: String?
    public var transferSyntaxes: [String]
    /// Files met in a DICOM directory that are not DICOM and were left out.
    public var skippedFiles: [String] = []

    public init(image: ScalarImage, fullGeometry: ImageGeometry? = nil, offset: SIMD3<Int> = .zero,
                wholeExtremes: (min: Double, max: Double)? = nil, format: Format, path: String, seriesInstanceUID: String? = nil,
                frameOfReferenceUID: String? = nil, transferSyntaxes: [String] = [], skippedFiles: [String] = []) {
        self.image = image
        self.fullGeometry = fullGeometry ?? image.geometry
        self.offset = offset
        self.wholeExtremes = wholeExtremes
        self.format = format
        self.path = path
        self.seriesInstanceUID = seriesInstanceUID
        self.frameOfReferenceUID = frameOfReferenceUID
        self.transferSyntaxes = transferSyntaxes
        self.skippedFiles = skippedFiles
    }
}

/// Reads an image from a DICOM directory or file, or a NIfTI file, chosen by what the path is.
public enum ImageReader {
    /// Reads the whole image.
    public static func read(path: String, seriesUID: String? = nil) throws -> LoadedImage {
        try read(path: path, seriesUID: seriesUID, slices: { _, _ in nil })
    }

    /// Reads the slices (z indices) that `slices` chooses once it has seen the image's grid and frame of
    /// reference UID (DICOM), before any voxel is read or decoded (nil: all): a case whose ROI spans 40 of 300
    /// slices reads and decodes 40.
    public static func read(path: String, seriesUID: String? = nil,
                            slices: (ImageGeometry, _ frameOfReferenceUID: String?) throws -> ClosedRange<Int>?) throws -> LoadedImage {
        try read(path: path, seriesUID: seriesUID) { grid, frame in try slices(grid, frame).map { grid.zSlab($0) } }
    }

    /// Reads at least the box (voxel indices) that `region` chooses once it has seen the image's grid and frame
    /// of reference UID (nil: all): a NIfTI file only the box's rows, a DICOM series the box's whole slices (each
    /// file decodes whole); `offset` says where the image read starts. With `wholeExtremes`, the whole image's
    /// smallest and largest value come too: streamed from a NIfTI file past the box, while a DICOM series is then
    /// read whole.
    public static func read(path: String, seriesUID: String? = nil, wholeExtremes: Bool = false,
                            region: (ImageGeometry, _ frameOfReferenceUID: String?) throws -> BoundingBox?) throws -> LoadedImage {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw RadiomicsError(file: path, "no such file or directory")
        }
        var box: BoundingBox?
        if !isDir.boolValue, Nifti.isNiftiPath(path) {
            let (image, full) = try Nifti.read(path: path) { grid in
                box = try region(grid, nil)
                return box
            }
            let extremes = wholeExtremes && box != nil ? try Nifti.extremes(path: path) : nil
            return LoadedImage(image: image, fullGeometry: full, offset: box?.lower ?? .zero, wholeExtremes: extremes, format: .nifti,
                               path: path, seriesInstanceUID: nil, frameOfReferenceUID: nil, transferSyntaxes: [])
        }
        let d = try DicomSeriesReader.read(path: path, seriesUID: seriesUID) { grid, frame in
            box = try region(grid, frame)
            return wholeExtremes ? nil : box.map { $0.lower.z...$0.upper.z }
        }
        return LoadedImage(image: d.image, fullGeometry: d.fullGeometry, offset: wholeExtremes ? .zero : SIMD3(0, 0, box?.lower.z ?? 0),
                           format: .dicom, path: path, seriesInstanceUID: d.seriesInstanceUID,
                           frameOfReferenceUID: d.frameOfReferenceUID, transferSyntaxes: d.transferSyntaxes, skippedFiles: d.skippedFiles)
    }
}
