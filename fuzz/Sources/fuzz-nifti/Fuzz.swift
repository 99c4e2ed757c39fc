import FuzzSupport
import RadiomicsIO

/// NIfTI files (.nii; the gzip path is the same reader after inflating): read as an image, as a label mask, and
/// the first slices only.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNifti(_ data: UnsafeRawPointer, _ size: Int) -> Int32 {
    let path = FuzzFile.write(data, size, name: "input.nii")
    _ = try? Nifti.read(path: path)
    _ = try? Nifti.readLabels(path: path, label: 1)
    _ = try? Nifti.read(path: path, slices: { g in g.size.z > 1 ? 0...0 : nil })
    return 0
}
