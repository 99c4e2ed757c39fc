import Foundation
import RadiomicsCore
@testable import RadiomicsFeatures
import Testing

@Suite(.enabled(if: DigitalPhantom.available, DigitalPhantom.skipReason))
struct MorphologyDigitalPhantomTests {
    @Test func morphologyMatchesIBSI() throws {
        let (roi, _) = try DigitalPhantom.load()
        let features = Morphology.compute(roi)
        expectWithinTolerance(features, prefixes: ["morph_"], reference: try DigitalPhantom.reference())
    }

    @Test func localIntensityMatchesIBSI() throws {
        let (roi, _) = try DigitalPhantom.load()
        let features = LocalIntensity.compute(roi)
        expectWithinTolerance(features, prefixes: ["loc_"], reference: try DigitalPhantom.reference())
    }

    @Test func everyTagIsComputedOnce() throws {
        let (roi, _) = try DigitalPhantom.load()
        let tags = Morphology.compute(roi).map(\.tag)
        #expect(Set(tags).count == tags.count)
        #expect(tags.count == 29)
        #expect(Morphology.compute(roi).allSatisfy { $0.value.isFinite })
    }
}

/// Analytic shapes: voxelised spheres, boxes, single voxels.
struct MorphologyShapeTests {
    /// A ROI of the voxels whose centres satisfy `inside`, on an n^3 grid of the given spacing.
    static func roi(n: SIMD3<Int>, spacing: SIMD3<Double>, value: (Int, Int, Int) -> Double = { _, _, _ in 1 },
                    inside: (Int, Int, Int) -> Bool) -> ROIVolume {
        var mask = [UInt8](repeating: 0, count: n.x * n.y * n.z)
        var values = [Double](repeating: 0, count: mask.count)
        for k in 0..<n.z { for j in 0..<n.y { for i in 0..<n.x {
            let idx = i + n.x * (j + n.y * k)
            mask[idx] = inside(i, j, k) ? 1 : 0
            values[idx] = value(i, j, k)
        } } }
        return ROIVolume(geometry: ImageGeometry(size: n, spacing: spacing), intensities: values,
                         intensityMask: mask, morphologicalMask: mask)
    }

    static func sphere(radius r: Double, spacing: SIMD3<Double>) -> ROIVolume {
        let n = SIMD3<Int>(Int(2 * r / spacing.x) + 5, Int(2 * r / spacing.y) + 5, Int(2 * r / spacing.z) + 5)
        let c = SIMD3<Double>(Double(n.x - 1), Double(n.y - 1), Double(n.z - 1)) / 2 * spacing
        return roi(n: n, spacing: spacing, value: { i, j, _ in Double(i + 2 * j) }) { i, j, k in
            let p = SIMD3<Double>(Double(i), Double(j), Double(k)) * spacing - c
            return (p * p).sum() <= r * r
        }
    }

