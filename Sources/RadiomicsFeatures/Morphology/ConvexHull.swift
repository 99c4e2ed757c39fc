/// 3D convex hull (quickhull) of integer lattice points, with exact Int64 predicates.
///
/// Marching-cubes vertices are many, coplanar and collinear in bulk, which breaks floating-point hulls. Mesh
/// vertices lie on a (doubled) integer lattice and an axis scaling maps hulls to hulls, so the hull is
/// computed on the lattice exactly (a point is outside a face only when strictly so; coplanar points are
/// dropped) and scaled to millimetres afterwards.
struct ConvexHull {
    /// Indices (into the input points) of the hull's vertices.
    var vertexIndices: [Int]
    /// Triangles, three point indices each, counter-clockwise seen from outside.
    var triangles: [Int]

    /// Hull of `points`. Empty when the points are coplanar.
    init(points: [SIMD3<Int64>]) {
        vertexIndices = []
        triangles = []
        let n = points.count
        guard n >= 4 else { return }

        // Initial tetrahedron: two extreme points, the farthest from their line, the farthest from that plane.
        var lo = 0, hi = 0
        var best: Int64 = -1
        for axis in 0..<3 {
            var iMin = 0, iMax = 0
            for i in 0..<n {
                if points[i][axis] < points[iMin][axis] { iMin = i }
                if points[i][axis] > points[iMax][axis] { iMax = i }
            }
            let d = points[iMax] &- points[iMin]
            let d2 = (d &* d).wrappedSum()
            if d2 > best { best = d2; lo = iMin; hi = iMax }
        }
        guard best > 0 else { return }
        var third = -1
        best = 0
        for i in 0..<n {
            let c = Self.cross(points[hi] &- points[lo], points[i] &- points[lo])
            let c2 = (c &* c).wrappedSum()
            if c2 > best { best = c2; third = i }
        }
        guard third >= 0 else { return }
        var fourth = -1
        best = 0
        let nrm = Self.cross(points[hi] &- points[lo], points[third] &- points[lo])
        for i in 0..<n {
            let o = abs((nrm &* (points[i] &- points[lo])).wrappedSum())
            if o > best { best = o; fourth = i }
        }
        guard fourth >= 0 else { return }

        var builder = Builder(points: points)
        builder.start(lo, hi, third, fourth)
        builder.run()
        (vertexIndices, triangles) = builder.result()
    }

    @inline(__always) static func cross(_ a: SIMD3<Int64>, _ b: SIMD3<Int64>) -> SIMD3<Int64> {
        SIMD3(a.y &* b.z &- a.z &* b.y, a.z &* b.x &- a.x &* b.z, a.x &* b.y &- a.y &* b.x)
    }

    private struct Face {
        var v: (Int, Int, Int)
        /// Neighbour across edge (v.0, v.1), (v.1, v.2), (v.2, v.0).
        var nb: (Int, Int, Int) = (-1, -1, -1)
        var normal: SIMD3<Int64>
        var offset: Int64
        var alive = true
        var outside: [Int32] = []

        init(_ a: Int, _ b: Int, _ c: Int, _ p: [SIMD3<Int64>]) {
            v = (a, b, c)
            normal = ConvexHull.cross(p[b] &- p[a], p[c] &- p[a])
            offset = (normal &* p[a]).wrappedSum()
        }

        @inline(__always) func height(_ q: SIMD3<Int64>) -> Int64 { (normal &* q).wrappedSum() &- offset }
        func vertex(_ i: Int) -> Int { i == 0 ? v.0 : (i == 1 ? v.1 : v.2) }
        func neighbour(_ i: Int) -> Int { i == 0 ? nb.0 : (i == 1 ? nb.1 : nb.2) }
        mutating func setNeighbour(_ i: Int, _ f: Int) {
            if i == 0 { nb.0 = f } else if i == 1 { nb.1 = f } else { nb.2 = f }
        }
        /// Index of the edge that starts at vertex a.
        func edge(from a: Int) -> Int { a == v.0 ? 0 : (a == v.1 ? 1 : 2) }
    }

