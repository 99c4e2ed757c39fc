import Foundation
import RadiomicsCore

/// Rim versus core: the arterial HU profile from the tumour's surface inwards (Euclidean depth in mm), over the
/// whole tumour and in 26 directions from its centre (for the rim's coverage and the irregularity of its thickness).
struct RimProfile {
    var rimHU: Double
    var coreHU: Double
    var thickness: Double?
    var irregularity: Double?
    var coverage: Double
    var profile: [Double]

    /// The 26 directions of a voxel's neighbours, normalised.
    static let directions: [SIMD3<Double>] = {
        var d: [SIMD3<Double>] = []
        for z in -1...1 { for y in -1...1 { for x in -1...1 where x != 0 || y != 0 || z != 0 {
            let v = SIMD3<Double>(Double(x), Double(y), Double(z))
            d.append(v / length(v))
        } } }
        return d
    }()

    /// A depth profile: mean HU per layer of `binWidth` mm.
    struct Layers {
        var sum: [Double]
        var count: [Int]
        init(bins: Int) { sum = Array(repeating: 0, count: bins); count = Array(repeating: 0, count: bins) }
        mutating func add(_ bin: Int, _ v: Double) { sum[bin] += v; count[bin] += 1 }
        func mean(_ b: Int) -> Double { count[b] > 0 ? sum[b] / Double(count[b]) : .nan }

        /// The brightest layer among those centred in the outer half (with at least `minimum` voxels).
        func rim(outerBins: Int, minimum: Int) -> (bin: Int, hu: Double)? {
            var best: (Int, Double)?
            for b in 0..<min(outerBins, count.count) where count[b] >= minimum {
                if best == nil || mean(b) > best!.1 { best = (b, mean(b)) }
            }
            return best
        }

        /// Depth (mm) where the profile, going inwards from the rim layer, first falls to `level`.
        func crossing(from rimBin: Int, level: Double, binWidth: Double, minimum: Int) -> Double? {
            var previous = (depth: (Double(rimBin) + 0.5) * binWidth, hu: mean(rimBin))
            for b in (rimBin + 1)..<count.count where count[b] >= minimum {
                let here = (depth: (Double(b) + 0.5) * binWidth, hu: mean(b))
                if here.hu <= level {
                    let t = (previous.hu - level) / max(previous.hu - here.hu, 1e-9)
                    return previous.depth + t * (here.depth - previous.depth)
                }
                previous = here
            }
            return nil
        }
    }

    /// The core is the inner half of the tumour: depth at least half the largest depth (`core_hu`); the rest is
    /// the outer half, where the rim layer is sought.
    static func isCore(depth: Double, maxDepth: Double) -> Bool { depth >= 0.5 * maxDepth }

    static func measure(arterial: Volume<Float>, tumour indices: [Int], depth: Volume<Float>, binWidth: Double) -> RimProfile {
        let g = arterial.geometry, n = g.size
        let maxDepth = indices.reduce(0.0) { max($0, Double(depth.voxels[$1])) }
        let bins = Int(maxDepth / binWidth) + 1
        let outerBins = max(1, Int((0.5 * maxDepth / binWidth).rounded(.up)))
        var all = Layers(bins: bins)
        var sectors = [Layers](repeating: Layers(bins: bins), count: directions.count)
        var coreSum = 0.0, coreCount = 0
        // Centre of the tumour (mm, patient space).
        var centre = SIMD3<Double>.zero
        func point(_ index: Int) -> SIMD3<Double> {
            let i = index % n.x, j = (index / n.x) % n.y, k = index / (n.x * n.y)
            return g.physicalPoint(index: SIMD3(Double(i), Double(j), Double(k)))
        }
        for index in indices { centre += point(index) }
        centre /= Double(indices.count)
        for index in indices {
            let v = Double(arterial.voxels[index])
            guard !v.isNaN else { continue }
            let d = Double(depth.voxels[index])
            let bin = min(bins - 1, Int(d / binWidth))
            all.add(bin, v)
            if isCore(depth: d, maxDepth: maxDepth) { coreSum += v; coreCount += 1 }
            let r = point(index) - centre
            let l = length(r)
            if l > 1e-9 {
                let u = r / l
                var best = 0, bestDot = -2.0
                for (s, dir) in directions.enumerated() {
                    let c = dot(u, dir)
                    if c > bestDot { bestDot = c; best = s }
                }
                sectors[best].add(bin, v)
            }
        }
        let core = coreCount > 0 ? coreSum / Double(coreCount) : all.mean(bins - 1)
        let rim = all.rim(outerBins: outerBins, minimum: 10) ?? (0, all.mean(0))
        let difference = rim.hu - core
        // A thickness (and its irregularity) only where there is a rim to speak of.
        let thickness = difference >= 10
            ? all.crossing(from: rim.bin, level: (rim.hu + core) / 2, binWidth: binWidth, minimum: 10) ?? 0.5 * maxDepth
            : nil
        // Per direction: the rim layer, whether it stands out from the core, and its thickness.
        var judged = 0, covered = 0
        var thicknesses: [Double] = []
        for s in sectors {
            guard let r = s.rim(outerBins: outerBins, minimum: 5) else { continue }
            judged += 1
            if difference > 0 && r.hu - core >= 0.5 * difference { covered += 1 }
            if r.hu - core > 0, let t = s.crossing(from: r.bin, level: (r.hu + core) / 2, binWidth: binWidth, minimum: 5) {
                thicknesses.append(t)
            }
        }
        var irregularity: Double?
        if thickness != nil && thicknesses.count >= 4 {
            let m = thicknesses.reduce(0, +) / Double(thicknesses.count)
            let v = thicknesses.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(thicknesses.count - 1)
            irregularity = m > 0 ? v.squareRoot() / m : nil
        }
        let profile = (0..<bins).compactMap { all.count[$0] > 0 ? all.mean($0) : nil }
        return RimProfile(rimHU: rim.hu, coreHU: core, thickness: thickness, irregularity: irregularity,
                          coverage: judged > 0 ? Double(covered) / Double(judged) : 0, profile: profile)
    }
}

