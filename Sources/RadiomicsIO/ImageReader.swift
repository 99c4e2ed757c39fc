import Foundation
import RadiomicsCore

/// An image loaded from DICOM or NIfTI, with where it came from.
public struct LoadedImage: Sendable {
    public enum Format: String, Sendable { case dicom = "DICOM", nifti = "NIfTI" }
    public var image: ScalarImage
    public var format: Format
    public var path: String
    public var seriesInstanceUID: String?
    public var frameOfReferenceUID: String?
    public var transferSyntaxes: [String]
    /// Files met in a DICOM directory that are not DICOM and were left out.
    public var skippedFiles: [String] = []
}

/// Reads an image from a DICOM directory or file, or a NIfTI file, chosen by what the path is.
public enum ImageReader {
    public static func read(path: String, seriesUID: String? = nil) throws -> LoadedImage {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw RadiomicsError(file: path, "no such file or directory")
        }
        if !isDir.boolValue, Nifti.isNiftiPath(path) {
            return LoadedImage(image: try Nifti.read(path: path), format: .nifti, path: path, seriesInstanceUID: nil,
                               frameOfReferenceUID: nil, transferSyntaxes: [])
        }
        let d = try DicomSeriesReader.read(path: path, seriesUID: seriesUID)
        return LoadedImage(image: d.image, format: .dicom, path: path, seriesInstanceUID: d.seriesInstanceUID,
                           frameOfReferenceUID: d.frameOfReferenceUID, transferSyntaxes: d.transferSyntaxes,
                           skippedFiles: d.skippedFiles)
    }
}
