import Foundation
import RadiomicsCore

/// PyRadiomics 3.1's `shape2D` class (radiomics/shape2D.py and cshape.c's 2D part): shape of a ROI that is
/// one voxel thick across `force2Ddimension`. Only the mask matters.
///
/// - MeshSurface and Perimeter come from PyRadiomics' marching-squares contour of the mask padded by one pixel
///   of background: vertices at the midpoints of the edges between a ROI pixel and a background pixel, line
///   segments from its 16-entry table; the surface is the sum of the signed triangles (origin, segment).
/// - MaximumDiameter is the largest distance between contour vertices (here: between convex-hull vertices,
///   which gives the same maximum as PyRadiomics' all-pairs search).
/// - PixelSurface = N × pixel area; Sphericity = 2√(πA) / P (the IBSI has no 2D shape features);
///   PerimeterSurfaceRatio = P / A.
/// - Major/MinorAxisLength = 4√λ of the population covariance of the pixel centres' physical coordinates,
///   Elongation = √(λminor/λmajor).
public enum PyRadiomicsShape2D {
    /// PyRadiomics' non-deprecated 2D shape features, in the order PyRadiomics outputs them.
    public static let featureNames: [String] = [
        "Elongation", "MajorAxisLength", "MaximumDiameter", "MeshSurface", "MinorAxisLength", "Perimeter",
        "PerimeterSurfaceRatio", "PixelSurface", "Sphericity",
    ]

    /// The 2D shape features of `roi`. `force2Ddimension` is PyRadiomics' axis in numpy order (0 = z, 1 = y,
    /// 2 = x) across which the ROI (the voxels with mask != 0, wherever they are in the box) must be one voxel
    /// thick; throws, as PyRadiomics does, otherwise.
    public static func features(_ roi: PyRadiomicsROI, force2Ddimension: Int) throws -> [(name: String, value: Double)] {
        let grid = try PaddedMask2D(roi, force2Ddimension: force2Ddimension)
        let (perimeter, surface) = contourPerimeterAndSurface(grid)
        let diameter = contourDiameter(grid)

        var count = 0
        for p in grid.pixels where p != 0 { count += 1 }
        let ev = PyRadiomicsShapeMath.principalMoments2D(mask: grid.pixels, n0: grid.n0, n1: grid.n1, spacing: (grid.s0, grid.s1))

        let values: [Double] = [
            ev[0] < 0 || ev[1] < 0 ? .nan : (ev[0] / ev[1]).squareRoot(),
            ev[1] < 0 ? .nan : ev[1].squareRoot() * 4,
            diameter, surface,
            ev[0] < 0 ? .nan : ev[0].squareRoot() * 4,
            perimeter, perimeter / surface,
            Double(count) * (grid.s1 * grid.s0),
            (2 * (Double.pi * surface).squareRoot()) / perimeter,
        ]
        return Array(zip(featureNames, values)).map { (name: $0.0, value: $0.1) }
    }

    /// The ROI's slice as 0/1 bytes padded with one pixel of background, in numpy order: axis 0 (slower) and
    /// axis 1 (faster) are the two remaining axes in (z, y, x) order, e.g. (y, x) for force2Ddimension 0.
    struct PaddedMask2D {
        let n0: Int, n1: Int
        let s0: Double, s1: Double
        var pixels: [UInt8]

        init(_ roi: PyRadiomicsROI, force2Ddimension d: Int) throws {
            guard (0...2).contains(d) else {
                throw RadiomicsError("shape2D: force2Ddimension must be 0 (z), 1 (y) or 2 (x), not \(d)")
            }
            // (size, spacing, step in roi.mask) of the axes in numpy order (z, y, x).
            let all: [(n: Int, s: Double, step: Int)] = [
                (roi.size.z, roi.spacing.z, roi.size.x * roi.size.y), (roi.size.y, roi.spacing.y, roi.size.x),
                (roi.size.x, roi.spacing.x, 1),
            ]
            // The planes across d holding ROI voxels: PyRadiomics crops to the mask's bounding box first, so
            // the ROI (not the box) must be one voxel thick.
            var first = Int.max, last = -1
            for k in 0..<roi.size.z {
                for j in 0..<roi.size.y {
                    for i in 0..<roi.size.x where roi.mask[roi.index(i, j, k)] != 0 {
                        let plane = d == 0 ? k : (d == 1 ? j : i)
                        first = min(first, plane); last = max(last, plane)
                    }
                }
            }
            guard last <= first else {
                throw RadiomicsError(
                    "shape2D: the ROI is \(last - first + 1) voxels thick along force2Ddimension \(d) (\(["z", "y", "x"][d])); "
                        + "PyRadiomics computes 2D shape only for a ROI one voxel thick in that dimension")
            }
            let offset = last < 0 ? 0 : first * all[d].step // the ROI's plane (any plane for an empty ROI)
            let axes = all.enumerated().filter { $0.offset != d }.map(\.element) // the two in-plane axes
            n0 = axes[0].n + 2; n1 = axes[1].n + 2
            s0 = axes[0].s; s1 = axes[1].s
            var p = [UInt8](repeating: 0, count: n0 * n1)
            for a0 in 0..<axes[0].n {
                for a1 in 0..<axes[1].n where roi.mask[offset + a0 * axes[0].step + a1 * axes[1].step] != 0 {
                    p[(a0 + 1) * n1 + a1 + 1] = 1
                }
            }
            pixels = p
        }
    }

