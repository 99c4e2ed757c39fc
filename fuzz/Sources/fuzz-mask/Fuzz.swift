import FuzzSupport
import RadiomicsIO

/// A DICOM mask (RTSTRUCT or SEG, chosen by its SOP class) read onto a CT grid.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMask(_ data: UnsafeRawPointer, _ size: Int) -> Int32 {
    let path = FuzzFile.write(data, size, name: "mask.dcm")
    _ = try? MaskReader.read(path: path, onto: FuzzFile.grid, roi: nil, label: nil)
    _ = try? MaskReader.read(path: path, onto: FuzzFile.grid, roi: "Tumour", label: 1)
    return 0
}
