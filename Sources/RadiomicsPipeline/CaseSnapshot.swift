import Foundation
import RadiomicsCore
import RadiomicsIO

/// A PNG of one axial slice of a case's reference image with the tumour outlined: a quick look that image
/// and mask line up (and the README's pictures of each vascularization type).
public enum CaseSnapshot {
    /// Writes slice `slice` (an index of the reference image's whole grid; default: the slice where the tumour
    /// is largest) windowed at centre/width HU, each voxel drawn as `scale` x `scale` pixels, the tumour outlined
    /// in red unless `outline` is false, the whole slice or (`around`) the tumour's box grown by that many mm.
    /// Returns the loader's warnings.
    @discardableResult
    public static func write(_ input: CaseInput, slice: Int? = nil, windowCentre: Double = 60, windowWidth: Double = 400,
                             scale: Int = 1, around: Double? = nil, outline: Bool = true, to path: String) throws -> [String] {
        guard windowWidth > 0 else { throw RadiomicsError("window width must be positive, got \(windowWidth)") }
        guard (1...8).contains(scale) else { throw RadiomicsError("scale must be 1-8, got \(scale)") }
        // Without a chosen slice only the tumour's slices are read.
        let loaded = try CaseLoader.load(input, extent: slice == nil ? .tumourSlices(marginMM: 0) : .wholeImage)
        let mask = loaded.tumour
        let n = mask.geometry.size
        let k = try slice.map { k -> Int in
            guard k >= 0, k < n.z else { throw RadiomicsError("--slice \(k) is outside 0..<\(n.z)") }
            return k
        } ?? mask.fullestSlice!
        // The whole slice, or (`around`) the tumour's box grown by that many mm.
        var x0 = 0, x1 = n.x - 1, y0 = 0, y1 = n.y - 1
        if let around {
            guard around >= 0, around.isFinite else { throw RadiomicsError("the margin around the tumour must be a length in mm, got \(around)") }
            let box = mask.boundingBox!
            let g = mask.geometry
            x0 = max(0, box.lower.x - Int(around / g.spacing.x)); x1 = min(n.x - 1, box.upper.x + Int(around / g.spacing.x))
            y0 = max(0, box.lower.y - Int(around / g.spacing.y)); y1 = min(n.y - 1, box.upper.y + Int(around / g.spacing.y))
        }
        let crop = BoundingBox(lower: [x0, y0, k], upper: [x1, y1, k])
        let values = loaded.reference.image.cropped(to: crop).voxels
        let outlines = outline ? [SliceSnapshot.Outline(region: mask.cropped(to: crop).voxels, red: 255, green: 0, blue: 0)] : []
        // Each voxel as a scale x scale block (coarse grids stay legible), the outline a line between voxels.
        let width = x1 - x0 + 1, height = y1 - y0 + 1
        let pixels = SliceSnapshot.render(plane: values, width: width, height: height, windowCentre: windowCentre,
                                          windowWidth: windowWidth, outlines: outlines, scale: scale)
        let w = width * scale, h = height * scale
        try PNGWriter.write(pixels: pixels, width: w, height: h, rgb: true, to: path)
        return loaded.warnings
    }
}