    private struct Builder {
        let points: [SIMD3<Int64>]
        var faces: [Face] = []
        var pending: [Int] = []
        var stamp: [Int] = []
        var visibleFlag: [Bool] = []
        var round = 0
        /// Scratch: new face whose horizon edge starts at a vertex (indexed by point).
        var newFaceFrom: [Int]

        init(points: [SIMD3<Int64>]) {
            self.points = points
            newFaceFrom = [Int](repeating: -1, count: points.count)
        }

        mutating func addFace(_ a: Int, _ b: Int, _ c: Int) -> Int {
            faces.append(Face(a, b, c, points))
            stamp.append(0)
            visibleFlag.append(false)
            return faces.count - 1
        }

        mutating func start(_ a: Int, _ b: Int, _ c: Int, _ d: Int) {
            // Orient so that d is behind face (a, b, c).
            var (a, b) = (a, b)
            if Face(a, b, c, points).height(points[d]) > 0 { swap(&a, &b) }
            let f0 = addFace(a, b, c), f1 = addFace(a, d, b), f2 = addFace(b, d, c), f3 = addFace(c, d, a)
            let all = [f0, f1, f2, f3]
            // Link neighbours by matching reversed edges.
            for f in all {
                for i in 0..<3 {
                    let p = faces[f].vertex(i), q = faces[f].vertex((i + 1) % 3)
                    for g in all where g != f {
                        for j in 0..<3 where faces[g].vertex(j) == q && faces[g].vertex((j + 1) % 3) == p {
                            faces[f].setNeighbour(i, g)
                        }
                    }
                }
            }
            for i in 0..<points.count where i != a && i != b && i != c && i != d {
                for f in all where faces[f].height(points[i]) > 0 {
                    faces[f].outside.append(Int32(i))
                    break
                }
            }
            for f in all where !faces[f].outside.isEmpty { pending.append(f) }
        }

        mutating func run() {
            var visible: [Int] = []
            var horizon: [(a: Int, b: Int, behind: Int)] = []
            var stack: [Int] = []
            while let f = pending.popLast() {
                guard faces[f].alive, !faces[f].outside.isEmpty else { continue }
                // Farthest outside point (largest height over |normal|, same face so compare heights).
                var apex = -1
                var top: Int64 = 0
                for q in faces[f].outside {
                    let h = faces[f].height(points[Int(q)])
                    if h > top { top = h; apex = Int(q) }
                }
                let pa = points[apex]
                round += 1
                visible.removeAll(keepingCapacity: true)
                horizon.removeAll(keepingCapacity: true)
                stack.removeAll(keepingCapacity: true)
                stamp[f] = round
                visibleFlag[f] = true
                stack.append(f)
                while let g = stack.popLast() {
                    visible.append(g)
                    for i in 0..<3 {
                        let h = faces[g].neighbour(i)
                        if stamp[h] != round {
                            stamp[h] = round
                            visibleFlag[h] = faces[h].height(pa) > 0
                            if visibleFlag[h] { stack.append(h) }
                        }
                        if !visibleFlag[h] {
                            horizon.append((faces[g].vertex(i), faces[g].vertex((i + 1) % 3), h))
                        }
                    }
                }
                // New faces (edge.a, edge.b, apex), linked to each other through the shared apex edges.
                var created: [Int] = []
                created.reserveCapacity(horizon.count)
                for e in horizon {
                    let nf = addFace(e.a, e.b, apex)
                    faces[nf].setNeighbour(0, e.behind)
                    let j = faces[e.behind].edge(from: e.b)
                    faces[e.behind].setNeighbour(j, nf)
                    newFaceFrom[e.a] = nf
                    created.append(nf)
                }
                for nf in created {
                    let b = faces[nf].v.1, a = faces[nf].v.0
                    // Edge (b, apex) borders the new face starting at b; edge (apex, a) the one ending at a.
                    faces[nf].setNeighbour(1, newFaceFrom[b])
                    faces[newFaceFrom[b]].setNeighbour(2, nf)
                    _ = a
                }
                for e in horizon { newFaceFrom[e.a] = -1 }
                // Hand the visible faces' outside points to the new faces.
                for g in visible {
                    faces[g].alive = false
                    let pts = faces[g].outside
                    faces[g].outside = []
                    for q in pts where Int(q) != apex {
                        let pq = points[Int(q)]
                        for nf in created where faces[nf].height(pq) > 0 {
                            faces[nf].outside.append(q)
                            break
                        }
                    }
                }
                for nf in created where !faces[nf].outside.isEmpty { pending.append(nf) }
            }
        }

