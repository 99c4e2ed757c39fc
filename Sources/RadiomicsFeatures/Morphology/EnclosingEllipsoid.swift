import Foundation

/// Small dense linear algebra for the shape features: symmetric 3x3 eigen-decomposition (Jacobi).
enum SymmetricEigen {
    /// Eigenvalues (descending) and unit eigenvectors (matching order) of a symmetric 3x3 matrix given as
    /// rows `m[r][c]`.
    static func decompose(_ m: [[Double]]) -> (values: [Double], vectors: [SIMD3<Double>]) {
        var a = m
        var v: [[Double]] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
        for _ in 0..<100 {
            let off = a[0][1] * a[0][1] + a[0][2] * a[0][2] + a[1][2] * a[1][2]
            let scale = a[0][0] * a[0][0] + a[1][1] * a[1][1] + a[2][2] * a[2][2]
            if off <= 1e-30 * max(scale, 1e-300) { break }
            for (p, q) in [(0, 1), (0, 2), (1, 2)] where a[p][q] != 0 {
                let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0..<3 {
                    let akp = a[k][p], akq = a[k][q]
                    a[k][p] = c * akp - s * akq
                    a[k][q] = s * akp + c * akq
                }
                for k in 0..<3 {
                    let apk = a[p][k], aqk = a[q][k]
                    a[p][k] = c * apk - s * aqk
                    a[q][k] = s * apk + c * aqk
                }
                for k in 0..<3 {
                    let vkp = v[k][p], vkq = v[k][q]
                    v[k][p] = c * vkp - s * vkq
                    v[k][q] = s * vkp + c * vkq
                }
            }
        }
        let order = [0, 1, 2].sorted { a[$0][$0] > a[$1][$1] }
        return (order.map { a[$0][$0] }, order.map { SIMD3(v[0][$0], v[1][$0], v[2][$0]) })
    }
}

/// Ellipsoids: IBSI's surface-area series and Khachiyan's minimum-volume enclosing ellipsoid.
enum Ellipsoid {
    /// Volume 4/3 pi a b c of an ellipsoid with semi-axes a, b, c.
    static func volume(_ a: Double, _ b: Double, _ c: Double) -> Double { 4 * Double.pi / 3 * a * b * c }

    /// Surface area of an ellipsoid with semi-axes a >= b >= c, by the series IBSI uses (3.1.19):
    /// A = 4 pi a b sum_{nu=0}^{20} (alpha beta)^nu / (1 - 4 nu^2) P_nu((alpha^2 + beta^2) / (2 alpha beta)),
    /// alpha = sqrt(1 - b^2/a^2), beta = sqrt(1 - c^2/a^2), P_nu the Legendre polynomials. The terms
    /// Q_nu = (alpha beta)^nu P_nu(s / t) (t = alpha beta, s = (alpha^2 + beta^2) / 2) follow Bonnet's recurrence
    /// (nu + 1) Q_{nu+1} = (2 nu + 1) s Q_nu - nu t^2 Q_{nu-1}, which stays finite when alpha beta = 0.
    ///
    /// The truncated series is an approximation (about 20 % low for a 2:1 prolate spheroid) but it is what
    /// the IBSI reference values were computed with. As in MIRP, spheres and spheroids (two equal semi-axes)
    /// use the exact closed forms instead.
    static func surfaceArea(_ a0: Double, _ b0: Double, _ c0: Double) -> Double {
        let s3 = [a0, b0, c0].sorted(by: >)
        let a = s3[0], b = s3[1], c = s3[2]
        guard a > 0 else { return 0 }
        if a == c { return 4 * Double.pi * a * a }
        if b == c {
            // Prolate spheroid.
            let e = (1 - c * c / (a * a)).squareRoot()
            return 2 * Double.pi * c * c * (1 + a * asin(e) / (c * e))
        }
        if a == b {
            // Oblate spheroid.
            let e = (1 - c * c / (a * a)).squareRoot()
            return 2 * Double.pi * a * a * (1 + (1 - e * e) / e * atanh(e))
        }
        let alpha = max(0, 1 - b * b / (a * a)).squareRoot(), beta = max(0, 1 - c * c / (a * a)).squareRoot()
        let t = alpha * beta, s = (alpha * alpha + beta * beta) / 2
        var qPrev = 1.0, q = s
        var sum = 1.0 + q / (1 - 4)
        for nu in 1..<20 {
            let nuD = Double(nu)
            let qNext = ((2 * nuD + 1) * s * q - nuD * t * t * qPrev) / (nuD + 1)
            qPrev = q; q = qNext
            let n1 = nuD + 1
            sum += q / (1 - 4 * n1 * n1)
        }
        return 4 * Double.pi * a * b * sum
    }

