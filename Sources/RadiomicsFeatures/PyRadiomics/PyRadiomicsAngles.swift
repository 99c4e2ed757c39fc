/// PyRadiomics' neighbour directions (cmatrices.c `get_angle_count` / `build_angles`, exposed to Python as
/// `cMatrices.generate_angles`; used by every texture class).
///
/// Offsets are enumerated with PyRadiomics' numpy axes (z, y, x), z slowest, each running from `+max(distances)`
/// down to `-max(distances)`. An offset is kept when it is not (0, 0, 0), fits in the box (|offset| < size on every
/// axis), does not move along the 2D cut axis when `force2D` is set, and its infinity norm is one of `distances`.
/// One-directional sets (GLCM, GLRLM, GLSZM-style) keep the first half of that enumeration, i.e. the offsets whose
/// first non-zero (z, y, x) component is positive, e.g. 13 offsets in 3D for distance 1 and 4 for 2D.
/// IBSI uses the same 13 / 4 directions, but PyRadiomics drops directions that do not fit in the ROI's bounding
/// box (e.g. all z offsets for a single-slice ROI).
public enum PyRadiomicsAngles {
    /// Directions for a box of `size` (x, y, z), returned as (x, y, z) = (i, j, k) offsets in PyRadiomics' order.
    ///
    /// - Parameters:
    ///   - distances: infinity-norm distances (PyRadiomics' `distances`, all >= 1).
    ///   - force2D / force2Ddimension: PyRadiomics' settings; the dimension is a numpy axis (0 = z, 1 = y, 2 = x).
    ///   - bidirectional: both members of every pair (the first half as for `false`, then their mirror images),
    ///     as PyRadiomics builds for GLDM and NGTDM.
    public static func generate(size: SIMD3<Int>, distances: [Int], force2D: Bool, force2Ddimension: Int,
                                bidirectional: Bool = false) -> [SIMD3<Int>] {
        guard let maxDistance = distances.max(), distances.allSatisfy({ $0 >= 1 }) else { return [] }
        let cutAxis = force2D ? force2Ddimension : -1
        let zyxSize = [size.z, size.y, size.x]
        var all: [SIMD3<Int>] = []
        // Offsets from +max to -max per axis, z slowest: the first half of the kept ones is one direction of each pair.
        for dz in stride(from: maxDistance, through: -maxDistance, by: -1) {
            for dy in stride(from: maxDistance, through: -maxDistance, by: -1) {
                for dx in stride(from: maxDistance, through: -maxDistance, by: -1) {
                    let zyx = [dz, dy, dx]
                    var valid = true
                    for axis in 0..<3 where (axis == cutAxis && zyx[axis] != 0) || abs(zyx[axis]) >= zyxSize[axis] {
                        valid = false
                    }
                    let norm = max(abs(dz), abs(dy), abs(dx))
                    if valid && norm > 0 && distances.contains(norm) { all.append(SIMD3(dx, dy, dz)) }
                }
            }
        }
        // The kept set is point-symmetric, so the enumeration's first half holds one offset of each pair.
        return bidirectional ? all : Array(all.prefix(all.count / 2))
    }
}
