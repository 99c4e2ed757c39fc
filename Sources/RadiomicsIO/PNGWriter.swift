import CPNG
import Foundation
import RadiomicsCore

/// Writes 8-bit grey or RGB pictures as PNG (libpng's simplified API).
public enum PNGWriter {
    /// `pixels` holds `width * height` grey values, or `3 * width * height` RGB triplets, rows top to bottom.
    public static func write(pixels: [UInt8], width: Int, height: Int, rgb: Bool, to path: String) throws {
        precondition(pixels.count == width * height * (rgb ? 3 : 1), "pixel count does not match the size")
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = rgb ? UInt32(PNG_FORMAT_RGB) : UInt32(PNG_FORMAT_GRAY)
        let ok = pixels.withUnsafeBytes { raw in
            png_image_write_to_file(&image, path, 0, raw.baseAddress, Int32(width * (rgb ? 3 : 1)), nil)
        }
        guard ok != 0 else {
            let message = withUnsafeBytes(of: image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw RadiomicsError(file: path, "cannot write PNG: \(message)")
        }
    }
}

/// An axial slice of an image as a picture for review: CT window, the ROI's outline in red.
public enum SliceSnapshot {
    /// Renders slice `k` with window centre/width (HU). Rows go down the picture along the grid's j axis,
    /// columns along i; for the usual DICOM axial orientation that is the radiological view (patient's
    /// right on the left, anterior at the top).
    public static func render(image: ScalarImage, mask: Mask?, slice k: Int, windowCentre: Double = 60,
                              windowWidth: Double = 400) -> (pixels: [UInt8], width: Int, height: Int) {
        let n = image.geometry.size
        let box = BoundingBox(lower: [0, 0, k], upper: [n.x - 1, n.y - 1, k])
        let values = image.cropped(to: box).voxels
        let low = windowCentre - windowWidth / 2
        var rgb = [UInt8](repeating: 0, count: n.x * n.y * 3)
        for p in 0..<(n.x * n.y) {
            let g = UInt8(max(0, min(255, ((values[p] - low) / windowWidth * 255).rounded())))
            rgb[3 * p] = g; rgb[3 * p + 1] = g; rgb[3 * p + 2] = g
        }
        if let mask {
            let base = k * n.x * n.y
            for j in 0..<n.y {
                for i in 0..<n.x where mask.voxels[base + j * n.x + i] != 0 {
                    // Outline: a region voxel with a 4-neighbour outside the region.
                    func outside(_ a: Int, _ b: Int) -> Bool {
                        a < 0 || b < 0 || a >= n.x || b >= n.y || mask.voxels[base + b * n.x + a] == 0
                    }
                    let edge = outside(i - 1, j) || outside(i + 1, j) || outside(i, j - 1) || outside(i, j + 1)
                    if edge { rgb[3 * (j * n.x + i)] = 255; rgb[3 * (j * n.x + i) + 1] = 0; rgb[3 * (j * n.x + i) + 2] = 0 }
                }
            }
        }
        return (rgb, n.x, n.y)
    }
}