    /// Semi-axes (descending) of the minimum-volume ellipsoid enclosing `points`: Khachiyan's barycentric
    /// coordinate ascent with Todd & Yildirim's away steps (weights of points that do not touch the ellipsoid
    /// are driven to zero, which makes convergence linear instead of sublinear). Stops when every point lies
    /// within the ellipsoid grown by the factor (1 + tolerance) (and no weight is wasted on interior points),
    /// so the volume is within about 1.5 x tolerance of the optimum.
    ///
    /// The ascent runs on a working set: the extreme points along 13 directions, then, round by round, the
    /// points the current ellipsoid leaves outside. The ellipsoid of a subset that encloses every point is the
    /// ellipsoid of all of them, and a convex hull of thousands of vertices is touched by a few dozen, so this
    /// costs a few small ascents and one pass over all points per round instead of an ascent over all of them.
    static func minimumVolumeEnclosing(_ points: [SIMD3<Double>], tolerance: Double = 1e-7,
                                       maxIterations: Int = 200_000) -> [Double]? {
        let n = points.count
        guard n >= 4 else { return nil }
        // Centre for conditioning; lifted points q = (p, 1).
        var mean = SIMD3<Double>.zero
        for p in points { mean += p }
        mean /= Double(n)
        let q = points.map { SIMD4<Double>($0.x - mean.x, $0.y - mean.y, $0.z - mean.z, 1) }
        let d = 3.0
        var working: [Int] = []
        if n > 64 {
            var chosen = Set<Int>()
            for dx in -1...1 { for dy in -1...1 { for dz in -1...1 where dx != 0 || dy != 0 || dz != 0 {
                let dir = SIMD4<Double>(Double(dx), Double(dy), Double(dz), 0)
                var best = 0
                for i in 1..<n where (q[i] * dir).sum() > (q[best] * dir).sum() { best = i }
                chosen.insert(best)
            } } }
            working = chosen.sorted()
        }
        for _ in 0..<100 where working.count >= 5 && working.count < n {
            guard let (u, rows) = khachiyan(working.map { q[$0] }, tolerance: tolerance, maxIterations: maxIterations)
            else { break }
            // Points outside the grown ellipsoid: m_i = q_i^T X^-1 q_i > (1 + tolerance)(d + 1).
            var outside: [(m: Double, i: Int)] = []
            for i in 0..<n {
                let v = q[i]
                let mi = (v * SIMD4((rows[0] * v).sum(), (rows[1] * v).sum(), (rows[2] * v).sum(), (rows[3] * v).sum())).sum()
                if mi > (1 + tolerance) * (d + 1) { outside.append((mi, i)) }
            }
            if outside.isEmpty { return semiAxes(working.map { q[$0] }, weights: u) }
            let keep = Set(working.indices.filter { u[$0] > 0 }.map { working[$0] })
            let worst = outside.sorted { $0.m > $1.m }.prefix(max(16, working.count / 2)).map(\.i)
            working = Array(keep.union(worst)).sorted()
        }
        guard let (u, _) = khachiyan(q, tolerance: tolerance, maxIterations: maxIterations) else { return nil }
        return semiAxes(q, weights: u)
    }

