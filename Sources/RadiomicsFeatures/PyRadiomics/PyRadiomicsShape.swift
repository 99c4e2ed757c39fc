import Foundation

/// PyRadiomics 3.1's 3D `shape` class (radiomics/shape.py and its C part cshape.c). Only the mask matters.
///
/// - MeshVolume and SurfaceArea come from PyRadiomics' own marching-cubes mesh of the mask padded by one
///   voxel of background: vertices at the midpoints of the edges between a ROI voxel and a background voxel,
///   triangles from its 128-entry table (configurations with the 8th corner set are complemented and their
///   signed volume negated). The volume is the sum of the signed tetrahedra (origin, triangle) / 6. IBSI uses
///   a mesh as well, but not necessarily this triangulation, so values differ slightly from other tools.
/// - Maximum3DDiameter and Maximum2DDiameter Slice / Column / Row are the largest distances between mesh
///   vertices, overall and between vertices sharing the same z / y / x coordinate (PyRadiomics compares all
///   vertex pairs; here only the convex-hull vertices of every axis-aligned plane are compared, which gives the
///   same maxima).
/// - VoxelVolume = N × voxel volume; Sphericity = (36π V²)^(1/3) / A; SurfaceVolumeRatio = A / V.
/// - Major/Minor/LeastAxisLength = 4√λ of the eigenvalues of the population covariance of the physical
///   coordinates of the ROI voxel centres; Elongation = √(λminor/λmajor), Flatness = √(λleast/λmajor).
///   Eigenvalues in (-1e-10, 0) are set to 0, negative ones give NaN, as in PyRadiomics.
public enum PyRadiomicsShape {
    /// PyRadiomics' non-deprecated 3D shape features, in the order PyRadiomics outputs them.
    public static let featureNames: [String] = [
        "Elongation", "Flatness", "LeastAxisLength", "MajorAxisLength", "Maximum2DDiameterColumn",
        "Maximum2DDiameterRow", "Maximum2DDiameterSlice", "Maximum3DDiameter", "MeshVolume", "MinorAxisLength",
        "Sphericity", "SurfaceArea", "SurfaceVolumeRatio", "VoxelVolume",
    ]

    /// The shape features of the ROI (voxels with mask != 0; the image is not used).
    public static func features(_ roi: PyRadiomicsROI) -> [(name: String, value: Double)] {
        // PyRadiomics works in numpy order (z, y, x); so does everything below.
        let spacing = (z: roi.spacing.z, y: roi.spacing.y, x: roi.spacing.x)
        let grid = PaddedMask(roi)
        let (area, volume) = meshAreaAndVolume(grid, spacing: spacing)
        let d = meshDiameters(grid, spacing: spacing)
        let count = roi.mask.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        let ev = PyRadiomicsShapeMath.principalMoments(roi)

        let sqrtOrNaN = { (x: Double) -> Double in x < 0 ? .nan : x.squareRoot() }
        let ratioOrNaN = { (a: Double, b: Double) -> Double in a < 0 || b < 0 ? .nan : (a / b).squareRoot() }
        let values: [Double] = [
            ratioOrNaN(ev[1], ev[2]), ratioOrNaN(ev[0], ev[2]), sqrtOrNaN(ev[0]) * 4, sqrtOrNaN(ev[2]) * 4,
            d.column, d.row, d.slice, d.all, volume, sqrtOrNaN(ev[1]) * 4,
            pow(36 * Double.pi * (volume * volume), 1.0 / 3.0) / area, area, area / volume,
            Double(count) * (spacing.z * spacing.x * spacing.y),
        ]
        return Array(zip(featureNames, values)).map { (name: $0.0, value: $0.1) }
    }

    /// The mask as 0/1 bytes with one voxel of background on every side (PyRadiomics' ConstantPad of 1),
    /// stored x fastest.
    struct PaddedMask {
        let nx: Int, ny: Int, nz: Int
        var voxels: [UInt8]