/// Thin enhancing structures inside the tumour (septa): the white top-hat (the image minus its grey-level
/// opening by a disk) of the smoothed arterial phase, slice by slice in the axial plane (where CT resolves
/// most), read over the tumour's interior. Structures narrower than the disk respond with their height above
/// their surroundings; wider plateaus (a homogeneous tumour) and the noise left after smoothing respond little.
enum InternalStructure {
    static func measure(smoothed: Volume<Float>, tumour: Mask, depth: Volume<Float>, radiusMM: Double,
                        interiorDepthMM: Double, threshold: Double) -> (fraction: Double, meanResponse: Double, responding: [Int]) {
        let g = smoothed.geometry, n = g.size
        guard let box = tumour.boundingBox else { return (0, 0, []) }
        // At most 40 voxels each way, whatever the spacing (a hostile header cannot make the disk enormous).
        let rx = min(40, Int(radiusMM / g.spacing.x)), ry = min(40, Int(radiusMM / g.spacing.y))
        var offsets: [(Int, Int)] = []
        for dy in -ry...ry {
            for dx in -rx...rx {
                let ex = Double(dx) * g.spacing.x / radiusMM, ey = Double(dy) * g.spacing.y / radiusMM
                if ex * ex + ey * ey <= 1 { offsets.append((dx, dy)) }
            }
        }
        var interior: [Int] = []
        for k in box.lower.z...box.upper.z {
            for j in box.lower.y...box.upper.y {
                for i in box.lower.x...box.upper.x {
                    let index = g.linearIndex(i, j, k)
                    if tumour.voxels[index] != 0 && Double(depth.voxels[index]) >= interiorDepthMM { interior.append(index) }
                }
            }
        }
        if interior.count < 20 {
            interior = (0..<tumour.voxels.count).filter { tumour.voxels[$0] != 0 }
        }
        // Erosion on the box grown by the disk, then dilation of it on the box.
        let x0 = max(0, box.lower.x - rx), x1 = min(n.x - 1, box.upper.x + rx)
        let y0 = max(0, box.lower.y - ry), y1 = min(n.y - 1, box.upper.y + ry)
        let w = x1 - x0 + 1, h = y1 - y0 + 1
        var tophat = [Float](repeating: 0, count: g.voxelCount)
        var eroded = [Float](repeating: 0, count: w * h)
        for k in box.lower.z...box.upper.z {
            let plane = k * n.x * n.y
            for j in y0...y1 {
                for i in x0...x1 {
                    var m = Float.infinity
                    for (dx, dy) in offsets {
                        let a = i + dx, b = j + dy
                        guard a >= 0, b >= 0, a < n.x, b < n.y else { continue }
                        let v = smoothed.voxels[plane + b * n.x + a]
                        if v < m { m = v }
                    }
                    eroded[(j - y0) * w + (i - x0)] = m
                }
            }
            for j in box.lower.y...box.upper.y {
                for i in box.lower.x...box.upper.x {
                    var m = -Float.infinity
                    for (dx, dy) in offsets {
                        let a = i + dx, b = j + dy
                        guard a >= x0, b >= y0, a <= x1, b <= y1 else { continue }
                        let v = eroded[(b - y0) * w + (a - x0)]
                        if v > m { m = v }
                    }
                    tophat[plane + j * n.x + i] = smoothed.voxels[plane + j * n.x + i] - m
                }
            }
        }
        var responding: [Int] = [], sum = 0.0
        for index in interior {
            let t = Double(tophat[index])
            sum += t
            if t >= threshold { responding.append(index) }
        }
        return (Double(responding.count) / Double(interior.count), sum / Double(interior.count), responding)
    }
}
