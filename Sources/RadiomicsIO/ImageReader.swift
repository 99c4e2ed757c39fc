import Foundation
import RadiomicsCore

/// An image loaded from DICOM or NIfTI, with where it came from.
public struct LoadedImage: Sendable {
    public enum Format: String, Sendable { case dicom = "DICOM", nifti = "NIfTI" }
    /// The voxels read: the whole image, or the slices the caller chose (on their sub-grid).
    public var image: ScalarImage
    /// The whole image's grid (equal to `image.geometry` when every slice was read).
    public var fullGeometry: ImageGeometry
    public var format: Format
    public var path: String
    public var seriesInstanceUID: String?
    public var frameOfReferenceUID: String?
    public var transferSyntaxes: [String]
    /// Files met in a DICOM directory that are not DICOM and were left out.
    public var skippedFiles: [String] = []

    public init(image: ScalarImage, fullGeometry: ImageGeometry? = nil, format: Format, path: String, seriesInstanceUID: String? = nil,
                frameOfReferenceUID: String? = nil, transferSyntaxes: [String] = [], skippedFiles: [String] = []) {
        self.image = image
        self.fullGeometry = fullGeometry ?? image.geometry
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
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw RadiomicsError(file: path, "no such file or directory")
        }
        if !isDir.boolValue, Nifti.isNiftiPath(path) {
            let (image, full) = try Nifti.read(path: path, slices: { try slices($0, nil) })
            return LoadedImage(image: image, fullGeometry: full, format: .nifti, path: path, seriesInstanceUID: nil,
                               frameOfReferenceUID: nil, transferSyntaxes: [])
        }
        let d = try DicomSeriesReader.read(path: path, seriesUID: seriesUID, slices: slices)
        return LoadedImage(image: d.image, fullGeometry: d.fullGeometry, format: .dicom, path: path,
                           seriesInstanceUID: d.seriesInstanceUID, frameOfReferenceUID: d.frameOfReferenceUID,
                           transferSyntaxes: d.transferSyntaxes, skippedFiles: d.skippedFiles)
    }
}
