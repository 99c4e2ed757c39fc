import Foundation

extension Volume where Scalar == Float {
    /// The volume smoothed by a Gaussian of standard deviation `sigma` mm along each axis (an axis where sigma is
    /// below a fifth of a voxel is left as is), separably, with the kernel truncated at 3 sigma and renormalised
    /// where it meets the grid's edge or NaN voxels (which stay NaN): a denoised view for measuring structure
    /// larger than the noise. Lines run on all cores.
    public func gaussianSmoothed(sigma: SIMD3<Double>) -> Volume<Float> {
        var data = voxels
        let n = geometry.size
        for axis in 0..<3 {
            let s = sigma[axis] / geometry.spacing[axis]
            let lines = GridLines(size: n, axis: axis)
            guard s >= 0.2, lines.length > 1 else { continue }
            let radius = max(1, Int((3 * s).rounded(.up)))
            let kernel = (-radius...radius).map { Float(exp(-0.5 * Double($0 * $0) / (s * s))) }
            let kernelSum = kernel.reduce(0, +)
            let len = lines.length, stride = lines.stride
            data.withUnsafeMutableBufferPointer { buffer in
                let base = UnsafeSendable(buffer.baseAddress!)
                lines.parallelChunks { range in
                    var line = [Float](repeating: 0, count: len)
                    for o in range {
                        let p = base.value + lines.start(o)
                        for t in 0..<len { line[t] = p[t * stride] }
                        let clean = !line.contains { $0.isNaN }
                        line.withUnsafeBufferPointer { l in
                            kernel.withUnsafeBufferPointer { w in
                                if clean {
                                    // No NaN: the interior without edge tests, the ends renormalised.
                                    for t in 0..<len {
                                        let a = max(-radius, -t), b = min(radius, len - 1 - t)
                                        var sum: Float = 0, weight: Float = 0
                                        if a == -radius && b == radius {
                                            for r in 0...(2 * radius) { sum += w[r] * l[t - radius + r] }
                                            p[t * stride] = sum / kernelSum
                                            continue
                                        }
                                        for r in a...b { sum += w[r + radius] * l[t + r]; weight += w[r + radius] }
                                        p[t * stride] = sum / weight
                                    }
                                    return
                                }
                                for t in 0..<len {
                                    guard !l[t].isNaN else { continue }
                                    var sum: Float = 0, weight: Float = 0
                                    for r in max(-radius, -t)...min(radius, len - 1 - t) {
                                        let v = l[t + r]
                                        if v.isNaN { continue }
                                        sum += w[r + radius] * v
                                        weight += w[r + radius]
                                    }
                                    p[t * stride] = sum / weight
                                }
                            }
                        }
                    }
                }
            }
        }
        return Volume(geometry: geometry, voxels: data)
    }
}
