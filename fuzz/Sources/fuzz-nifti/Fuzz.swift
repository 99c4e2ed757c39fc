import FuzzSupport
import RadiomicsCore
import RadiomicsIO

/// NIfTI files (.nii; the gzip path is the same reader after inflating): read as an image, as a label mask (whole,
/// and the label's box found by streaming, then read alone), the first slice only, a box of it, and its extremes
/// streamed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNifti(_ data: UnsafeRawPointer, _ size: Int) -> Int32 {
    let path = FuzzFile.write(data, size, name: "input.nii")
    _ = try? Nifti.read(path: path)
    _ = try? Nifti.readLabels(path: path, label: 1)
    if let box = try? Nifti.labelBox(path: path, label: nil) { _ = try? Nifti.readLabels(path: path, label: nil, region: box) }
    _ = try? Nifti.read(path: path, region: { g in g.size.z > 1 ? g.zSlab(0...0) : nil })
    _ = try? Nifti.read(path: path, region: { g in
        g.size.x > 2 && g.size.y > 2 ? BoundingBox(lower: SIMD3(1, 1, 0), upper: SIMD3(g.size.x / 2, g.size.y - 2, g.size.z - 1)) : nil
    })
    _ = try? Nifti.extremes(path: path)
    return 0
}