    /// Khachiyan's ascent with away steps on lifted points q = (p, 1): the weights, and the rows of X^-1 for
    /// X = sum u_i q_i q_i^T. Nil when X becomes singular.
    static func khachiyan(_ q: [SIMD4<Double>], tolerance: Double, maxIterations: Int) -> (u: [Double], rows: [SIMD4<Double>])? {
        let n = q.count
        // Weights u, and m_i = q_i^T M q_i for M = X^-1, X = sum u_i q_i q_i^T. Every step changes X by a rank-one
        // term (X <- (1 - b) X + b q_j q_j^T), so M and all m_i follow by Sherman-Morrison in O(n), a handful of
        // operations per point, in the same pass that finds the next step's points; they are recomputed from
        // the weights every `refresh` steps against drift.
        let u = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        let m = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        let qs = UnsafeMutableBufferPointer<SIMD4<Double>>.allocate(capacity: n)
        defer { u.deallocate(); m.deallocate(); qs.deallocate() }
        _ = u.initialize(from: repeatElement(1 / Double(n), count: n))
        _ = m.initialize(from: repeatElement(0, count: n))
        _ = qs.initialize(from: q)
        let d = 3.0
        var rows = [SIMD4<Double>](repeating: .zero, count: 4)
        var jUp = 0, jDown = -1
        var mUp = -Double.infinity, mDown = Double.infinity
        func recompute() -> Bool {
            var c0 = SIMD4<Double>.zero, c1 = SIMD4<Double>.zero, c2 = SIMD4<Double>.zero, c3 = SIMD4<Double>.zero
            for i in 0..<n {
                let w = u[i] * qs[i]
                c0 += w * qs[i].x; c1 += w * qs[i].y; c2 += w * qs[i].z; c3 += w
            }
            guard let xi = invert4([c0.x, c1.x, c2.x, c3.x, c0.y, c1.y, c2.y, c3.y,
                                    c0.z, c1.z, c2.z, c3.z, c0.w, c1.w, c2.w, c3.w]) else { return false }
            rows = [SIMD4(xi[0], xi[1], xi[2], xi[3]), SIMD4(xi[4], xi[5], xi[6], xi[7]),
                    SIMD4(xi[8], xi[9], xi[10], xi[11]), SIMD4(xi[12], xi[13], xi[14], xi[15])]
            let (r0, r1, r2, r3) = (rows[0], rows[1], rows[2], rows[3])
            jUp = 0; jDown = -1; mUp = -.infinity; mDown = .infinity
            for i in 0..<n {
                let v = qs[i]
                let mi = (v * SIMD4((r0 * v).sum(), (r1 * v).sum(), (r2 * v).sum(), (r3 * v).sum())).sum()
                m[i] = mi
                if mi > mUp { mUp = mi; jUp = i }
                if u[i] > 0 && mi < mDown { mDown = mi; jDown = i }
            }
            return true
        }
        let refresh = 500
        guard recompute() else { return nil }
        for iteration in 1...maxIterations {
            let epsUp = mUp / (d + 1) - 1
            let epsDown = jDown >= 0 ? 1 - mDown / (d + 1) : 0
            if epsUp <= tolerance && epsDown <= tolerance { break }
            let j: Int, step: Double
            if epsUp > epsDown {
                j = jUp
                step = (mUp - d - 1) / ((d + 1) * (mUp - 1))
            } else {
                // Away step: move weight off the point deepest inside, at most all of it.
                j = jDown
                let uj = u[j]
                step = max((mDown - d - 1) / ((d + 1) * (mDown - 1)), -uj / (1 - uj))
            }
            let keep = 1 - step
            for i in 0..<n { u[i] *= keep }
            u[j] += step
            if u[j] < 1e-300 { u[j] = 0 }
            if iteration % refresh == 0 {
                guard recompute() else { return nil }
                continue
            }
            // X' = (1 - b)(X + r q_j q_j^T) with r = b / (1 - b): M' = (M - c y y^T) / (1 - b), y = M q_j,
            // c = r / (1 + r m_j); m_i' = (m_i - c (q_i . y)^2) / (1 - b).
            let qj = qs[j]
            let y = SIMD4((rows[0] * qj).sum(), (rows[1] * qj).sum(), (rows[2] * qj).sum(), (rows[3] * qj).sum())
            let r = step / keep
            let c = r / (1 + r * m[j])
            let scale = 1 / keep
            for k in 0..<4 { rows[k] = (rows[k] - c * y[k] * y) * scale }
            jUp = 0; jDown = -1; mUp = -.infinity; mDown = .infinity
            for i in 0..<n {
                let t = (qs[i] * y).sum()
                let mi = (m[i] - c * t * t) * scale
                m[i] = mi
                if mi > mUp { mUp = mi; jUp = i }
                if u[i] > 0 && mi < mDown { mDown = mi; jDown = i }
            }
        }
        return (Array(u), rows)
    }

