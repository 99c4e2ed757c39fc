import Foundation
import Testing
@testable import RadiomicsCore

/// The FFT against the DFT's definition, on fast sizes (radix 2, 3, 4, 5) and on sizes with larger prime factors
/// (Bluestein), forward and inverse.
@Suite struct FFT3DTests {
    /// X(f) = sum_x v(x) exp(-+ 2 pi i f.x / n), straight from the definition.
    static func dft(_ re: [Double], _ im: [Double], size n: SIMD3<Int>, inverse: Bool) -> ([Double], [Double]) {
        var outRe = [Double](repeating: 0, count: re.count), outIm = outRe
        let sign = inverse ? 1.0 : -1.0
        for fz in 0..<n.z { for fy in 0..<n.y { for fx in 0..<n.x {
            var sr = 0.0, si = 0.0
            for z in 0..<n.z { for y in 0..<n.y { for x in 0..<n.x {
                let phase = sign * 2 * Double.pi * (Double(fx * x) / Double(n.x) + Double(fy * y) / Double(n.y) + Double(fz * z) / Double(n.z))
                let v = x + n.x * (y + n.y * z)
                sr += re[v] * cos(phase) - im[v] * sin(phase)
                si += re[v] * sin(phase) + im[v] * cos(phase)
            } } }
            let f = fx + n.x * (fy + n.y * fz)
            outRe[f] = sr; outIm[f] = si
        } } }
        return (outRe, outIm)
    }

    @Test(arguments: [SIMD3(8, 6, 5), SIMD3(7, 1, 1), SIMD3(13, 11, 2), SIMD3(1, 97, 1), SIMD3(14, 3, 49), SIMD3(17, 10, 3)])
    func matchesTheDefinition(_ n: SIMD3<Int>) {
        var g = SeededRandom(seed: UInt64(n.x * 1000 + n.y * 10 + n.z))
        let count = n.x * n.y * n.z
        let re = (0..<count).map { _ in Double.random(in: -1...1, using: &g) }
        let im = (0..<count).map { _ in Double.random(in: -1...1, using: &g) }
        let fft = FFT3D(size: n)
        for inverse in [false, true] {
            var r = re, i = im
            fft.transform(re: &r, im: &i, inverse: inverse)
            let (er, ei) = Self.dft(re, im, size: n, inverse: inverse)
            let worst = zip(zip(r, i), zip(er, ei)).map { max(abs($0.0 - $1.0), abs($0.1 - $1.1)) }.max()!
            #expect(worst < 1e-9 * Double(count), "\(n) inverse \(inverse): \(worst)")
        }
        // Forward then inverse is n times the identity.
        var r = re, i = im
        fft.transform(re: &r, im: &i, inverse: false)
        fft.transform(re: &r, im: &i, inverse: true)
        #expect(zip(r, re).allSatisfy { abs($0 / Double(count) - $1) < 1e-12 })
    }
}
