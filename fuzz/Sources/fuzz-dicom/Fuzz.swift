import FuzzSupport
import RadiomicsIO

/// A DICOM file, read alone and as the only file of a series folder.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDicom(_ data: UnsafeRawPointer, _ size: Int) -> Int32 {
    let folder = FuzzFile.folder(data, size, name: "slice.dcm")
    _ = try? ImageReader.read(path: folder)
    _ = try? DicomFile(path: folder + "/slice.dcm", headerOnly: true)
    return 0
}
