/// Per-voxel values of an ROI's bounding box on the box grown by `pad` voxels on every side, with `outside`
/// in the margin: the texture classes look up neighbours up to `pad` voxels away from any box voxel without a
/// bounds check, a neighbour beyond the box reading as `outside`.
struct PyRadiomicsPaddedGrid {
    /// Values on the grown box, i fastest.
    var values: [Int32]
    /// Size of the grown box.
    let size: SIMD3<Int>

    /// `value(v)` for every voxel of the box of `boxSize`, v its index in the box (i fastest).
    init(boxSize s: SIMD3<Int>, pad: Int, outside: Int32, value: (Int) -> Int32) {
        let ps = s &+ 2 &* pad
        var out = [Int32](repeating: outside, count: ps.x * ps.y * ps.z)
        out.withUnsafeMutableBufferPointer { dst in
            for k in 0..<s.z {
                for j in 0..<s.y {
                    let from = s.x * (j + s.y * k), to = pad + ps.x * (j + pad + ps.y * (k + pad))
                    for i in 0..<s.x { dst[to + i] = value(from + i) }
                }
            }
        }
        values = out
        size = ps
    }

    /// Flat steps of neighbour offsets (i, j, k) on the grown box.
    func steps(_ offsets: [SIMD3<Int>]) -> [Int] { offsets.map { $0.x + size.x * ($0.y + size.y * $0.z) } }
}
