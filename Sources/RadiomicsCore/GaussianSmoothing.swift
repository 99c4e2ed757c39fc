import Foundation

extension Volume where Scalar == Float {
    /// The volume smoothed by a Gaussian of standard deviation `sigma` mm along each axis (0: that axis is left
    /// as is), separably, with the kernel truncated at 3 sigma and renormalised where it meets the grid's edge
    /// or NaN voxels (which stay NaN): a denoised view for measuring structure larger than the noise.
    public func gaussianSmoothed(sigma: SIMD3<Double>) -> Volume<Float> {
        var data = voxels
        let n = geometry.size
        let strides = [1, n.x, n.x * n.y], lengths = [n.x, n.y, n.z]
        for axis in 0..<3 {
            let s = sigma[axis] / geometry.spacing[axis]
            guard s >= 0.2, lengths[axis] > 1 else { continue }
            let radius = max(1, Int((3 * s).rounded(.up)))
            let kernel = (-radius...radius).map { Float(exp(-0.5 * Double($0 * $0) / (s * s))) }
            let len = lengths[axis], stride = strides[axis]
            var line = [Float](repeating: 0, count: len)
            let others = geometry.voxelCount / len
            for o in 0..<others {
                let base: Int
                switch axis {
                case 0: base = o * n.x
                case 1: base = (o % n.x) + (o / n.x) * n.x * n.y
                default: base = o
                }
                for t in 0..<len { line[t] = data[base + t * stride] }
                for t in 0..<len {
                    guard !line[t].isNaN else { continue }
                    var sum: Float = 0, weight: Float = 0
                    for r in max(-radius, -t)...min(radius, len - 1 - t) {
                        let v = line[t + r]
                        if v.isNaN { continue }
                        let w = kernel[r + radius]
                        sum += w * v
                        weight += w
                    }
                    data[base + t * stride] = sum / weight
                }
            }
        }
        return Volume(geometry: geometry, voxels: data)
    }
}