    /// Semi-axes of the ellipsoid that weights u on lifted points q define.
    static func semiAxes(_ q: [SIMD4<Double>], weights u: [Double]) -> [Double] {
        let n = q.count, d = 3.0
        // Centre c = sum u_i p_i, shape A = (sum u_i p_i p_i^T - c c^T)^-1 / d; the semi-axes 1 / sqrt(eig(A))
        // are sqrt(d eig(S)) for S = sum u_i p_i p_i^T - c c^T.
        var c = SIMD3<Double>.zero
        for i in 0..<n { c += u[i] * SIMD3(q[i].x, q[i].y, q[i].z) }
        var s = [[Double]](repeating: [0, 0, 0], count: 3)
        for i in 0..<n where u[i] > 0 {
            let p = SIMD3(q[i].x, q[i].y, q[i].z)
            for r in 0..<3 { for col in 0..<3 { s[r][col] += u[i] * p[r] * p[col] } }
        }
        for r in 0..<3 { for col in 0..<3 { s[r][col] -= c[r] * c[col] } }
        let e = SymmetricEigen.decompose(s)
        return e.values.map { (d * max($0, 0)).squareRoot() }
    }

    /// Inverse of a 4x4 row-major matrix by Gauss-Jordan elimination with partial pivoting.
    static func invert4(_ m: [Double]) -> [Double]? {
        var a = m
        var inv = [Double](repeating: 0, count: 16)
        for i in 0..<4 { inv[5 * i] = 1 }
        for col in 0..<4 {
            var piv = col
            for r in col..<4 where abs(a[4 * r + col]) > abs(a[4 * piv + col]) { piv = r }
            guard abs(a[4 * piv + col]) > 1e-300 else { return nil }
            if piv != col {
                for k in 0..<4 { a.swapAt(4 * piv + k, 4 * col + k); inv.swapAt(4 * piv + k, 4 * col + k) }
            }
            let f = 1 / a[4 * col + col]
            for k in 0..<4 { a[4 * col + k] *= f; inv[4 * col + k] *= f }
            for r in 0..<4 where r != col {
                let g = a[4 * r + col]
                if g != 0 {
                    for k in 0..<4 { a[4 * r + k] -= g * a[4 * col + k]; inv[4 * r + k] -= g * inv[4 * col + k] }
                }
            }
        }
        return inv
    }
}