        init(_ roi: PyRadiomicsROI) {
            let px = roi.size.x + 2, py = roi.size.y + 2, pz = roi.size.z + 2
            var v = [UInt8](repeating: 0, count: px * py * pz)
            let sx = roi.size.x, sy = roi.size.y
            roi.mask.withUnsafeBufferPointer { m in
                for k in 0..<roi.size.z {
                    for j in 0..<sy {
                        let src = sx * (j + sy * k), dst = 1 + px * (j + 1 + py * (k + 1))
                        for i in 0..<sx where m[src + i] != 0 { v[dst + i] = 1 }
                    }
                }
            }
            nx = px; ny = py; nz = pz
            voxels = v
        }
    }

    /// Surface area and signed volume of PyRadiomics' marching-cubes mesh.
    ///
    /// One pass over the cubes of the padded grid counts every cube configuration and sums the cubes' corner
    /// positions per configuration. A configuration's triangles have a fixed area, and the signed volume of a
    /// triangle translated by P is det(u, v, w) + P · (v×w + w×u + u×v), so both totals follow exactly from those
    /// counts and sums (PyRadiomics adds the same terms triangle by triangle).
    static func meshAreaAndVolume(_ grid: PaddedMask, spacing s: (z: Double, y: Double, x: Double)) -> (area: Double, volume: Double) {
        var count = [Int](repeating: 0, count: 256)
        var sumZ = [Int](repeating: 0, count: 256), sumY = sumZ, sumX = sumZ
        let nx = grid.nx, plane = grid.nx * grid.ny
        grid.voxels.withUnsafeBufferPointer { m in
            for iz in 0..<(grid.nz - 1) {
                for iy in 0..<(grid.ny - 1) {
                    let r00 = nx * iy + plane * iz // rows (z, y), (z, y+1), (z+1, y), (z+1, y+1)
                    let r01 = r00 + nx, r10 = r00 + plane, r11 = r10 + nx
                    // Corner bits follow cshape.c: 0 (z,y,x) 1 (z,y,x+1) 2 (z,y+1,x+1) 3 (z,y+1,x)
                    // 4 (z+1,y,x) 5 (z+1,y,x+1) 6 (z+1,y+1,x+1) 7 (z+1,y+1,x).
                    var left = Int(m[r00]) | Int(m[r01]) << 3 | Int(m[r10]) << 4 | Int(m[r11]) << 7
                    for ix in 0..<(nx - 1) {
                        let x1 = ix + 1
                        let right = Int(m[r00 + x1]) << 1 | Int(m[r01 + x1]) << 2 | Int(m[r10 + x1]) << 5
                            | Int(m[r11 + x1]) << 6
                        let c = left | right
                        // The x+1 corners become the next cube's x corners: bit 1 -> 0, 2 -> 3, 5 -> 4, 6 -> 7.
                        left = (right >> 1) & 0x11 | (right << 1) & 0x88
                        if c == 0 || c == 255 { continue }
                        count[c] += 1
                        sumZ[c] += iz; sumY[c] += iy; sumX[c] += ix
                    }
                }
            }
        }
        var area = 0.0, volume6 = 0.0
        for c in 1..<255 where count[c] > 0 {
            let flipped = c & 0x80 != 0
            let edges = triangleTable[flipped ? c ^ 0xff : c]
            let sign = flipped ? -1.0 : 1.0
            let n = Double(count[c])
            let p = SIMD3<Double>(Double(sumZ[c]) * s.z, Double(sumY[c]) * s.y, Double(sumX[c]) * s.x)
            let scale = SIMD3<Double>(s.z, s.y, s.x)
            for t in stride(from: 0, to: edges.count, by: 3) {
                let u = edgeMidpoints[edges[t]] * scale
                let v = edgeMidpoints[edges[t + 1]] * scale
                let w = edgeMidpoints[edges[t + 2]] * scale
                let normalSum = cross(v, w) + cross(w, u) + cross(u, v)
                volume6 += sign * (n * dot(u, cross(v, w)) + dot(p, normalSum))
                let a = cross(u - w, v - w)
                area += n * 0.5 * dot(a, a).squareRoot()
            }
        }
        return (area, volume6 / 6)
    }