    /// Perimeter and signed surface of PyRadiomics' marching-squares contour. As in 3D, one pass counts the
    /// square configurations and sums their positions; a segment (P + u, P + v) adds the fixed length |v - u|
    /// and the cross product u × v + P × (v - u).
    static func contourPerimeterAndSurface(_ g: PaddedMask2D) -> (perimeter: Double, surface: Double) {
        var count = [Int](repeating: 0, count: 16)
        var sum0 = count, sum1 = count
        g.pixels.withUnsafeBufferPointer { m in
            for i0 in 0..<(g.n0 - 1) {
                let r0 = i0 * g.n1, r1 = r0 + g.n1
                for i1 in 0..<(g.n1 - 1) {
                    // Corner bits: 0 (i0, i1), 1 (i0, i1+1), 2 (i0+1, i1+1), 3 (i0+1, i1).
                    let c = Int(m[r0 + i1]) | Int(m[r0 + i1 + 1]) << 1 | Int(m[r1 + i1 + 1]) << 2 | Int(m[r1 + i1]) << 3
                    if c == 0 || c == 15 { continue }
                    count[c] += 1; sum0[c] += i0; sum1[c] += i1
                }
            }
        }
        var perimeter = 0.0, surface2 = 0.0
        for c in 1..<15 where count[c] > 0 {
            let n = Double(count[c])
            let p0 = Double(sum0[c]) * g.s0, p1 = Double(sum1[c]) * g.s1
            let segments = lineTable[c]
            for t in stride(from: 0, to: segments.count, by: 2) {
                let (u0, u1) = (edgeMidpoints[segments[t]].0 * g.s0, edgeMidpoints[segments[t]].1 * g.s1)
                let (v0, v1) = (edgeMidpoints[segments[t + 1]].0 * g.s0, edgeMidpoints[segments[t + 1]].1 * g.s1)
                surface2 += n * (u0 * v1 - v0 * u1) + p0 * (v1 - u1) - p1 * (v0 - u0)
                let d0 = u0 - v0, d1 = u1 - v1
                perimeter += n * (d0 * d0 + d1 * d1).squareRoot()
            }
        }
        return (perimeter, surface2 / 2)
    }

    /// Largest distance between contour vertices (midpoints of the pixel edges where the mask changes), from
    /// the convex hull of those vertices in doubled integer coordinates.
    static func contourDiameter(_ g: PaddedMask2D) -> Double {
        let d0 = 2 * g.n0
        var lo = [Int32](repeating: .max, count: d0), hi = [Int32](repeating: -1, count: d0)
        func addVertex(_ u: Int, _ v: Int) {
            lo[u] = min(lo[u], Int32(v)); hi[u] = max(hi[u], Int32(v))
        }
        for i0 in 0..<g.n0 {
            for i1 in 0..<g.n1 {
                let m = g.pixels[i0 * g.n1 + i1]
                if i1 + 1 < g.n1 && g.pixels[i0 * g.n1 + i1 + 1] != m { addVertex(2 * i0, 2 * i1 + 1) }
                if i0 + 1 < g.n0 && g.pixels[(i0 + 1) * g.n1 + i1] != m { addVertex(2 * i0 + 1, 2 * i1) }
            }
        }
        var line: [(u: Int32, v: Int32)] = []
        for u in 0..<d0 where hi[u] >= 0 {
            line.append((Int32(u), lo[u]))
            if hi[u] != lo[u] { line.append((Int32(u), hi[u])) }
        }
        // cshape.c: ((double)index + 0, 0.5 or 1) * spacing, i.e. doubled index * 0.5 * spacing.
        let points = PyRadiomicsShapeMath.convexHull(line).map { (Double($0.u) * 0.5 * g.s0, Double($0.v) * 0.5 * g.s1) }
        var best = 0.0
        for i in points.indices {
            for j in (i + 1)..<points.count {
                let a = points[i].0 - points[j].0, b = points[i].1 - points[j].1
                best = max(best, a * a + b * b)
            }
        }
        return best.squareRoot()
    }

    /// Positions (axis 0, axis 1) of the midpoints of the 4 square edges (cshape.c's vertList2D).
    static let edgeMidpoints: [(Double, Double)] = [(0, 0.5), (0.5, 1), (1, 0.5), (0.5, 0)]

    /// PyRadiomics' segment table (cshape.c's lineTable2D): edge numbers, two per segment, for the 16
    /// square configurations, oriented so that the signed surface of the ROI is positive.
    static let lineTable: [[Int]] = [
        [], [3, 0], [0, 1], [3, 1], [1, 2], [1, 2, 3, 0], [0, 2], [3, 2],
        [2, 3], [2, 0], [0, 1, 2, 3], [2, 1], [1, 3], [1, 0], [0, 3], [],
    ]
}
