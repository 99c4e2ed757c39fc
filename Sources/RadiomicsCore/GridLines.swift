/// The lines of a grid along one axis (i, j or k): where each starts in storage order, its stride and length.
/// Separable filters and distance transforms run one pass per axis over these, in chunks on all cores.
public struct GridLines: Sendable {
    public let count: Int
    public let length: Int
    public let stride: Int
    @usableFromInline let axis: Int
    @usableFromInline let nx: Int
    @usableFromInline let plane: Int

    public init(size n: SIMD3<Int>, axis: Int) {
        precondition((0..<3).contains(axis), "axis is 0, 1 or 2")
        self.axis = axis
        nx = n.x
        plane = n.x * n.y
        length = n[axis]
        stride = [1, n.x, n.x * n.y][axis]
        count = length > 0 ? n.x * n.y * n.z / length : 0
    }

    /// Storage index of line `line`'s first voxel (the lines enumerate the other two axes, the lower one fastest).
    @inlinable public func start(_ line: Int) -> Int {
        switch axis {
        case 0: return line * nx
        case 1: return (line % nx) + (line / nx) * plane
        default: return line
        }
    }

    /// `body` over the lines in about 64 chunks on all cores; each call owns its range of lines (and whatever
    /// scratch space it allocates once per chunk).
    public func parallelChunks(_ body: @Sendable (Range<Int>) -> Void) {
        let chunk = Swift.max(1, count / 64)
        parallelFor((count + chunk - 1) / chunk) { c in
            body((c * chunk)..<Swift.min(count, (c + 1) * chunk))
        }
    }
}
