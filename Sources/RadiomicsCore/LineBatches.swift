/// One-dimensional filters run along an axis of a 3D grid, many lines at once: lines are gathered in batches of
/// up to 64 neighbouring lines (contiguous in memory across the batch for the y and z axes), eight lines to a
/// `SIMD8<Double>` vector, so that a recursive filter, whose samples depend on each other along a line, runs on
/// eight independent lines per instruction; batches run on all cores. A kernel that does to every lane what a
/// scalar loop does to one line gives each line exactly the scalar result. Used by PyRadiomics' recursive
/// Gaussian (ITK's IIR) and B-spline decomposition.
public enum LineBatches {
    /// The lines along `axis` of a grid laid out in `input` as `layout` says (a region read in place, or a grid
    /// stored alone), filtered by `kernel`, and only samples `keep` of each line kept as `O`, i fastest: the result
    /// has `keep.count` samples along `axis` and the layout's extent along the others (later passes along other
    /// axes then run on less).
    ///
    /// `kernel(lines, count, width, work)` gets `count` samples of `width` vectors (sample t of vector w at
    /// `lines[t * width + w]`; lanes past the last line hold zeros) and work space for `2 * count * width` more
    /// vectors, and returns where the filtered lines are, in the same layout.
    @inlinable public static func apply<T: VoxelScalar, O: BinaryFloatingPoint & Sendable>(
        _ input: UnsafeBufferPointer<T>, layout: GridLayout, axis: Int, keep: Range<Int>, as: O.Type,
        kernel: @Sendable (UnsafeMutablePointer<SIMD8<Double>>, Int, Int, UnsafeMutablePointer<SIMD8<Double>>)
            -> UnsafePointer<SIMD8<Double>>
    ) -> [O] {
        var outSize = layout.size
        outSize[axis] = keep.count
        let count = outSize.x * outSize.y * outSize.z
        return [O](unsafeUninitializedCapacity: count) { out, initialised in
            apply(input, layout: layout, axis: axis, keep: keep, into: out, kernel: kernel)
            initialised = count
        }
    }

    /// The same written into `out` (at least `keep.count` times the other two extents long; its first elements
    /// are set), so that a chain of passes can write into buffers it reuses instead of fresh memory.
    @inlinable public static func apply<T: VoxelScalar, O: BinaryFloatingPoint & Sendable>(
        _ input: UnsafeBufferPointer<T>, layout: GridLayout, axis: Int, keep: Range<Int>, into out: UnsafeMutableBufferPointer<O>,
        kernel: @Sendable (UnsafeMutablePointer<SIMD8<Double>>, Int, Int, UnsafeMutablePointer<SIMD8<Double>>)
            -> UnsafePointer<SIMD8<Double>>
    ) {
        let size = layout.size, n = size[axis]
        precondition(keep.lowerBound >= 0 && keep.upperBound <= n, "kept samples outside the line")
        var outSize = size
        outSize[axis] = keep.count
        precondition(out.count >= outSize.x * outSize.y * outSize.z, "output buffer too small")
        let others = (0..<3).filter { $0 != axis }
        let inSteps = layout.steps, outSteps = SIMD3(1, outSize.x, outSize.x * outSize.y)
        let countA = size[others[0]], countB = size[others[1]]
        let lanes = min(64, countA)
        let groupsPerB = (countA + lanes - 1) / lanes
        let src = UnsafeSendable(input)
        let o = UnsafeSendable(out)
        parallelFor(countB * groupsPerB) { g in
            let b = g / groupsPerB, a0 = (g % groupsPerB) * lanes
            let L = min(lanes, countA - a0), W = (L + 7) / 8
            let buffer = UnsafeMutablePointer<SIMD8<Double>>.allocate(capacity: 3 * n * W)
            defer { buffer.deallocate() }
            let data = buffer
            // Lanes past the last line are zeros, filtered and dropped. Lane l of sample t is double
            // t * 8 W + l of the buffers (a vector is eight consecutive doubles).
            data.initialize(repeating: SIMD8(repeating: 0), count: n * W)
            let flatIn = UnsafeMutableRawPointer(data).assumingMemoryBound(to: Double.self)
            let inBase = layout.base + a0 * inSteps[others[0]] + b * inSteps[others[1]]
            let inStride = inSteps[axis], inLane = inSteps[others[0]]
            for t in 0..<n {
                let row = inBase &+ t &* inStride, lane = flatIn + t &* 8 &* W
                for l in 0..<L { lane[l] = src.value[row &+ l &* inLane].doubleValue }
            }
            let filtered = kernel(data, n, W, buffer + n * W)
            let flatOut = UnsafeRawPointer(filtered).assumingMemoryBound(to: Double.self)
            let outBase = a0 * outSteps[others[0]] + b * outSteps[others[1]]
            let outStride = outSteps[axis], outLane = outSteps[others[0]]
            for (u, t) in keep.enumerated() {
                let row = outBase &+ u &* outStride, lane = flatOut + t &* 8 &* W
                for l in 0..<L { o.value[row &+ l &* outLane] = O(lane[l]) }
            }
        }
    }
}