    @inline(__always) static func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(a.y * b.z - b.y * a.z, a.z * b.x - b.z * a.x, a.x * b.y - b.x * a.y)
    }

    @inline(__always) static func dot(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
        a.x * b.x + a.y * b.y + a.z * b.z
    }

    /// Maximum distances between mesh vertices: overall, and between vertices with equal z (slice), equal y
    /// (column) or equal x (row) coordinate, as cshape.c's calculate_meshDiameter.
    ///
    /// The mesh vertices are the midpoints of the grid edges whose two voxels differ, kept here in doubled
    /// padded-grid coordinates (integers). A farthest pair is always a pair of convex-hull vertices, and a
    /// hull vertex of a point set is also a hull vertex of the set's section by any plane through it. So each
    /// plane z = const, y = const, x = const gets its exact 2D hull (monotone chain on integer coordinates, fed
    /// with the two extremes of each grid line); the 2D maxima compare the hull vertices of each plane, the 3D
    /// maximum the vertices that are hull vertices of all three of their planes.
    static func meshDiameters(_ grid: PaddedMask, spacing s: (z: Double, y: Double, x: Double))
        -> (slice: Double, column: Double, row: Double, all: Double)
    {
        // Doubled coordinate ranges.
        let dz = 2 * grid.nz, dy = 2 * grid.ny, dx = 2 * grid.nx
        // Extremes of the vertices on every line along x (per (Z, Y)) and along y (per (Z, X)).
        var minX = [Int32](repeating: .max, count: dz * dy), maxX = [Int32](repeating: -1, count: dz * dy)
        var minY = [Int32](repeating: .max, count: dz * dx), maxY = [Int32](repeating: -1, count: dz * dx)
        func addVertex(_ z: Int, _ y: Int, _ x: Int) {
            let a = z * dy + y, b = z * dx + x
            minX[a] = min(minX[a], Int32(x)); maxX[a] = max(maxX[a], Int32(x))
            minY[b] = min(minY[b], Int32(y)); maxY[b] = max(maxY[b], Int32(y))
        }
        let nx = grid.nx, ny = grid.ny, nz = grid.nz, plane = nx * ny
        grid.voxels.withUnsafeBufferPointer { m in
            for z in 0..<nz {
                for y in 0..<ny {
                    let row = nx * y + plane * z
                    for x in 0..<nx {
                        let v = m[row + x]
                        if x + 1 < nx && m[row + x + 1] != v { addVertex(2 * z, 2 * y, 2 * x + 1) }
                        if y + 1 < ny && m[row + x + nx] != v { addVertex(2 * z, 2 * y + 1, 2 * x) }
                        if z + 1 < nz && m[row + x + plane] != v { addVertex(2 * z + 1, 2 * y, 2 * x) }
                    }
                }
            }
        }

        var slice = 0.0, column = 0.0, row = 0.0
        var hullKeys: [[Int]] = [[], [], []] // hull vertices of the z, y and x planes, as (Z * dy + Y) * dx + X
        var line: [(u: Int32, v: Int32)] = []
        func collect(_ u: Int, _ lo: Int32, _ hi: Int32) {
            guard hi >= 0 else { return }
            line.append((Int32(u), lo))
            if hi != lo { line.append((Int32(u), hi)) }
        }
        func farthest(_ keys: [Int]) -> Double {
            farthestPair(keys.map { vertexPosition($0, dy: dy, dx: dx, spacing: s) })
        }
        for z in 0..<dz { // planes z = Z, from the lines along x
            line.removeAll(keepingCapacity: true)
            for y in 0..<dy { collect(y, minX[z * dy + y], maxX[z * dy + y]) }
            let keys = PyRadiomicsShapeMath.convexHull(line).map { (z * dy + Int($0.u)) * dx + Int($0.v) }
            slice = max(slice, farthest(keys))
            hullKeys[0] += keys
        }
        for y in 0..<dy { // planes y = Y, from the lines along x
            line.removeAll(keepingCapacity: true)
            for z in 0..<dz { collect(z, minX[z * dy + y], maxX[z * dy + y]) }
            let keys = PyRadiomicsShapeMath.convexHull(line).map { (Int($0.u) * dy + y) * dx + Int($0.v) }
            column = max(column, farthest(keys))
            hullKeys[1] += keys
        }
        for x in 0..<dx { // planes x = X, from the lines along y
            line.removeAll(keepingCapacity: true)
            for z in 0..<dz { collect(z, minY[z * dx + x], maxY[z * dx + x]) }
            let keys = PyRadiomicsShapeMath.convexHull(line).map { (Int($0.u) * dy + Int($0.v)) * dx + x }
            row = max(row, farthest(keys))
            hullKeys[2] += keys
        }
        // 3D candidates: vertices on the hulls of all three of their planes (sorted-list intersection).
        let sorted = hullKeys.map { $0.sorted() }
        var candidates: [Int] = []
        var j = 0, k = 0
        for key in sorted[0] {
            while j < sorted[1].count && sorted[1][j] < key { j += 1 }
            while k < sorted[2].count && sorted[2][k] < key { k += 1 }
            if j < sorted[1].count && sorted[1][j] == key && k < sorted[2].count && sorted[2][k] == key {
                candidates.append(key)
            }
        }
        let all = farthest(candidates)
        return (slice.squareRoot(), column.squareRoot(), row.squareRoot(), all.squareRoot())
    }

    /// Physical position (z, y, x) of a vertex key, computed as cshape.c does: (index + 0, 0.5 or 1) * spacing
    /// (the doubled index times 0.5 is that same exact number).
    static func vertexPosition(_ key: Int, dy: Int, dx: Int, spacing s: (z: Double, y: Double, x: Double)) -> SIMD3<Double> {
        let z = key / (dy * dx), y = (key / dx) % dy, x = key % dx
        return SIMD3(Double(z) * 0.5 * s.z, Double(y) * 0.5 * s.y, Double(x) * 0.5 * s.x)
    }

    /// Largest squared distance between two of the points (cshape.c's sum dz² + dy² + dx²).
    static func farthestPair(_ p: [SIMD3<Double>]) -> Double {
        var best = 0.0
        for i in p.indices {
            let a = p[i]
            for j in (i + 1)..<p.count {
                let d = a - p[j]
                best = max(best, d.x * d.x + d.y * d.y + d.z * d.z)
            }
        }
        return best
    }

    /// Corner positions (z, y, x) of the midpoints of the 12 cube edges (cshape.c's vertList).
    static let edgeMidpoints: [SIMD3<Double>] = [
        SIMD3(0, 0, 0.5), SIMD3(0, 0.5, 1), SIMD3(0, 1, 0.5), SIMD3(0, 0.5, 0),
        SIMD3(1, 0, 0.5), SIMD3(1, 0.5, 1), SIMD3(1, 1, 0.5), SIMD3(1, 0.5, 0),
        SIMD3(0.5, 0, 0), SIMD3(0.5, 0, 1), SIMD3(0.5, 1, 1), SIMD3(0.5, 1, 0),
    ]

    /// PyRadiomics' triangle table (cshape.c's triTable) for the cube configurations 0...127: edge numbers,
    /// three per triangle, ordered so that normals point out of the ROI.
    static let triangleTable: [[Int]] = [
        [],
        [0, 8, 3],
        [1, 9, 0],
        [1, 8, 3, 1, 9, 8],
        [1, 2, 10],
        [0, 8, 3, 1, 2, 10],
        [9, 2, 10, 0, 2, 9],
        [2, 8, 3, 2, 10, 8, 10, 9, 8],
        [11, 2, 3],
        [11, 2, 0, 0, 8, 11],
        [1, 9, 0, 11, 2, 3],
        [11, 2, 1, 1, 9, 11, 9, 8, 11],
        [3, 10, 1, 11, 10, 3],
        [10, 1, 0, 0, 8, 10, 8, 11, 10],
        [9, 0, 3, 3, 11, 9, 11, 10, 9],
        [9, 8, 10, 11, 10, 8],
        [4, 7, 8],
        [0, 4, 3, 4, 7, 3],
        [1, 9, 0, 4, 7, 8],
        [1, 9, 4, 1, 4, 7, 1, 7, 3],
        [1, 2, 10, 4, 7, 8],
        [3, 4, 7, 3, 0, 4, 1, 2, 10],
        [9, 2, 10, 9, 0, 2, 4, 7, 8],
        [2, 10, 9, 2, 9, 7, 2, 7, 3, 4, 7, 9],
        [4, 7, 8, 11, 2, 3],
        [11, 4, 7, 11, 2, 4, 2, 0, 4],
        [1, 9, 0, 4, 7, 8, 11, 2, 3],
        [4, 7, 11, 9, 4, 11, 11, 2, 9, 1, 9, 2],
        [3, 10, 1, 11, 10, 3, 4, 7, 8],
        [11, 10, 1, 1, 4, 11, 1, 0, 4, 4, 7, 11],
        [4, 7, 8, 9, 0, 3, 3, 11, 9, 11, 10, 9],
        [4, 7, 11, 4, 11, 9, 9, 11, 10],
        [9, 5, 4],
        [9, 5, 4, 0, 8, 3],
        [0, 5, 4, 0, 1, 5],
        [8, 5, 4, 8, 3, 5, 3, 1, 5],
        [1, 2, 10, 9, 5, 4],
        [0, 8, 3, 1, 2, 10, 9, 5, 4],
        [2, 10, 5, 5, 4, 2, 2, 4, 0],
        [2, 10, 5, 3, 2, 5, 3, 5, 4, 8, 3, 4],
        [9, 5, 4, 11, 2, 3],
        [11, 2, 0, 0, 8, 11, 9, 5, 4],
        [0, 5, 4, 0, 1, 5, 11, 2, 3],
        [2, 1, 5, 2, 5, 8, 11, 2, 8, 5, 4, 8],
        [3, 10, 1, 11, 10, 3, 9, 5, 4],
        [5, 4, 9, 10, 1, 0, 0, 8, 10, 8, 11, 10],
        [5, 4, 0, 5, 0, 11, 10, 5, 11, 11, 0, 3],
        [5, 4, 8, 10, 5, 8, 11, 10, 8],
        [7, 8, 9, 5, 7, 9],
        [3, 0, 9, 5, 3, 9, 3, 5, 7],
        [7, 8, 0, 0, 1, 7, 7, 1, 5],
        [1, 5, 7, 1, 7, 3],
        [7, 8, 9, 5, 7, 9, 1, 2, 10],
        [1, 2, 10, 3, 0, 9, 3, 9, 5, 3, 5, 7],
        [0, 2, 8, 8, 2, 5, 8, 5, 7, 2, 10, 5],
        [2, 10, 5, 2, 5, 3, 3, 5, 7],
        [5, 7, 9, 7, 8, 9, 11, 2, 3],
        [5, 7, 9, 9, 7, 2, 2, 0, 9, 11, 2, 7],
        [11, 2, 3, 0, 1, 8, 1, 7, 8, 1, 5, 7],
        [2, 1, 11, 1, 7, 11, 1, 5, 7],
        [7, 8, 9, 5, 7, 9, 3, 10, 1, 11, 10, 3],
        [5, 7, 0, 5, 0, 9, 7, 11, 0, 10, 1, 0, 11, 10, 0],
        [11, 10, 0, 0, 3, 11, 10, 5, 0, 0, 7, 8, 5, 7, 0],
        [11, 10, 5, 5, 7, 11],
        [6, 5, 10],
        [0, 8, 3, 6, 5, 10],
        [1, 9, 0, 6, 5, 10],
        [1, 8, 3, 1, 9, 8, 6, 5, 10],
        [1, 6, 5, 1, 2, 6],
        [1, 6, 5, 1, 2, 6, 0, 8, 3],
        [9, 6, 5, 9, 0, 6, 0, 2, 6],
        [5, 9, 8, 5, 8, 2, 5, 2, 6, 8, 3, 2],
        [11, 2, 3, 6, 5, 10],
        [11, 2, 0, 0, 8, 11, 6, 5, 10],
        [1, 9, 0, 11, 2, 3, 6, 5, 10],
        [11, 2, 1, 1, 9, 11, 9, 8, 11, 6, 5, 10],
        [6, 3, 11, 6, 5, 3, 5, 1, 3],
        [0, 8, 11, 0, 11, 5, 0, 5, 1, 5, 11, 6],
        [6, 3, 11, 0, 3, 6, 0, 6, 5, 0, 5, 9],
        [6, 5, 9, 6, 9, 11, 11, 9, 8],
        [4, 7, 8, 6, 5, 10],
        [0, 4, 3, 4, 7, 3, 6, 5, 10],
        [1, 9, 0, 4, 7, 8, 6, 5, 10],
        [1, 9, 4, 1, 4, 7, 1, 7, 3, 6, 5, 10],
        [4, 7, 8, 1, 6, 5, 1, 2, 6],
        [0, 4, 3, 4, 7, 3, 1, 6, 5, 1, 2, 6],
        [4, 7, 8, 9, 6, 5, 9, 0, 6, 0, 2, 6],
        [7, 3, 9, 4, 7, 9, 3, 2, 9, 5, 9, 6, 2, 6, 9],
        [11, 2, 3, 4, 7, 8, 6, 5, 10],
        [11, 4, 7, 11, 2, 4, 2, 0, 4, 6, 5, 10],
        [1, 9, 0, 11, 2, 3, 4, 7, 8, 6, 5, 10],
        [4, 7, 11, 9, 4, 11, 11, 2, 9, 1, 9, 2, 6, 5, 10],
        [4, 7, 8, 6, 3, 11, 6, 5, 3, 5, 1, 3],
        [5, 1, 11, 5, 11, 6, 1, 0, 11, 4, 7, 11, 0, 4, 11],
        [4, 7, 8, 6, 3, 11, 0, 3, 6, 0, 6, 5, 0, 5, 9],
        [6, 5, 9, 6, 9, 11, 4, 7, 9, 7, 11, 9],
        [10, 4, 9, 6, 4, 10],
        [10, 4, 9, 6, 4, 10, 0, 8, 3],
        [0, 1, 10, 10, 6, 0, 6, 4, 0],
        [1, 8, 3, 1, 6, 8, 8, 6, 4, 6, 1, 10],
        [1, 4, 9, 1, 2, 4, 2, 6, 4],
        [1, 4, 9, 1, 2, 4, 2, 6, 4, 0, 8, 3],
        [0, 2, 4, 4, 2, 6],
        [8, 3, 2, 8, 2, 4, 4, 2, 6],
        [11, 2, 3, 10, 4, 9, 6, 4, 10],
        [11, 2, 0, 0, 8, 11, 10, 4, 9, 6, 4, 10],
        [11, 2, 3, 0, 1, 10, 10, 6, 0, 6, 4, 0],
        [6, 4, 1, 6, 1, 10, 1, 4, 8, 11, 2, 1, 1, 8, 11],
        [9, 6, 4, 3, 6, 9, 1, 3, 9, 11, 6, 3],
        [1, 8, 11, 0, 8, 1, 11, 6, 1, 1, 4, 9, 6, 4, 1],
        [6, 3, 11, 0, 3, 6, 6, 4, 0],
        [8, 6, 4, 6, 8, 11],
        [6, 7, 10, 7, 8, 10, 8, 9, 10],
        [6, 7, 10, 0, 10, 7, 0, 9, 10, 0, 7, 3],
        [6, 7, 10, 1, 10, 7, 1, 7, 8, 0, 1, 8],
        [6, 7, 10, 1, 10, 7, 1, 7, 3],
        [1, 2, 6, 1, 6, 8, 1, 8, 9, 6, 7, 8],
        [2, 6, 9, 1, 2, 9, 6, 7, 9, 3, 0, 9, 7, 3, 9],
        [0, 7, 8, 7, 0, 6, 6, 0, 2],
        [2, 7, 3, 2, 6, 7],
        [11, 2, 3, 6, 7, 10, 7, 8, 10, 8, 9, 10],
        [2, 0, 7, 11, 2, 7, 0, 9, 7, 6, 7, 10, 9, 10, 7],
        [6, 7, 10, 1, 10, 7, 1, 7, 8, 0, 1, 8, 11, 2, 3],
        [11, 2, 1, 1, 7, 11, 10, 6, 1, 1, 6, 7],
        [8, 9, 6, 6, 7, 8, 1, 6, 9, 11, 6, 3, 1, 3, 6],
        [0, 9, 1, 6, 7, 11],
        [0, 7, 8, 7, 0, 6, 0, 3, 11, 11, 6, 0],
        [6, 7, 11],
    ]
}

