import Foundation
import RadiomicsCore
import RadiomicsIO

/// A PNG of one axial slice of a case's reference image with the tumour outlined: a quick look that image
/// and mask line up (and the README's pictures of each vascularization type).
public enum CaseSnapshot {
    /// Writes slice `slice` (an index of the reference image's whole grid; default: the slice where the tumour
    /// is largest) windowed at centre/width HU. Returns the loader's warnings.
    @discardableResult
    public static func write(_ input: CaseInput, slice: Int? = nil, windowCentre: Double = 60, windowWidth: Double = 400,
                             to path: String) throws -> [String] {
        guard windowWidth > 0 else { throw RadiomicsError("window width must be positive, got \(windowWidth)") }
        // Without a chosen slice only the tumour's slices are read.
        let loaded = try CaseLoader.load(input, extent: slice == nil ? .tumourSlices(marginMM: 0) : .wholeImage)
        let mask = loaded.tumour
        let n = mask.geometry.size, plane = n.x * n.y
        let k = try slice.map { k -> Int in
            guard k >= 0, k < n.z else { throw RadiomicsError("--slice \(k) is outside 0..<\(n.z)") }
            return k
        } ?? (0..<n.z).max { a, b in
            mask.voxels[(a * plane)..<((a + 1) * plane)].reduce(0) { $0 + Int($1) }
                < mask.voxels[(b * plane)..<((b + 1) * plane)].reduce(0) { $0 + Int($1) }
        }!
        let picture = SliceSnapshot.render(image: loaded.reference.image, mask: mask, slice: k,
                                           windowCentre: windowCentre, windowWidth: windowWidth)
        try PNGWriter.write(pixels: picture.pixels, width: picture.width, height: picture.height, rgb: true, to: path)
        return loaded.warnings
    }
}
