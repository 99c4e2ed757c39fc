import Foundation
import RadiomicsCore

/// IBSI 2 Gabor filter (2.4): a 2D complex kernel in a plane, in mm,
/// g(x, y) = exp(-(xr^2 + gamma^2 yr^2) / (2 sigma^2)) exp(i 2 pi xr / lambda), xr = x cos(theta) + y sin(theta),
/// yr = -x sin(theta) + y cos(theta), not normalised (g(0, 0) = 1); the response is the modulus of the complex
/// convolution. Rotation invariance averages the modulus over theta = 0, step, 2 step, ... < 2 pi. In 3D the 2D
/// filter runs in the (i, j), (i, k) and (j, k) planes, slice by slice, and the three are averaged; in 2D only in
/// the axial (i, j) plane.
///
/// The kernel reaches 4 times its widest envelope SD (sigma max(1, 1/gamma)): IBSI's reference behaves as if it
/// were not truncated, and narrower supports fail test 4.a.1. Each slice, extended by that reach with the boundary
/// condition, is convolved through the FFT.
public struct GaborFilter: ImageFilter {
    public var sigmaMM: Double
    public var lambdaMM: Double
    public var gamma: Double
    /// Orientations (radians): one for a directional filter, or the whole turn at a step (rotation invariance).
    public var thetas: [Double]
    public var dimensions: FilterDimensions
    public var boundary: BoundaryCondition
    let label: String

    /// `theta`: a single orientation (radians); `thetaStep`: rotation invariance, the mean over the whole turn.
    public init(sigmaMM: Double, lambdaMM: Double, gamma: Double, theta: Double?, thetaStep: Double?, dimensions: FilterDimensions,
                boundary: BoundaryCondition) throws {
        for (name, v) in [("sigma", sigmaMM), ("lambda", lambdaMM)] where !(v.isFinite && v > 0 && v <= 200) {
            throw RadiomicsError("Gabor filter: \(name) must be more than 0 and at most 200 mm, got \(v)")
        }
        guard gamma.isFinite, gamma >= 0.05, gamma <= 20 else { throw RadiomicsError("Gabor filter: gamma must be 0.05-20, got \(gamma)") }
        switch (theta, thetaStep) {
        case (let t?, nil):
            guard t.isFinite else { throw RadiomicsError("Gabor filter: theta must be a number") }
            thetas = [t]
            label = "_t\(FilterName.number((t * 180 / .pi * 1000).rounded() / 1000))"
        case (nil, let step?):
            guard step.isFinite, step >= Double.pi / 180 - 1e-12, step <= 2 * Double.pi + 1e-12 else {
                throw RadiomicsError("Gabor filter: theta step must be 1-360 degrees, got \(step * 180 / .pi) degrees")
            }
            let count = Int((2 * Double.pi / step - 1e-9).rounded(.up))
            thetas = (0..<count).map { Double($0) * step }
            label = "_mean\(FilterName.number((step * 180 / .pi * 1000).rounded() / 1000))"
        default:
            throw RadiomicsError("Gabor filter: give either one orientation (theta) or a step for rotation invariance (theta_step)")
        }
        self.sigmaMM = sigmaMM
        self.lambdaMM = lambdaMM
        self.gamma = gamma
        self.dimensions = dimensions
        self.boundary = boundary
    }

    public var name: String {
        "gabor_s\(FilterName.number(sigmaMM))_l\(FilterName.number(lambdaMM))_g\(FilterName.number(gamma))\(label)\(dimensions == .twoD ? "_2d" : "")"
    }

    /// The kernel's half-width (voxels) along an axis of this spacing.
    func radius(_ spacing: Double) -> Int {
        Int(min(1e6, (4 * sigmaMM * max(1, 1 / gamma) / spacing).rounded(.up)))
    }