/// Geometry shared by PyRadiomics' 3D and 2D shape classes.
enum PyRadiomicsShapeMath {
    /// Vertices of the convex hull of integer points sorted by u, then v (Andrew's monotone chain; collinear
    /// points dropped). Fewer than three points are returned as they are.
    static func convexHull(_ p: [(u: Int32, v: Int32)]) -> [(u: Int32, v: Int32)] {
        if p.count < 3 { return p }
        @inline(__always) func turn(_ o: (u: Int32, v: Int32), _ a: (u: Int32, v: Int32), _ b: (u: Int32, v: Int32)) -> Int {
            (Int(a.u) - Int(o.u)) * (Int(b.v) - Int(o.v)) - (Int(a.v) - Int(o.v)) * (Int(b.u) - Int(o.u))
        }
        var hull: [(u: Int32, v: Int32)] = []
        hull.reserveCapacity(p.count + 1)
        for q in p { // lower chain
            while hull.count >= 2 && turn(hull[hull.count - 2], hull[hull.count - 1], q) <= 0 { hull.removeLast() }
            hull.append(q)
        }
        let lowerCount = hull.count + 1
        for q in p.reversed().dropFirst() { // upper chain
            while hull.count >= lowerCount && turn(hull[hull.count - 2], hull[hull.count - 1], q) <= 0 { hull.removeLast() }
            hull.append(q)
        }
        hull.removeLast() // the first point again
        return hull
    }

