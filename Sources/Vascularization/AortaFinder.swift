import Foundation
import RadiomicsCore

/// Finds the abdominal aorta in a few axial slices of the arterial phase and measures it in every phase: a check
/// that the arterial phase is arterial (an enhanced aorta, brighter than in the portal phase).
///
/// In each slice the voxels of enhanced blood (3x3 mean 150-500 HU, the voxel itself at most 500 HU) form
/// connected regions; the aorta is the
/// brightest that is round (extents 16-40 mm: wider than the portal vein, within 35% of each other, filling at least 70% of their ellipse)
/// and not enclosed by bone (at most 40% of the voxels within 3 mm around it above 500 HU, which leaves out the
/// cancellous bone inside a vertebra). Without an enhanced aorta nothing is found, which is reported.
public enum AortaFinder {
    public struct Search {
        /// Whole axial slices of the reference phase, and where they sit on the reference grid (`box`).
        public var slices: Volume<Float>
        public var box: BoundingBox
        /// The phases the aorta is measured in, over a box of the reference grid.
        public var sample: (CasePhase, BoundingBox) -> Volume<Float>?
        public var phases: [CasePhase]
        public init(slices: Volume<Float>, box: BoundingBox, phases: [CasePhase],
                    sample: @escaping (CasePhase, BoundingBox) -> Volume<Float>?) {
            self.slices = slices
            self.box = box
            self.phases = phases
            self.sample = sample
        }
    }

    public struct Found {
        /// Mean HU of the aorta's inner voxels, by phase.
        public var hu: [CasePhase: Double]
        /// Its voxels on the reference grid (i, j, k).
        public var voxels: [SIMD3<Int>]
    }

    public static func find(_ search: Search) -> Found? {
        let v = search.slices, g = v.geometry, n = g.size
        let plane = n.x * n.y
        var best: (score: Double, pixels: [Int], k: Int)?
        // The ring around a candidate's box checked for bone: 3 mm wide, at least a voxel.
        let ringX = max(1, Int((3 / g.spacing.x).rounded())), ringY = max(1, Int((3 / g.spacing.y).rounded()))
        for k in 0..<n.z {
            // 3x3 mean.
            var m = [Float](repeating: 0, count: plane)
            for j in 0..<n.y {
                for i in 0..<n.x {
                    var s: Float = 0, c: Float = 0
                    for b in max(0, j - 1)...min(n.y - 1, j + 1) {
                        for a in max(0, i - 1)...min(n.x - 1, i + 1) {
                            let x = v.voxels[k * plane + b * n.x + a]
                            if !x.isNaN { s += x; c += 1 }
                        }
                    }
                    m[j * n.x + i] = c > 0 ? s / c : .nan
                }
            }
            // Blood: the 3x3 mean in 150-500 HU, and the voxel itself not bone (so the aorta does not join a
            // vertebra it touches through voxels where the mean mixes blood and cortex).
            func blood(_ p: Int) -> Bool {
                m[p] >= 150 && m[p] <= 500 && v.voxels[k * plane + p] <= 500
            }
            var label = [Int32](repeating: 0, count: plane)
            var next: Int32 = 0
            for start in 0..<plane where label[start] == 0 && blood(start) {
                next += 1
                var stack = [start], pixels: [Int] = []
                label[start] = next
                while let p = stack.popLast() {
                    pixels.append(p)
                    let i = p % n.x, j = p / n.x
                    for (a, b) in [(i - 1, j), (i + 1, j), (i, j - 1), (i, j + 1)] where a >= 0 && b >= 0 && a < n.x && b < n.y {
                        let q = b * n.x + a
                        if label[q] == 0 && blood(q) { label[q] = next; stack.append(q) }
                    }
                    if pixels.count > 20_000 { break }
                }
                guard pixels.count >= 10, pixels.count <= 20_000 else { continue }
                var i0 = n.x, i1 = 0, j0 = n.y, j1 = 0, sum = 0.0
                for p in pixels {
                    let i = p % n.x, j = p / n.x
                    i0 = min(i0, i); i1 = max(i1, i); j0 = min(j0, j); j1 = max(j1, j)
                    sum += Double(m[p])
                }
                let ex = Double(i1 - i0 + 1) * g.spacing.x, ey = Double(j1 - j0 + 1) * g.spacing.y
                guard ex >= 16, ey >= 16, ex <= 40, ey <= 40, abs(ex - ey) <= 0.35 * max(ex, ey) else { continue }
                let area = Double(pixels.count) * g.spacing.x * g.spacing.y
                guard area >= 0.7 * Double.pi * ex * ey / 4 else { continue }
                // The ring of voxels within 3 mm outside the region: mostly bone around the marrow of a vertebra.
                let members = Set(pixels)
                var ring = Set<Int>()
                for p in pixels {
                    let i = p % n.x, j = p / n.x
                    for b in max(0, j - ringY)...min(n.y - 1, j + ringY) {
                        for a in max(0, i - ringX)...min(n.x - 1, i + ringX) where !members.contains(b * n.x + a) {
                            ring.insert(b * n.x + a)
                        }
                    }
                }
                let bone = ring.reduce(0) { $0 + (v.voxels[k * plane + $1] > 500 ? 1 : 0) }
                guard !ring.isEmpty, Double(bone) <= 0.4 * Double(ring.count) else { continue }
                let score = sum / Double(pixels.count)
                if best == nil || score > best!.score { best = (score, pixels, k) }
            }
        }
        guard let found = best else { return nil }
        // Inner voxels: those whose four neighbours are in the region too (edges mix with the wall and fat).
        let set = Set(found.pixels)
        var inner = found.pixels.filter { p in [p - 1, p + 1, p - n.x, p + n.x].allSatisfy { set.contains($0) } }
        if inner.count < 5 { inner = found.pixels }
        let voxels = inner.map { SIMD3<Int>($0 % n.x, $0 / n.x, found.k) &+ search.box.lower }
        var lower = voxels[0], upper = voxels[0]
        for p in voxels { lower = pointwiseMin(lower, p); upper = pointwiseMax(upper, p) }
        let box = BoundingBox(lower: lower, upper: upper)
        var hu: [CasePhase: Double] = [:]
        for phase in search.phases {
            guard let sampled = search.sample(phase, box) else { continue }
            let s = sampled.geometry.size
            var sum = 0.0, count = 0
            for p in voxels {
                let q = p &- lower
                let x = sampled.voxels[q.x + s.x * (q.y + s.y * q.z)]
                if !x.isNaN { sum += Double(x); count += 1 }
            }
            if count > 0 { hu[phase] = sum / Double(count) }
        }
        return Found(hu: hu, voxels: voxels)
    }
}
