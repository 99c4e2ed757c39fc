import Foundation
import RadiomicsCore
import Testing

@Suite struct GeometryTests {
    let oblique = ImageGeometry(
        size: [10, 8, 6], spacing: [0.8, 0.9, 2.5], origin: [-12, 30, 5],
        direction: Matrix3(columns: [0.6, 0.8, 0], [-0.8, 0.6, 0], [0, 0, 1]))

    @Test func indexAndPhysicalRoundTrip() {
        let idx = SIMD3<Double>(3, 5.5, 2)
        let p = oblique.physicalPoint(index: idx)
        let back = oblique.continuousIndex(physical: p)
        #expect(length(back - idx) < 1e-12)
        // Moving one voxel along i moves spacing.x along the first direction column.
        let step = oblique.physicalPoint(index: idx + [1, 0, 0]) - p
        #expect(length(step - SIMD3(0.48, 0.64, 0)) < 1e-12)
    }

    @Test func matrixInverse() throws {
        let m = Matrix3(columns: [2, 0, 1], [1, 3, 0], [0, 1, 4])
        let inv = try #require(m.inverse)
        #expect((m * inv).maxDifference(.identity) < 1e-12)
        #expect(Matrix3(columns: [1, 2, 3], [2, 4, 6], [0, 0, 1]).inverse == nil)
    }

    @Test func sameGridTolerance() {
        var other = oblique
        other.origin += [1e-5, 0, 0]
        #expect(oblique.isSameGrid(as: other))
        other.origin += [0.5, 0, 0]
        #expect(!oblique.isSameGrid(as: other))
        var flipped = oblique
        flipped.direction = .diagonal([-1, -1, 1])
        #expect(!oblique.isSameGrid(as: flipped))
    }

    @Test func croppingCopiesOnlyTheBoxAndMovesTheOrigin() {
        var v = Volume<Int16>(geometry: oblique, repeating: 0)
        for k in 0..<6 { for j in 0..<8 { for i in 0..<10 { v[i, j, k] = Int16(i + 10 * j + 100 * k) } } }
        let box = BoundingBox(lower: [2, 3, 1], upper: [4, 6, 2])
        let c = v.cropped(to: box)
        #expect(c.size == [3, 4, 2])
        #expect(c[0, 0, 0] == 132)
        #expect(c[2, 3, 1] == 4 + 60 + 200)
        #expect(length(c.geometry.origin - oblique.physicalPoint(index: [2, 3, 1])) < 1e-12)
    }

    @Test func boundingBoxAndCount() {
        var m = Mask(geometry: oblique, repeating: 0)
        #expect(m.boundingBox == nil)
        m[2, 3, 1] = 1
        m[7, 4, 5] = 1
        #expect(m.regionVoxelCount == 2)
        #expect(m.boundingBox == BoundingBox(lower: [2, 3, 1], upper: [7, 4, 5]))
        #expect(m.boundingBox?.flat == [2, 3, 1, 7, 4, 5])
    }

    @Test func regionStatistics() throws {
        var image = Volume<Int16>(geometry: oblique, repeating: -1000)
        var mask = Mask(geometry: oblique, repeating: 0)
        for (i, value) in [(1, 10), (2, 20), (3, 60)] {
            image[i, 2, 2] = Int16(value)
            mask[i, 2, 2] = 1
        }
        let s = try #require(RegionStatistics(image: .int16(image), mask: mask))
        #expect(s.count == 3)
        #expect(s.mean == 30)
        #expect(s.minimum == 10)
        #expect(s.maximum == 60)
        #expect(RegionStatistics(image: .int16(image), mask: Mask(geometry: oblique, repeating: 0)) == nil)
    }
}

@Suite struct ResamplingTests {
    static let grid = ImageGeometry(size: [12, 10, 8], spacing: [1, 1, 2], origin: [0, 0, 0])

    func blob(_ g: ImageGeometry) -> Mask {
        var m = Mask(geometry: g, repeating: 0)
        for k in 2...5 { for j in 3...6 { for i in 4...8 { m[i, j, k] = 1 } } }
        return m
    }

    @Test func sameGridIsIdentity() {
        let m = blob(Self.grid)
        #expect(m.resampledNearest(onto: Self.grid).voxels == m.voxels)
    }