    public func reach(spacing: SIMD3<Double>) -> SIMD3<Int> {
        let r = SIMD3(radius(spacing.x), radius(spacing.y), radius(spacing.z))
        return dimensions == .twoD ? SIMD3(r.x, r.y, 0) : r
    }

    public func response(_ image: FilterImage) -> [Double] {
        // The planes, each seen as (i, j) with slices along k.
        let views: [GridOrientation] = dimensions == .twoD
            ? [.identity]
            : [.identity, GridOrientation(permutation: [0, 2, 1], flipped: [false, false, false]),
               GridOrientation(permutation: [1, 2, 0], flipped: [false, false, false])]
        var out = [Double](repeating: 0, count: image.values.count)
        for view in views {
            let turned = image.oriented(view)
            let r = view.undo(planeResponse(turned), orientedSize: turned.size)
            for i in 0..<out.count { out[i] += r[i] / Double(views.count) }
        }
        return out
    }

    /// The mean over `thetas` of the modulus response, each axial slice of `image` filtered on its own. Orientation
    /// by orientation (one kernel spectrum held at a time), so memory is a few planes per thread whatever the
    /// number of orientations. The kernel is at most as wide as the image along each axis (enough for IBSI's
    /// untruncated reference: a wider one only sees the boundary extension).
    func planeResponse(_ image: FilterImage) -> [Double] {
        let n = image.size
        let rx = min(radius(image.spacing.x), n.x), ry = min(radius(image.spacing.y), n.y)
        let L = SIMD3(FFT3D.fastSize(atLeast: n.x + 2 * rx), FFT3D.fastSize(atLeast: n.y + 2 * ry), 1)
        let fft = FFT3D(size: L)
        let plane = L.x * L.y
        var out = [Double](repeating: 0, count: image.values.count)
        let boundary = self.boundary, scale = 1 / (Double(plane) * Double(thetas.count))
        for theta in thetas {
            // The kernel laid out circularly, and its spectrum.
            var kr = [Double](repeating: 0, count: plane), ki = kr
            let c = cos(theta), s = sin(theta)
            for dy in -ry...ry {
                let y = Double(dy) * image.spacing.y
                for dx in -rx...rx {
                    let x = Double(dx) * image.spacing.x
                    let xr = x * c + y * s, yr = -x * s + y * c
                    let envelope = exp(-(xr * xr + gamma * gamma * yr * yr) / (2 * sigmaMM * sigmaMM))
                    let phase = 2 * Double.pi * xr / lambdaMM
                    let at = (dx + L.x) % L.x + L.x * ((dy + L.y) % L.y)
                    kr[at] = envelope * cos(phase)
                    ki[at] = envelope * sin(phase)
                }
            }
            fft.transform(re: &kr, im: &ki, inverse: false)
            let spectrum = (re: kr, im: ki)
            out.withUnsafeMutableBufferPointer { dst in
                image.values.withUnsafeBufferPointer { src in
                    let source = UnsafeSendable(src), result = UnsafeSendable(dst.baseAddress!)
                    parallelFor(n.z) { k in
                        // The slice extended by the reach with the boundary condition, times the kernel's spectrum.
                        var re = [Double](repeating: 0, count: plane), im = re
                        boundary.extend(source.value, size: n, slice: k, pad: SIMD3(rx, ry, 0), into: &re, outSize: L)
                        fft.transform(re: &re, im: &im, inverse: false)
                        for f in 0..<plane {
                            let r = re[f] * spectrum.re[f] - im[f] * spectrum.im[f]
                            im[f] = re[f] * spectrum.im[f] + im[f] * spectrum.re[f]
                            re[f] = r
                        }
                        fft.transform(re: &re, im: &im, inverse: true)
                        for j in 0..<n.y {
                            for i in 0..<n.x {
                                let at = (i + rx) + L.x * (j + ry)
                                result.value[i + n.x * (j + n.y * k)] += (re[at] * re[at] + im[at] * im[at]).squareRoot() * scale
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