        func result() -> ([Int], [Int]) {
            var tris: [Int] = []
            var isVertex = [Bool](repeating: false, count: points.count)
            for f in faces where f.alive {
                tris += [f.v.0, f.v.1, f.v.2]
                isVertex[f.v.0] = true; isVertex[f.v.1] = true; isVertex[f.v.2] = true
            }
            return ((0..<points.count).filter { isVertex[$0] }, tris)
        }
    }
}

extension ConvexHull {
    /// Hull of a marching-cubes mesh. Points strictly inside a segment of mesh vertices along a lattice line
    /// cannot be hull vertices, so only the two extreme vertices of each x-, y- and z-line are kept first.
    static func ofMesh(_ mesh: SurfaceMesh) -> (hull: ConvexHull, points: [SIMD3<Double>]) {
        let lat = mesh.lattice
        guard !lat.isEmpty else { return (ConvexHull(points: []), []) }
        var maxL = SIMD3<Int32>(repeating: 0)
        for l in lat { maxL = pointwiseMax(maxL, l) }
        let dim = SIMD3<Int>(Int(maxL.x) + 1, Int(maxL.y) + 1, Int(maxL.z) + 1)
        // For the line along axis a through (u, v): min and max coordinate along a.
        var keep = [Bool](repeating: true, count: lat.count)
        for a in 0..<3 {
            let u = (a + 1) % 3, v = (a + 2) % 3
            let count = dim[u] * dim[v]
            var lineMin = [Int32](repeating: .max, count: count)
            var lineMax = [Int32](repeating: .min, count: count)
            for l in lat {
                let key = Int(l[u]) + dim[u] * Int(l[v])
                lineMin[key] = min(lineMin[key], l[a])
                lineMax[key] = max(lineMax[key], l[a])
            }
            for (i, l) in lat.enumerated() where keep[i] {
                let key = Int(l[u]) + dim[u] * Int(l[v])
                if l[a] != lineMin[key] && l[a] != lineMax[key] { keep[i] = false }
            }
        }
        var candidates: [SIMD3<Int64>] = []
        var physical: [SIMD3<Double>] = []
        for i in 0..<lat.count where keep[i] {
            let l = lat[i]
            candidates.append(SIMD3(Int64(l.x), Int64(l.y), Int64(l.z)))
            physical.append(mesh.vertices[i])
        }
        return (ConvexHull(points: candidates), physical)
    }

    /// Volume and area of the hull with vertices `points` (mm).
    func volumeAndArea(_ points: [SIMD3<Double>]) -> (volume: Double, area: Double) {
        guard !triangles.isEmpty else { return (0, 0) }
        let c = points[triangles[0]]
        var v = 0.0, a = 0.0
        var f = 0
        while f < triangles.count {
            let p0 = points[triangles[f]] - c, p1 = points[triangles[f + 1]] - c, p2 = points[triangles[f + 2]] - c
            v += dotD(p0, crossD(p1, p2))
            a += lengthD(crossD(p1 - p0, p2 - p0))
            f += 3
        }
        return (v / 6, a / 2)
    }
}
