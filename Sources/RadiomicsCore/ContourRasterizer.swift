import Foundation

/// Turns closed planar contours (patient coordinates, as in an RTSTRUCT) into a mask on a voxel grid.
///
/// A voxel is inside when its centre is inside by the even-odd rule over every contour on its slice, so
/// inner contours (holes) cut out of outer ones and overlapping contours cancel. Each row is filled between
/// pairs of edge crossings, half-open ([left, right)) so that touching contours count a voxel once.
public enum ContourRasterizer {

    public struct Result: Sendable {
        public var mask: Mask
        /// Contours whose plane lies outside the grid's slices.
        public var contoursOutside: Int
    }

    /// Rasterises `contours` onto `geometry`. Throws when a contour is not parallel to the slices.
    public static func rasterize(_ contours: [[SIMD3<Double>]], onto geometry: ImageGeometry) throws -> Result {
        var mask = Mask(geometry: geometry, repeating: 0)
        let n = geometry.size
        guard let inverse = geometry.indexToPhysicalMatrix.inverse else {
            throw RadiomicsError("image grid is singular")
        }
        // 2D polygons in (i, j) voxel-index coordinates, grouped by slice.
        var bySlice: [Int: [[SIMD2<Double>]]] = [:]
        var outside = 0
        for contour in contours where contour.count >= 3 {
            let idx = contour.map { inverse * ($0 - geometry.origin) }
            let ks = idx.map(\.z)
            let kMin = ks.min()!, kMax = ks.max()!
            guard kMax - kMin < 0.1 else {
                throw RadiomicsError("a contour spans \(String(format: "%.2f", kMax - kMin)) slices: contours must lie in the image's slice planes (is the mask for another orientation?)")
            }
            let k = Int(((kMin + kMax) / 2).rounded())
            guard k >= 0, k < n.z else { outside += 1; continue }
            bySlice[k, default: []].append(idx.map { SIMD2($0.x, $0.y) })
        }
        mask.voxels.withUnsafeMutableBufferPointer { out in
            var crossings: [Double] = []
            for (k, polygons) in bySlice {
                var yMin = Double.infinity, yMax = -Double.infinity
                for poly in polygons { for p in poly { yMin = min(yMin, p.y); yMax = max(yMax, p.y) } }
                let j0 = max(0, Int(yMin.rounded(.up))), j1 = min(n.y - 1, Int(yMax.rounded(.down)))
                guard j0 <= j1 else { continue }
                for j in j0...j1 {
                    let y = Double(j)
                    crossings.removeAll(keepingCapacity: true)
                    for poly in polygons {
                        var a = poly[poly.count - 1]
                        for b in poly {
                            // Half-open in y so a vertex on the scanline is counted once.
                            if (a.y <= y && y < b.y) || (b.y <= y && y < a.y) {
                                crossings.append(a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y))
                            }
                            a = b
                        }
                    }
                    guard crossings.count >= 2 else { continue }
                    crossings.sort()
                    let row = geometry.linearIndex(0, j, k)
                    var c = 0
                    while c + 1 < crossings.count {
                        let i0 = max(0, Int(crossings[c].rounded(.up)))
                        let i1 = min(n.x, Int(crossings[c + 1].rounded(.up))) // exclusive
                        if i0 < i1 { for i in i0..<i1 { out[row + i] ^= 1 } }
                        c += 2
                    }
                }
            }
        }
        return Result(mask: mask, contoursOutside: outside)
    }
}