    /// Eigenvalues, ascending, of the population covariance of the physical coordinates (z, y, x) of the ROI
    /// voxels, as shape.py: coordinates × spacing, centred, divided by √N, then XᵀX. Values in (-1e-10, 0) are
    /// set to 0 as PyRadiomics does.
    static func principalMoments(_ roi: PyRadiomicsROI) -> [Double] {
        let (nx, ny, nz) = (roi.size.x, roi.size.y, roi.size.z)
        var count = 0, sumK = 0, sumJ = 0, sumI = 0
        roi.mask.withUnsafeBufferPointer { m in
            for k in 0..<nz {
                for j in 0..<ny {
                    let row = nx * (j + ny * k)
                    for i in 0..<nx where m[row + i] != 0 {
                        count += 1; sumK += k; sumJ += j; sumI += i
                    }
                }
            }
        }
        guard count > 0 else { return [.nan, .nan, .nan] }
        let n = Double(count)
        let s = (z: roi.spacing.z, y: roi.spacing.y, x: roi.spacing.x)
        let mean = (z: Double(sumK) * s.z / n, y: Double(sumJ) * s.y / n, x: Double(sumI) * s.x / n)
        var zz = 0.0, zy = 0.0, zx = 0.0, yy = 0.0, yx = 0.0, xx = 0.0
        roi.mask.withUnsafeBufferPointer { m in
            for k in 0..<nz {
                let dz = Double(k) * s.z - mean.z
                for j in 0..<ny {
                    let dy = Double(j) * s.y - mean.y
                    let row = nx * (j + ny * k)
                    for i in 0..<nx where m[row + i] != 0 {
                        let dx = Double(i) * s.x - mean.x
                        zz += dz * dz; zy += dz * dy; zx += dz * dx
                        yy += dy * dy; yx += dy * dx; xx += dx * dx
                    }
                }
            }
        }
        let covariance = [zz, zy, zx, zy, yy, yx, zx, yx, xx].map { $0 / n }
        return cleanedEigenvalues(covariance, size: 3)
    }

