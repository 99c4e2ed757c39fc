import Foundation
import RadiomicsCore
import Testing

@Suite struct LinearResamplingTests {
    /// Trilinear interpolation reproduces a linear function of patient position exactly, on any target grid.
    @Test func linearFieldIsReproducedOnARotatedShiftedGrid() {
        let source = ImageGeometry(size: [20, 18, 12], spacing: [1.5, 1.2, 3], origin: [-10, 5, 20])
        func f(_ p: SIMD3<Double>) -> Double { 3 * p.x - 2 * p.y + 0.5 * p.z + 7 }
        var v = Volume<Float>(geometry: source, repeating: 0)
        for k in 0..<12 { for j in 0..<18 { for i in 0..<20 {
            v[i, j, k] = Float(f(source.physicalPoint(index: SIMD3(Double(i), Double(j), Double(k)))))
        } } }
        let c = cos(0.3), s = sin(0.3)
        let target = ImageGeometry(size: [10, 9, 8], spacing: [1.1, 1.3, 2.2], origin: [-2, 9, 24],
                                   direction: Matrix3(columns: [c, s, 0], [-s, c, 0], [0, 0, 1]))
        let r = v.resampledLinear(onto: target)
        var inside = 0
        for k in 0..<8 { for j in 0..<9 { for i in 0..<10 {
            let p = target.physicalPoint(index: SIMD3(Double(i), Double(j), Double(k)))
            let q = source.continuousIndex(physical: p)
            let value = r[i, j, k]
            if (0...19).contains(q.x) && (0...17).contains(q.y) && (0...11).contains(q.z) {
                inside += 1
                #expect(abs(Double(value) - f(p)) < 1e-3 * max(1, abs(f(p))))
            } else if q.x < -0.5 || q.y < -0.5 || q.z < -0.5 || q.x > 19.5 || q.y > 17.5 || q.z > 11.5 {
                #expect(value.isNaN)
            }
        } } }
        #expect(inside > 300)
    }

    @Test func gridsThatDoNotOverlapHaveNoIndexBox() {
        let a = ImageGeometry(size: [10, 10, 10], spacing: [1, 1, 1])
        var b = a
        b.origin.z = 50
        #expect(b.indexBox(covering: BoundingBox(size: a.size), of: a) == nil)
        b.origin.z = 5
        #expect(b.indexBox(covering: BoundingBox(size: a.size), of: a) == BoundingBox(lower: [0, 0, 0], upper: [9, 9, 5]))
    }
}

@Suite struct DistanceTransformTests {
    /// Against brute force on a random region with anisotropic spacing.
    @Test func matchesBruteForce() {
        let g = ImageGeometry(size: [13, 11, 7], spacing: [0.8, 1.1, 2.5])
        var rng = SeededRandom(seed: 5)
        var mask = Mask(geometry: g, repeating: 0)
        for i in 0..<mask.voxels.count where rng.uniform() < 0.6 { mask.voxels[i] = 1 }
        let depth = DistanceTransform.depth(of: mask), distance = DistanceTransform.distance(from: mask)
        func point(_ i: Int, _ j: Int, _ k: Int) -> SIMD3<Double> { SIMD3(Double(i), Double(j), Double(k)) * g.spacing }
        let n = g.size
        for k in 0..<n.z { for j in 0..<n.y { for i in 0..<n.x {
            let here = point(i, j, k)
            var nearestOutside = Double.infinity, nearestInside = Double.infinity
            // Outside includes the ring of voxels just beyond the grid (for depth).
            for c in -1...n.z { for b in -1...n.y { for a in -1...n.x {
                let beyond = a < 0 || b < 0 || c < 0 || a >= n.x || b >= n.y || c >= n.z
                let d = length(point(a, b, c) - here)
                if beyond || mask[a, b, c] == 0 { nearestOutside = min(nearestOutside, d) }
                if !beyond && mask[a, b, c] != 0 { nearestInside = min(nearestInside, d) }
            } } }
            if mask[i, j, k] != 0 {
                #expect(abs(Double(depth[i, j, k]) - nearestOutside) < 1e-4)
                #expect(distance[i, j, k] == 0)
            } else {
                #expect(depth[i, j, k] == 0)
                #expect(abs(Double(distance[i, j, k]) - nearestInside) < 1e-4)
            }
        } } }
    }

    @Test func emptyRegionIsInfinitelyFar() {
        let g = ImageGeometry(size: [4, 3, 2], spacing: [1, 1, 1])
        #expect(DistanceTransform.distance(from: Mask(geometry: g, repeating: 0)).voxels.allSatisfy { $0 == .infinity })
    }
}