    static func features(_ roi: ROIVolume) -> [String: Double] {
        Dictionary(Morphology.compute(roi).map { ($0.tag, $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func singleVoxelIsAnOctahedron() {
        let r = Self.roi(n: [3, 3, 3], spacing: [1, 1, 1]) { i, j, k in i == 1 && j == 1 && k == 1 }
        let f = Self.features(r)
        // Vertices at the six face centres: octahedron with half-diagonals 0.5, volume 4/3 * 0.5^3.
        #expect(abs(f["morph_volume"]! - 1.0 / 6.0) < 1e-12)
        #expect(abs(f["morph_area_mesh"]! - 8 * (3.0.squareRoot() / 4) * 0.5) < 1e-12)
        #expect(abs(f["morph_diam"]! - 1) < 1e-12)
        #expect(abs(f["morph_vol_dens_conv_hull"]! - 1) < 1e-12)
        #expect(abs(f["morph_vol_approx"]! - 1) < 1e-12)
    }

    @Test func boxVolumeAreaAndDiameter() {
        // 6 x 4 x 3 voxels of 2 x 1 x 3 mm: 12 x 4 x 9 mm.
        let r = Self.roi(n: [10, 8, 7], spacing: [2, 1, 3]) { i, j, k in
            (2..<8).contains(i) && (2..<6).contains(j) && (2..<5).contains(k)
        }
        let f = Self.features(r)
        // Marching cubes chamfers the 12 edges and 8 corners: the mesh volume is the box minus those.
        let (a, b, c) = (12.0, 4.0, 9.0)
        let (ha, hb, hc) = (1.0, 0.5, 1.5)  // half voxels
        #expect(abs(f["morph_vol_approx"]! - a * b * c) < 1e-9)
        #expect(f["morph_volume"]! < a * b * c && f["morph_volume"]! > 0.8 * a * b * c)
        #expect(abs(f["morph_vol_dens_conv_hull"]! - 1) < 1e-9)  // the chamfered box is convex
        #expect(abs(f["morph_area_dens_conv_hull"]! - 1) < 1e-9)
        // Diameter between opposite chamfer corners: at most the box diagonal.
        let diag = (a * a + b * b + c * c).squareRoot()
        #expect(f["morph_diam"]! < diag && f["morph_diam"]! > diag - 2 * (ha + hb + hc))
        // Voxel-centre PCA of a box: variance (n^2 - 1) / 12 * s^2 per axis (population), times N / (N - 1).
        let unbiased = 72.0 / 71.0
        let lx = (36.0 - 1) / 12 * 4 * unbiased, lz = (9.0 - 1) / 12 * 9 * unbiased
        let ly = (16.0 - 1) / 12 * unbiased
        #expect(abs(f["morph_pca_maj_axis"]! - 4 * lx.squareRoot()) < 1e-9)
        #expect(abs(f["morph_pca_least_axis"]! - 4 * ly.squareRoot()) < 1e-9)
        #expect(abs(f["morph_pca_min_axis"]! - 4 * lz.squareRoot()) < 1e-9)
        // The oriented minimum bounding box of an axis-aligned box is the axis-aligned one.
        #expect(abs(f["morph_vol_dens_ombb"]! - f["morph_vol_dens_aabb"]!) < 1e-9)
    }

    @Test func sphereApproachesAnalyticValues() {
        let r = 20.0
        let roi = Self.sphere(radius: r, spacing: [1, 1, 1])
        let f = Self.features(roi)
        let v = 4 / 3 * Double.pi * r * r * r
        #expect(abs(f["morph_volume"]! / v - 1) < 0.01)
        #expect(abs(f["morph_vol_approx"]! / v - 1) < 0.01)
        #expect(abs(f["morph_diam"]! - 2 * r) < 1.5)
        // Mesh area of a voxelised sphere overestimates the smooth area by a few percent.
        let area = 4 * Double.pi * r * r
        #expect(f["morph_area_mesh"]! > area && f["morph_area_mesh"]! < 1.1 * area)
        #expect(f["morph_sphericity"]! > 0.9 && f["morph_sphericity"]! <= 1)
        #expect(abs(f["morph_pca_elongation"]! - 1) < 0.01)
        #expect(abs(f["morph_pca_flatness"]! - 1) < 0.01)
        // MVEE of a sphere is (nearly) the sphere through the outermost vertices.
        #expect(f["morph_vol_dens_mvee"]! > 0.85 && f["morph_vol_dens_mvee"]! < 1)
        #expect(f["morph_vol_dens_conv_hull"]! > 0.95 && f["morph_vol_dens_conv_hull"]! <= 1)
        // Voxel-centre covariance of a ball: r^2 / 5 per axis -> axis 4 r / sqrt(5).
        #expect(abs(f["morph_pca_maj_axis"]! - 4 * r / 5.0.squareRoot()) < 0.3)
    }

    @Test func anisotropicSphereVolume() {
        let r = 15.0
        let roi = Self.sphere(radius: r, spacing: [0.8, 0.8, 2.5])
        let f = Self.features(roi)
        let v = 4 / 3 * Double.pi * r * r * r
        #expect(abs(f["morph_volume"]! / v - 1) < 0.02)
        #expect(abs(f["morph_diam"]! - 2 * r) < 2.5)
    }

    @Test func meshIsClosedAndOutward() {
        // A random blob: every edge shared by exactly two triangles in opposite directions.
        var rng = SplitMix(seed: 7)
        let roi = Self.roi(n: [12, 11, 10], spacing: [1, 1, 1]) { _, _, _ in rng.next() % 3 == 0 }
        let mesh = MarchingCubes.mesh(mask: roi.morphologicalMask, size: roi.size,
                                      box: (.zero, roi.size &- 1), spacing: roi.spacing)
        // Closed: every edge is used as often in one direction as in the other (boundary chain zero).
        var directed: [Int: Int] = [:]
        let t = mesh.triangles.map(Int.init)
        let nv = mesh.vertices.count
        for f in stride(from: 0, to: t.count, by: 3) {
            for e in 0..<3 { directed[t[f + e] * nv + t[f + (e + 1) % 3], default: 0] += 1 }
        }
        #expect(directed.allSatisfy { key, n in directed[(key % nv) * nv + key / nv] == n })
        // The volume does not depend on the origin of the signed tetrahedra.
        let shifted = SurfaceMesh(vertices: mesh.vertices.map { $0 + SIMD3(13, -7, 5) }, lattice: mesh.lattice,
                                  triangles: mesh.triangles)
        #expect(abs(shifted.volumeAndArea().volume - mesh.volumeAndArea().volume) < 1e-9)
        let count = roi.morphologicalMask.reduce(0) { $0 + Int($1) }
        let volume = mesh.volumeAndArea().volume
        #expect(volume > 0 && volume < Double(count))
    }

    @Test func moranAndGearyFFTMatchDirectSums() {
        var rng = SplitMix(seed: 3)
        let n = SIMD3<Int>(14, 12, 9)
        let roi = Self.roi(n: n, spacing: [0.9, 1.1, 2.5], value: { _, _, _ in Double(rng.next() % 100) }) {
            i, j, k in (i - 7) * (i - 7) + (j - 6) * (j - 6) + (k - 4) * (k - 4) * 3 < 40
        }
        let values = roi.intensities, mask = roi.intensityMask
        let mean = zip(values, mask).filter { $0.1 != 0 }.map(\.0).reduce(0, +)
            / Double(mask.filter { $0 != 0 }.count)
        let d = SpatialAutocorrelation.direct(values: values, mask: mask, size: n, spacing: roi.spacing, mean: mean)
        var lo = n, hi = SIMD3<Int>(repeating: -1)
        for k in 0..<n.z { for j in 0..<n.y { for i in 0..<n.x where mask[i + n.x * (j + n.y * k)] != 0 {
            lo = pointwiseMin(lo, SIMD3(i, j, k)); hi = pointwiseMax(hi, SIMD3(i, j, k))
        } } }
        let c = SpatialAutocorrelation.convolved(values: values, mask: mask, size: n, spacing: roi.spacing,
                                                 mean: mean, lo: lo, hi: hi)
        #expect(abs(c.s0 / d.s0 - 1) < 1e-10)
        #expect(abs(c.cross - d.cross) < 1e-9 * abs(d.squaredDiff))
        #expect(abs(c.squaredDiff / d.squaredDiff - 1) < 1e-10)
    }

    @Test func ellipsoidSurfaceArea() {
        // Sphere: 4 pi r^2.
        #expect(abs(Ellipsoid.surfaceArea(3, 3, 3) - 4 * Double.pi * 9) < 1e-9)
        // Prolate spheroid a = 2, b = c = 1: 2 pi b^2 (1 + a / (b e) asin e), e = sqrt(1 - b^2/a^2).
        let e = (1 - 0.25).squareRoot()
        let prolate = 2 * Double.pi * (1 + 2 / e * asin(e))
        #expect(abs(Ellipsoid.surfaceArea(2, 1, 1) / prolate - 1) < 1e-12)
        // Triaxial: IBSI's truncated Legendre series, close to the exact area for mild eccentricity
        // (semi-axes 3, 2.9, 2.8: exact 105.666 by numerical integration; MIRP's numpy series 105.708).
        #expect(abs(Ellipsoid.surfaceArea(3, 2.9, 2.8) - 105.70831103) < 1e-6)
    }

    @Test func minimumVolumeEnclosingEllipsoid() {
        // The vertices of a box a x b x c: the MVEE is the ellipsoid with semi-axes sqrt(3) x half-edges.
        var pts: [SIMD3<Double>] = []
        for c in 0..<8 { pts.append(SIMD3(c & 1 == 0 ? -3 : 3, c & 2 == 0 ? -2 : 2, c & 4 == 0 ? -1 : 1) + 5) }
        pts.append(SIMD3(5, 5, 5.5))  // an interior point
        let axes = Ellipsoid.minimumVolumeEnclosing(pts)!
        let r3 = 3.0.squareRoot()
        #expect(abs(axes[0] - 3 * r3) < 1e-5 && abs(axes[1] - 2 * r3) < 1e-5 && abs(axes[2] - r3) < 1e-5)
        // Points on a sphere: the sphere itself.
        var sphere: [SIMD3<Double>] = []
        for i in 0..<200 {
            let z = -1 + 2 * (Double(i) + 0.5) / 200, phi = Double(i) * 2.399963
            let r = (1 - z * z).squareRoot()
            sphere.append(SIMD3(r * cos(phi), r * sin(phi), z) * 4)
        }
        let s = Ellipsoid.minimumVolumeEnclosing(sphere)!
        #expect(s.allSatisfy { abs($0 - 4) < 0.01 })
    }

    /// The working-set ascent (extreme points, then the points left outside) gives the ellipsoid of the ascent
    /// over all points, to the tolerance both stop at.
    @Test func ellipsoidOfManyPointsEqualsTheAscentOverAllOfThem() throws {
        var rng = SeededRandom(seed: 11)
        let radii = SIMD3<Double>(30, 22, 14)
        let points = (0..<600).map { _ -> SIMD3<Double> in
            let v = SIMD3(rng.normal(), rng.normal(), rng.normal())
            let unit = v / (v * v).sum().squareRoot()
            return unit * radii * (0.9 + 0.1 * Double(rng.next() % 1000) / 1000) + SIMD3(5, -3, 2)
        }
        let fast = try #require(Ellipsoid.minimumVolumeEnclosing(points))
        var mean = SIMD3<Double>.zero
        for p in points { mean += p }
        mean /= Double(points.count)
        let q = points.map { SIMD4<Double>($0.x - mean.x, $0.y - mean.y, $0.z - mean.z, 1) }
        let (u, _) = try #require(Ellipsoid.khachiyan(q, tolerance: 1e-7, maxIterations: 200_000))
        let full = Ellipsoid.semiAxes(q, weights: u)
        for (a, b) in zip(fast, full) { #expect(abs(a - b) / b < 1e-6, "\(fast) vs \(full)") }
    }

    @Test func eigenDecomposition() {
        let m: [[Double]] = [[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 1]]
        let e = SymmetricEigen.decompose(m)
        for (l, v) in zip(e.values, e.vectors) {
            let mv = SIMD3(m[0][0] * v.x + m[0][1] * v.y + m[0][2] * v.z,
                           m[1][0] * v.x + m[1][1] * v.y + m[1][2] * v.z,
                           m[2][0] * v.x + m[2][1] * v.y + m[2][2] * v.z)
            #expect(lengthD(mv - l * v) < 1e-10)
        }
        #expect(e.values[0] >= e.values[1] && e.values[1] >= e.values[2])
    }

    @Test func localIntensityPeaks() {
        // Uniform image: every local mean equals the value.
        let flat = Self.roi(n: [15, 15, 15], spacing: [1, 1, 1], value: { _, _, _ in 5 }) { i, j, k in
            i == 7 && j == 7 && (5...9).contains(k)
        }
        let f = Dictionary(LocalIntensity.compute(flat).map { ($0.tag, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(abs(f["loc_peak_loc"]! - 5) < 1e-12)
        #expect(abs(f["loc_peak_glob"]! - 5) < 1e-12)
        // A ramp in x: the local mean of a full sphere is the centre value.
        let ramp = Self.roi(n: [21, 21, 21], spacing: [1, 1, 1], value: { i, _, _ in Double(i) }) { i, j, k in
            (7...13).contains(i) && j == 10 && k == 10
        }
        let g = Dictionary(LocalIntensity.compute(ramp).map { ($0.tag, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(abs(g["loc_peak_loc"]! - 13) < 1e-9)
        #expect(abs(g["loc_peak_glob"]! - 13) < 1e-9)
        // Sphere of 1 cm^3 at 1 mm spacing: the count of voxel centres within 6.2035 mm.
        #expect(abs(LocalIntensity.sphereRadius - 6.2035) < 1e-4)
    }
}

/// Deterministic generator for test masks.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
