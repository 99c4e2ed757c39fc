// Helpers shared by the GLSZM, GLDZM, NGTDM and NGLDM families (internal to this module):
// neighbourhood offsets, zone labelling by flood fill, the city-block distance to the ROI edge, a sparse
// (grey level x index) count matrix and the 2D / 2.5D / 3D aggregation of feature values.

import Foundation

/// Neighbour offsets of the texture families in this file's group. Kept private to them (GLCM / GLRLM
/// have their own direction tables).
enum ZoneNeighbourhood {
    /// Offsets (di, dj, dk) of all voxels at Chebyshev distance 1...`distance` from a voxel, the voxel
    /// itself excluded: in the slice plane (dk = 0; 8 neighbours at distance 1) when `inPlane`, else in the
    /// volume (26 neighbours at distance 1).
    static func chebyshev(inPlane: Bool, distance: Int) -> [SIMD3<Int>] {
        let d = max(1, distance)
        let kRange = inPlane ? 0...0 : -d...d
        var out: [SIMD3<Int>] = []
        for dk in kRange {
            for dj in -d...d {
                for di in -d...d where !(di == 0 && dj == 0 && dk == 0) {
                    out.append(SIMD3(di, dj, dk))
                }
            }
        }
        return out
    }
}

/// The zones of a discretised ROI: one entry per zone (a connected set of voxels with the same grey level).
struct ZoneList {
    /// Grey level of each zone (1...Ng).
    var level: [Int32] = []
    /// Number of voxels of each zone.
    var size: [Int32] = []
    /// Smallest distance to the ROI edge over the zone's voxels (0 when no distance map was given).
    var distance: [Int32] = []
    /// Slice index k of the zone's first voxel (the zone's only slice when labelled in plane).
    var slice: [Int32] = []
}

enum ZoneLabelling {
    /// Labels the zones of `roi`: connected voxels (8-connectivity in plane when `inPlane`, 26-connectivity
    /// in the volume otherwise) that share a grey level > 0. Iterative flood fill with an explicit stack;
    /// `distanceMap` (same box as `roi.levels`), when given, yields each zone's minimum distance.
    static func zones(_ roi: DiscretisedROI, inPlane: Bool, distanceMap: [Int32]? = nil) -> ZoneList {
        let nx = roi.size.x, ny = roi.size.y, nz = roi.size.z
        let n = nx * ny * nz
        let offsets = ZoneNeighbourhood.chebyshev(inPlane: inPlane, distance: 1)
        let odi = offsets.map(\.x), odj = offsets.map(\.y), odk = offsets.map(\.z)
        let odelta = offsets.map { $0.x + nx * ($0.y + ny * $0.z) }
        let nOff = offsets.count
        var out = ZoneList()
        var visited = [Bool](repeating: false, count: n)
        var stack: [Int] = []
        stack.reserveCapacity(1024)
        let dmap = distanceMap ?? []
        let hasDistance = distanceMap != nil
        precondition(!hasDistance || dmap.count == n, "distance map must match the ROI box")
        roi.levels.withUnsafeBufferPointer { lv in
            visited.withUnsafeMutableBufferPointer { seen in
                for start in 0..<n where lv[start] > 0 && !seen[start] {
                    let g = lv[start]
                    seen[start] = true
                    stack.append(start)
                    var count: Int32 = 0
                    var minDistance = Int32.max
                    while let v = stack.popLast() {
                        count += 1
                        if hasDistance { minDistance = min(minDistance, dmap[v]) }
                        let i = v % nx, r = v / nx
                        let j = r % ny, k = r / ny
                        for o in 0..<nOff {
                            let a = i + odi[o], b = j + odj[o], c = k + odk[o]
                            if a < 0 || a >= nx || b < 0 || b >= ny || c < 0 || c >= nz { continue }
                            let w = v + odelta[o]
                            if !seen[w] && lv[w] == g {
                                seen[w] = true
                                stack.append(w)
                            }
                        }
                    }
                    out.level.append(g)
                    out.size.append(count)
                    out.distance.append(hasDistance ? minDistance : 0)
                    out.slice.append(Int32(start / (nx * ny)))
                }
            }
        }
        return out
    }