/// Minimum-volume oriented bounding box of a point set (IBSI "oriented minimum bounding box", ZH1A).
///
/// Chan & Tan's iterative scheme (as in MIRP): starting from a few frames (the principal axes and the image
/// axes), keep one axis fixed, replace the other two by the minimum-area rectangle of the points projected
/// on the plane (rotating calipers over the 2D hull's edges), cycle through the axes until the volume stops
/// shrinking, and keep the best box. This is a heuristic; IBSI gives no reference values for OMBB features.
enum OrientedBoundingBox {
    /// Edge lengths (descending) of the box.
    static func minimumVolumeBox(_ points: [SIMD3<Double>], startFrames: [[SIMD3<Double>]]) -> [Double] {
        guard points.count >= 4 else { return [0, 0, 0] }
        var bestVolume = Double.infinity
        var bestEdges = [0.0, 0.0, 0.0]
        for start in startFrames {
            var frame = start
            var edges = extents(points, frame)
            var volume = edges[0] * edges[1] * edges[2]
            var improved = true
            var rounds = 0
            while improved && rounds < 20 {
                improved = false
                rounds += 1
                for a in 0..<3 {
                    let u = frame[(a + 1) % 3], v = frame[(a + 2) % 3]
                    let pts2 = points.map { SIMD2(dotD($0, u), dotD($0, v)) }
                    let (angleDir, _) = minimumAreaRectangle(pts2)
                    let nu = u * angleDir.x + v * angleDir.y
                    let nv = crossD(frame[a], nu)
                    var candidate = frame
                    candidate[(a + 1) % 3] = nu
                    candidate[(a + 2) % 3] = nv
                    let e = extents(points, candidate)
                    let vol = e[0] * e[1] * e[2]
                    if vol < volume * (1 - 1e-9) {
                        volume = vol; edges = e; frame = candidate; improved = true
                    }
                }
            }
            if volume < bestVolume { bestVolume = volume; bestEdges = edges }
        }
        return bestEdges.sorted(by: >)
    }

    static func extents(_ points: [SIMD3<Double>], _ frame: [SIMD3<Double>]) -> [Double] {
        (0..<3).map { a in
            var lo = Double.infinity, hi = -Double.infinity
            for p in points { let t = dotD(p, frame[a]); lo = min(lo, t); hi = max(hi, t) }
            return hi - lo
        }
    }

    /// Direction (unit 2D vector) of one side of the minimum-area rectangle enclosing `pts`, and its area.
    static func minimumAreaRectangle(_ pts: [SIMD2<Double>]) -> (SIMD2<Double>, Double) {
        let hull = convexHull2D(pts)
        guard hull.count >= 3 else { return (SIMD2(1, 0), 0) }
        var best = Double.infinity
        var bestDir = SIMD2<Double>(1, 0)
        for i in 0..<hull.count {
            let e = hull[(i + 1) % hull.count] - hull[i]
            let len = (e * e).sum().squareRoot()
            guard len > 0 else { continue }
            let d = e / len, nrm = SIMD2(-d.y, d.x)
            var lo0 = Double.infinity, hi0 = -Double.infinity, lo1 = Double.infinity, hi1 = -Double.infinity
            for p in hull {
                let s = (p * d).sum(), t = (p * nrm).sum()
                lo0 = min(lo0, s); hi0 = max(hi0, s); lo1 = min(lo1, t); hi1 = max(hi1, t)
            }
            let area = (hi0 - lo0) * (hi1 - lo1)
            if area < best { best = area; bestDir = d }
        }
        return (bestDir, best)
    }

    /// Andrew's monotone chain.
    static func convexHull2D(_ input: [SIMD2<Double>]) -> [SIMD2<Double>] {
        let p = input.sorted { $0.x != $1.x ? $0.x < $1.x : $0.y < $1.y }
        guard p.count >= 3 else { return p }
        func turn(_ o: SIMD2<Double>, _ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double {
            (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
        }
        var h: [SIMD2<Double>] = []
        for q in p {
            while h.count >= 2 && turn(h[h.count - 2], h[h.count - 1], q) <= 0 { h.removeLast() }
            h.append(q)
        }
        let lowerCount = h.count + 1
        for q in p.reversed().dropFirst() {
            while h.count >= lowerCount && turn(h[h.count - 2], h[h.count - 1], q) <= 0 { h.removeLast() }
            h.append(q)
        }
        h.removeLast()
        return h
    }
}
