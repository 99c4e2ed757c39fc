import CPNG
import Foundation
import RadiomicsCore

/// Writes 8-bit grey or RGB pictures as PNG (libpng's simplified API).
public enum PNGWriter {
    /// `pixels` holds `width * height` grey values, or `3 * width * height` RGB triplets, rows top to bottom.
    public static func write(pixels: [UInt8], width: Int, height: Int, rgb: Bool, to path: String) throws {
        var image = header(pixels: pixels, width: width, height: height, rgb: rgb)
        let ok = pixels.withUnsafeBytes { raw in
            png_image_write_to_file(&image, path, 0, raw.baseAddress, Int32(width * (rgb ? 3 : 1)), nil)
        }
        guard ok != 0 else { throw RadiomicsError(file: path, "cannot write PNG: \(message(image))") }
    }

    /// The PNG file's bytes, in memory (a web page's picture). `fast`: libpng's fast setting (less zlib effort;
    /// a larger file, made several times faster): for pictures made on request, where zlib is most of the cost.
    public static func encode(pixels: [UInt8], width: Int, height: Int, rgb: Bool, fast: Bool = false) throws -> [UInt8] {
        var image = header(pixels: pixels, width: width, height: height, rgb: rgb)
        if fast { image.flags |= UInt32(PNG_IMAGE_FLAG_FAST) }
        let stride = Int32(width * (rgb ? 3 : 1))
        return try pixels.withUnsafeBytes { raw in
            var size: png_alloc_size_t = 0
            // First the size, then the bytes.
            guard png_image_write_to_memory(&image, nil, &size, 0, raw.baseAddress, stride, nil) != 0 else {
                throw RadiomicsError("cannot encode PNG: \(message(image))")
            }
            var bytes = [UInt8](repeating: 0, count: Int(size))
            let ok = bytes.withUnsafeMutableBytes { out in
                png_image_write_to_memory(&image, out.baseAddress, &size, 0, raw.baseAddress, stride, nil)
            }
            guard ok != 0 else { throw RadiomicsError("cannot encode PNG: \(message(image))") }
            return Array(bytes.prefix(Int(size)))
        }
    }

    static func header(pixels: [UInt8], width: Int, height: Int, rgb: Bool) -> png_image {
        precondition(pixels.count == width * height * (rgb ? 3 : 1), "pixel count does not match the size")
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = rgb ? UInt32(PNG_FORMAT_RGB) : UInt32(PNG_FORMAT_GRAY)
        return image
    }

    static func message(_ image: png_image) -> String {
        withUnsafeBytes(of: image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}

/// An axial slice of an image as a picture for review: CT window, outlines of regions (the ROI in red). Rows go
/// down the picture along the grid's j axis, columns along i; for the usual DICOM axial orientation that is the
/// radiological view (patient's right on the left, anterior at the top).
public enum SliceSnapshot {
    /// A region of a plane (non-zero inside) whose edge is drawn in a colour.
    public struct Outline: Sendable {
        public var region: [UInt8]
        public var colour: SIMD3<UInt8>
        public init(region: [UInt8], red: UInt8, green: UInt8, blue: UInt8) {
            self.region = region
            colour = SIMD3(red, green, blue)
        }
    }

    /// RGB pixels of a plane of HU values (`width * height`, rows along j), each voxel a `scale` x `scale` block:
    /// grey = (HU - low) / width x 255 clamped, NaN (no data) black; then each outline, later outlines over
    /// earlier ones. At scale 1 an outline colours the region's edge voxels (a region voxel with a 4-neighbour
    /// outside the region or the plane); at larger scales it is a line along the sides of those voxels that face
    /// outside (`scale / 4` pixels thick, at least 1), so the voxels themselves stay visible.
    public static func render(plane values: [Float], width: Int, height: Int, windowCentre: Double, windowWidth: Double,
                              outlines: [Outline], scale: Int = 1) -> [UInt8] {
        renderPlane(values, width: width, height: height, windowCentre: windowCentre, windowWidth: windowWidth, outlines: outlines,
                    scale: scale)
    }

    public static func render(plane values: [Double], width: Int, height: Int, windowCentre: Double, windowWidth: Double,
                              outlines: [Outline], scale: Int = 1) -> [UInt8] {
        renderPlane(values, width: width, height: height, windowCentre: windowCentre, windowWidth: windowWidth, outlines: outlines,
                    scale: scale)
    }

    static func renderPlane<T: BinaryFloatingPoint>(_ values: [T], width: Int, height: Int, windowCentre: Double,
                                                    windowWidth: Double, outlines: [Outline], scale: Int) -> [UInt8] {
        precondition(values.count == width * height, "plane size does not match")
        precondition(scale >= 1, "scale must be at least 1")
        let low = windowCentre - windowWidth / 2
        let w = width * scale
        var rgb = [UInt8](repeating: 0, count: w * height * scale * 3)
        func fill(_ x0: Int, _ y0: Int, _ nx: Int, _ ny: Int, _ r: UInt8, _ g: UInt8, _ b: UInt8) {
            for y in y0..<(y0 + ny) {
                for x in x0..<(x0 + nx) {
                    let p = 3 * (y * w + x)
                    rgb[p] = r; rgb[p + 1] = g; rgb[p + 2] = b
                }
            }
        }
        for j in 0..<height {
            for i in 0..<width where !values[j * width + i].isNaN {
                let g = UInt8(max(0, min(255, ((Double(values[j * width + i]) - low) / windowWidth * 255).rounded())))
                fill(i * scale, j * scale, scale, scale, g, g, g)
            }
        }
        let t = max(1, scale / 4)
        for outline in outlines {
            precondition(outline.region.count == width * height, "outline size does not match")
            let region = outline.region, c = outline.colour
            func outside(_ a: Int, _ b: Int) -> Bool {
                a < 0 || b < 0 || a >= width || b >= height || region[b * width + a] == 0
            }
            for j in 0..<height {
                for i in 0..<width where region[j * width + i] != 0 {
                    let x = i * scale, y = j * scale
                    if scale == 1 {
                        if outside(i - 1, j) || outside(i + 1, j) || outside(i, j - 1) || outside(i, j + 1) { fill(x, y, 1, 1, c.x, c.y, c.z) }
                        continue
                    }
                    if outside(i - 1, j) { fill(x, y, t, scale, c.x, c.y, c.z) }
                    if outside(i + 1, j) { fill(x + scale - t, y, t, scale, c.x, c.y, c.z) }
                    if outside(i, j - 1) { fill(x, y, scale, t, c.x, c.y, c.z) }
                    if outside(i, j + 1) { fill(x, y + scale - t, scale, t, c.x, c.y, c.z) }
                }
            }
        }
        return rgb
    }
}