    /// City-block distance of every voxel of `mask` (value != 0) to the nearest voxel outside it, counting
    /// voxels beyond the box as outside: voxels on the mask's edge have distance 1, voxels outside 0.
    /// In plane (4-connected steps within each slice) when `inPlane`, else 6-connected in the volume.
    /// Two raster passes (forward, backward) of the exact city-block chamfer transform.
    static func distanceToEdge(mask: [Bool], size: SIMD3<Int>, inPlane: Bool) -> [Int32] {
        let nx = size.x, ny = size.y, nz = size.z
        let sxy = nx * ny
        let big = Int32.max / 2
        var d = mask.map { $0 ? big : 0 }
        d.withUnsafeMutableBufferPointer { d in
            // Forward pass: neighbours at i-1, j-1, k-1 (beyond the box: distance 0).
            for k in 0..<nz {
                for j in 0..<ny {
                    for i in 0..<nx {
                        let v = i + nx * (j + ny * k)
                        if d[v] == 0 { continue }
                        var m = d[v]
                        m = min(m, (i > 0 ? d[v - 1] : 0) + 1)
                        m = min(m, (j > 0 ? d[v - nx] : 0) + 1)
                        if !inPlane { m = min(m, (k > 0 ? d[v - sxy] : 0) + 1) }
                        d[v] = m
                    }
                }
            }
            // Backward pass: neighbours at i+1, j+1, k+1.
            for k in stride(from: nz - 1, through: 0, by: -1) {
                for j in stride(from: ny - 1, through: 0, by: -1) {
                    for i in stride(from: nx - 1, through: 0, by: -1) {
                        let v = i + nx * (j + ny * k)
                        if d[v] == 0 { continue }
                        var m = d[v]
                        m = min(m, (i < nx - 1 ? d[v + 1] : 0) + 1)
                        m = min(m, (j < ny - 1 ? d[v + nx] : 0) + 1)
                        if !inPlane { m = min(m, (k < nz - 1 ? d[v + sxy] : 0) + 1) }
                        d[v] = m
                    }
                }
            }
        }
        return d
    }
}

/// A sparse count matrix over (grey level i, index j): j is the zone size (GLSZM), the zone distance
/// (GLDZM) or the dependence count (NGLDM). Entries are unique (i, j) pairs with their count.
struct ZoneCountMatrix {
    var row: [Int] = []
    var col: [Int] = []
    var count: [Double] = []

    /// Total count (Ns: number of zones, or of voxels for NGLDM).
    var total: Double { count.reduce(0, +) }
    var isEmpty: Bool { count.isEmpty }

    /// Builds the matrix from one observation per item (`weights` nil: each counts 1). Sorts integer keys
    /// and run-length encodes them, so no dictionary is used.
    init(rows: [Int], cols: [Int], weights: [Double]? = nil) {
        precondition(rows.count == cols.count)
        if rows.isEmpty { return }
        let maxCol = cols.max()! + 1
        var order = Array(0..<rows.count)
        let keys = zip(rows, cols).map { $0 * maxCol + $1 }
        order.sort { keys[$0] < keys[$1] }
        var lastKey = -1
        for idx in order {
            let w = weights?[idx] ?? 1
            if keys[idx] == lastKey {
                count[count.count - 1] += w
            } else {
                lastKey = keys[idx]
                row.append(rows[idx]); col.append(cols[idx]); count.append(w)
            }
        }
    }

    /// Builds the matrix from a dense row-major array `dense[i * nCols + j]`, keeping non-zero cells.
    init(dense: [Double], nCols: Int) {
        for (idx, c) in dense.enumerated() where c != 0 {
            row.append(idx / nCols); col.append(idx % nCols); count.append(c)
        }
    }

    /// Element-wise sum of matrices (the 2.5D merge of per-slice matrices).
    static func merged(_ parts: [ZoneCountMatrix]) -> ZoneCountMatrix {
        ZoneCountMatrix(rows: parts.flatMap(\.row), cols: parts.flatMap(\.col), weights: parts.flatMap(\.count))
    }

    /// Row sums s_i. = sum_j s_ij, indexed by grey level (0...max level).
    func rowSums() -> [Double] {
        var out = [Double](repeating: 0, count: (row.max() ?? 0) + 1)
        for e in 0..<row.count { out[row[e]] += count[e] }
        return out
    }

    /// Column sums s_.j = sum_i s_ij, indexed by j (0...max j).
    func colSums() -> [Double] {
        var out = [Double](repeating: 0, count: (col.max() ?? 0) + 1)
        for e in 0..<col.count { out[col[e]] += count[e] }
        return out
    }

    /// sum_ij s_ij f(i, j).
    @inline(__always)
    func sum(_ f: (Double, Double) -> Double) -> Double {
        var s = 0.0
        for e in 0..<count.count { s += count[e] * f(Double(row[e]), Double(col[e])) }
        return s
    }