    /// The same for 2D pixel coordinates (a0, a1) (shape2D.py), `mask` stored a1 fastest.
    static func principalMoments2D(mask: [UInt8], n0: Int, n1: Int, spacing s: (Double, Double)) -> [Double] {
        var count = 0, sum0 = 0, sum1 = 0
        for a0 in 0..<n0 { for a1 in 0..<n1 where mask[a0 * n1 + a1] != 0 { count += 1; sum0 += a0; sum1 += a1 } }
        guard count > 0 else { return [.nan, .nan] }
        let n = Double(count)
        let mean0 = Double(sum0) * s.0 / n, mean1 = Double(sum1) * s.1 / n
        var c00 = 0.0, c01 = 0.0, c11 = 0.0
        for a0 in 0..<n0 {
            let d0 = Double(a0) * s.0 - mean0
            for a1 in 0..<n1 where mask[a0 * n1 + a1] != 0 {
                let d1 = Double(a1) * s.1 - mean1
                c00 += d0 * d0; c01 += d0 * d1; c11 += d1 * d1
            }
        }
        return cleanedEigenvalues([c00 / n, c01 / n, c01 / n, c11 / n], size: 2)
    }

    /// Ascending eigenvalues with PyRadiomics' rounding of tiny negative ones (-1e-10 < λ < 0) to 0.
    static func cleanedEigenvalues(_ matrix: [Double], size: Int) -> [Double] {
        symmetricEigenvalues(matrix, size: size).map { $0 < 0 && $0 > -1e-10 ? 0 : $0 }.sorted()
    }

    /// Eigenvalues of a small symmetric matrix (row-major) by cyclic Jacobi rotations: accurate to rounding
    /// relative to the matrix norm, as LAPACK's (numpy.linalg.eigvals) are.
    static func symmetricEigenvalues(_ matrix: [Double], size n: Int) -> [Double] {
        var a = matrix
        for _ in 0..<64 {
            var off = 0.0, norm = 0.0
            for p in 0..<n {
                for q in 0..<n {
                    norm += a[p * n + q] * a[p * n + q]
                    if p != q { off += a[p * n + q] * a[p * n + q] }
                }
            }
            if off == 0 || off <= 1e-36 * norm { break }
            for p in 0..<(n - 1) {
                for q in (p + 1)..<n where a[p * n + q] != 0 {
                    let apq = a[p * n + q]
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n { // rotate columns p and q
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n { // rotate rows p and q
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    a[p * n + q] = 0
                    a[q * n + p] = 0
                }
            }
        }
        return (0..<n).map { a[$0 * n + $0] }
    }
}
