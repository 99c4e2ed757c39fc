/// Neighbour directions and ROI geometry shared by the texture families (GLCM, GLRLM, and the zone and
/// neighbourhood matrices).
///
/// IBSI counts each pair of opposite directions once: 13 directions in 3D (half of the 26-neighbourhood),
/// 4 in a slice (half of the 8-neighbourhood; k constant). Which half is chosen does not matter for the
/// symmetric GLCM nor for run lengths (a run along -d is the same run as along +d).
public enum TextureDirections {
    /// The 4 in-plane directions (di, dj, 0): 0°, 90°, 45°, 135°.
    public static let twoD: [SIMD3<Int>] = [
        SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(1, 1, 0), SIMD3(1, -1, 0),
    ]

    /// The 13 directions of the 3D 26-neighbourhood, one of each opposite pair: the 4 in-plane ones, then
    /// the 9 with dk = 1.
    public static let threeD: [SIMD3<Int>] = twoD + [
        SIMD3(0, 0, 1), SIMD3(1, 0, 1), SIMD3(-1, 0, 1), SIMD3(0, 1, 1), SIMD3(0, -1, 1),
        SIMD3(1, 1, 1), SIMD3(1, -1, 1), SIMD3(-1, 1, 1), SIMD3(-1, -1, 1),
    ]

    /// In-plane directions for 2D and 2.5D (neighbours stay in the slice), all 13 for 3D.
    public static func directions(for dimension: TextureDimension) -> [SIMD3<Int>] {
        dimension == .threeD ? threeD : twoD
    }
}

/// The smallest box (inclusive bounds) holding every ROI voxel (level > 0) of a `DiscretisedROI`, plus
/// the number of ROI voxels in each slice k. Texture code iterates this box only.
struct TextureBox {
    var lower: SIMD3<Int>
    var upper: SIMD3<Int>
    /// ROI voxels in slice k (indexed by absolute k, 0..<size.z).
    var sliceVoxelCounts: [Int]
    var voxelCount: Int
    /// Lowest and highest grey level present.
    var minLevel: Int
    var maxLevel: Int

    /// nil when the ROI is empty.
    init?(_ roi: DiscretisedROI) {
        let s = roi.size
        var lo = SIMD3(Int.max, Int.max, Int.max), hi = SIMD3(-1, -1, -1)
        var counts = [Int](repeating: 0, count: max(s.z, 0))
        var total = 0, gMin = Int.max, gMax = 0
        roi.levels.withUnsafeBufferPointer { L in
            var idx = 0
            for k in 0..<s.z {
                for j in 0..<s.y {
                    for i in 0..<s.x {
                        let g = Int(L[idx])
                        idx += 1
                        if g <= 0 { continue }
                        counts[k] += 1
                        total += 1
                        if g < gMin { gMin = g }
                        if g > gMax { gMax = g }
                        if i < lo.x { lo.x = i }
                        if i > hi.x { hi.x = i }
                        if j < lo.y { lo.y = j }
                        if j > hi.y { hi.y = j }
                        if k < lo.z { lo.z = k }
                        if k > hi.z { hi.z = k }
                    }
                }
            }
        }
        guard total > 0 else { return nil }
        lower = lo
        upper = hi
        sliceVoxelCounts = counts
        voxelCount = total
        minLevel = gMin
        maxLevel = gMax
    }

    var extent: SIMD3<Int> { upper &- lower &+ 1 }
}

/// Running mean of feature vectors (features averaged over directions and/or slices).
struct FeatureMean {
    private(set) var sum: [Double]
    private(set) var count = 0

    init(featureCount: Int) { sum = [Double](repeating: 0, count: featureCount) }

    mutating func add(_ values: [Double]) {
        for n in 0..<sum.count { sum[n] += values[n] }
        count += 1
    }

    /// NaN for every feature when nothing was added.
    var mean: [Double] { count == 0 ? sum.map { _ in .nan } : sum.map { $0 / Double(count) } }
}

/// Tags `<family>_<feature>_<dimension>_<aggregation>`, e.g. `cm_joint_max_2_5D_comb`.
func textureFeatures(family: String, names: [String], dimension: TextureDimension, aggregation: String,
                     values: [Double]) -> [FeatureValue] {
    zip(names, values).map { ("\(family)_\($0)_\(dimension.rawValue)_\(aggregation)", $1) }
}