    /// The 16 features IBSI defines alike for the GLSZM, the GLDZM and (less energy) the NGLDM, in this
    /// order: small-index emphasis sum s/j^2, large-index emphasis sum s j^2, low grey level sum s/i^2,
    /// high grey level sum s i^2, small-index low grey s/(i^2 j^2), small-index high grey s i^2/j^2,
    /// large-index low grey s j^2/i^2, large-index high grey s i^2 j^2 (each divided by Ns), grey level
    /// non-uniformity sum_i s_i.^2 / Ns and normalised / Ns^2, index non-uniformity sum_j s_.j^2 / Ns and
    /// normalised / Ns^2, percentage Ns / Nv, grey level variance sum (i - mu_i)^2 p_ij, index variance
    /// sum (j - mu_j)^2 p_ij, entropy -sum p_ij log2 p_ij, then energy sum p_ij^2 (p_ij = s_ij / Ns).
    func zoneStyleFeatures(voxelCount nv: Double) -> [Double] {
        let ns = total
        guard ns > 0 else { return [Double](repeating: .nan, count: 17) }
        let small = sum { _, j in 1 / (j * j) } / ns
        let large = sum { _, j in j * j } / ns
        let lowGrey = sum { i, _ in 1 / (i * i) } / ns
        let highGrey = sum { i, _ in i * i } / ns
        let smallLow = sum { i, j in 1 / (i * i * j * j) } / ns
        let smallHigh = sum { i, j in i * i / (j * j) } / ns
        let largeLow = sum { i, j in j * j / (i * i) } / ns
        let largeHigh = sum { i, j in i * i * j * j } / ns
        let rows = rowSums(), cols = colSums()
        let glnu = rows.reduce(0) { $0 + $1 * $1 } / ns
        let inu = cols.reduce(0) { $0 + $1 * $1 } / ns
        let muI = sum { i, _ in i } / ns
        let muJ = sum { _, j in j } / ns
        let varI = sum { i, _ in (i - muI) * (i - muI) } / ns
        let varJ = sum { _, j in (j - muJ) * (j - muJ) } / ns
        var entropy = 0.0, energy = 0.0
        for c in count {
            let p = c / ns
            entropy -= p * log2(p)
            energy += p * p
        }
        return [small, large, lowGrey, highGrey, smallLow, smallHigh, largeLow, largeHigh,
                glnu, glnu / ns, inu, inu / ns, ns / nv, varI, varJ, entropy, energy]
    }
}

enum ZoneTextureAggregation {
    /// Number of ROI voxels (level > 0) in each slice k.
    static func voxelsPerSlice(_ roi: DiscretisedROI) -> [Int] {
        let sxy = roi.size.x * roi.size.y
        var out = [Int](repeating: 0, count: roi.size.z)
        for (v, g) in roi.levels.enumerated() where g > 0 { out[v / sxy] += 1 }
        return out
    }

    /// Zone-style features (`ZoneCountMatrix.zoneStyleFeatures`) of the matrix of zones by (grey level,
    /// `index`), aggregated as `dimension` says: 2D = one matrix per slice, features averaged over the
    /// slices holding ROI voxels; 2.5D = the per-slice matrices summed (one matrix of all in-plane zones);
    /// 3D = one matrix of the volume's zones (the zones must then have been labelled in 3D). Nv is the ROI
    /// voxel count of the same scope (the slice for 2D, the volume otherwise).
    static func zoneFeatures(zones: ZoneList, index: [Int32], roi: DiscretisedROI,
                             dimension: TextureDimension) -> [Double] {
        let rows = zones.level.map { Int($0) }
        let cols = index.map { Int($0) }
        switch dimension {
        case .threeD, .twoAndHalfD:
            let m = ZoneCountMatrix(rows: rows, cols: cols)
            return m.zoneStyleFeatures(voxelCount: Double(roi.voxelCount))
        case .twoD:
            let perSliceVoxels = voxelsPerSlice(roi)
            // Counting sort of the zones by slice.
            var start = [Int](repeating: 0, count: roi.size.z + 1)
            for k in zones.slice { start[Int(k) + 1] += 1 }
            for k in 0..<roi.size.z { start[k + 1] += start[k] }
            var fill = start
            var order = [Int](repeating: 0, count: zones.slice.count)
            for (z, k) in zones.slice.enumerated() { order[fill[Int(k)]] = z; fill[Int(k)] += 1 }
            var perSlice: [[Double]] = []
            for k in 0..<roi.size.z where perSliceVoxels[k] > 0 {
                let members = order[start[k]..<start[k + 1]]
                let m = ZoneCountMatrix(rows: members.map { rows[$0] }, cols: members.map { cols[$0] })
                perSlice.append(m.zoneStyleFeatures(voxelCount: Double(perSliceVoxels[k])))
            }
            return mean(perSlice, count: 17)
        }
    }

    /// Mean of per-slice feature vectors (IBSI 2D aggregation: features per slice, averaged over slices).
    static func mean(_ perSlice: [[Double]], count: Int) -> [Double] {
        guard !perSlice.isEmpty else { return [Double](repeating: .nan, count: count) }
        var out = [Double](repeating: 0, count: count)
        for v in perSlice { for f in 0..<count { out[f] += v[f] } }
        return out.map { $0 / Double(perSlice.count) }
    }

    /// Tags `<prefix><name>_<2D|2_5D|3D>` paired with values.
    static func tagged(prefix: String, names: [String], values: [Double], dimension: TextureDimension) -> [FeatureValue] {
        zip(names, values).map { (tag: "\(prefix)\($0)_\(dimension.rawValue)", value: $1) }
    }
}