    /// The same voxels stored in RAS order (x and y reversed, origin at the other corner) map back exactly.
    @Test func flippedStorageOrderMapsVoxelForVoxel() {
        let g = Self.grid
        let far = g.physicalPoint(index: SIMD3(Double(g.size.x - 1), Double(g.size.y - 1), 0))
        let flippedGrid = ImageGeometry(size: g.size, spacing: g.spacing, origin: [far.x, far.y, 0],
                                        direction: .diagonal([-1, -1, 1]))
        let m = blob(g)
        var flipped = Mask(geometry: flippedGrid, repeating: 0)
        for k in 0..<g.size.z { for j in 0..<g.size.y { for i in 0..<g.size.x {
            flipped[g.size.x - 1 - i, g.size.y - 1 - j, k] = m[i, j, k]
        } } }
        #expect(flipped.resampledNearest(onto: g).voxels == m.voxels)
    }

    @Test func finerGridCoversTheSameRegion() {
        let m = blob(Self.grid)
        let fine = ImageGeometry(size: [24, 20, 16], spacing: [0.5, 0.5, 1], origin: [-0.25, -0.25, -0.5])
        let r = m.resampledNearest(onto: fine)
        #expect(r.regionVoxelCount == m.regionVoxelCount * 8)
    }

    @Test func farAwayGridGetsNothing() {
        let m = blob(Self.grid)
        let away = ImageGeometry(size: [12, 10, 8], spacing: [1, 1, 2], origin: [500, 0, 0])
        #expect(m.resampledNearest(onto: away).regionVoxelCount == 0)
    }
}

@Suite struct ContourRasterizerTests {
    let grid = ImageGeometry(size: [20, 20, 3], spacing: [1, 1, 2], origin: [0, 0, 0])

    func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, z: Double) -> [SIMD3<Double>] {
        [[x0, y0, z], [x1, y0, z], [x1, y1, z], [x0, y1, z]]
    }

    @Test func squareCoversTheVoxelCentresInside() throws {
        // Edges half-way between voxel centres: columns 3...8, rows 2...5 are inside.
        let r = try ContourRasterizer.rasterize([square(2.5, 1.5, 8.5, 5.5, z: 2)], onto: grid)
        #expect(r.mask.regionVoxelCount == 6 * 4)
        #expect(r.mask.boundingBox == BoundingBox(lower: [3, 2, 1], upper: [8, 5, 1]))
    }

    @Test func innerContourIsAHole() throws {
        let outer = square(0.5, 0.5, 10.5, 10.5, z: 0)
        let inner = square(3.5, 3.5, 6.5, 6.5, z: 0)
        let r = try ContourRasterizer.rasterize([outer, inner], onto: grid)
        #expect(r.mask.regionVoxelCount == 100 - 9)
        #expect(r.mask[5, 5, 0] == 0)
        #expect(r.mask[2, 2, 0] == 1)
    }

    @Test func contoursOutsideTheSlicesAreCounted() throws {
        let r = try ContourRasterizer.rasterize([square(1.5, 1.5, 4.5, 4.5, z: 40)], onto: grid)
        #expect(r.contoursOutside == 1)
        #expect(r.mask.regionVoxelCount == 0)
    }

    @Test func contourAcrossSlicesIsRefused() {
        let tilted: [SIMD3<Double>] = [[1, 1, 0], [5, 1, 2], [5, 5, 4], [1, 5, 2]]
        #expect(throws: RadiomicsError.self) { try ContourRasterizer.rasterize([tilted], onto: grid) }
    }
}

/// Path text without Foundation's NSString path methods, which trap on some inputs (see PathText).
@Suite struct PathTextTests {
    @Test func agreesWithNSStringOnOrdinaryPaths() {
        for p in ["a/b", "/a/b", "a/b/", "/a/b//", "ab", "/", "", "a//b", "sample-scans/case-001/ct/", "/x", "ab/./"] {
            #expect(PathText.lastComponent(p) == (p as NSString).lastPathComponent, "\(p)")
            #expect(PathText.parent(p) == (p as NSString).deletingLastPathComponent, "\(p)")
        }
    }

    /// Inputs on which swift-corelibs-foundation traps (Swift 6.3.1, Linux).
    @Test func inputsFoundationTrapsOn() {
        #expect(PathText.parent("x") == "")
        #expect(PathText.parent("p/") == "")
        let fuzzed = "p0p2\u{0}\u{0}" + String(repeating: "/", count: 55) + "%/." + String(repeating: "/", count: 17) + "\u{0}" + String(repeating: "/", count: 22)
        #expect(PathText.lastComponent(fuzzed) == "\u{0}")
        #expect(PathText.lastComponent("ab" + String(repeating: "/", count: 10) + "." + String(repeating: "/", count: 10)) == ".")
    }
}
