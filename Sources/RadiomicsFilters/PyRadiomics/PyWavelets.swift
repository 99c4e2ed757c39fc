import Foundation
import RadiomicsCore

/// The discrete wavelets of PyWavelets (`pywt.wavelist(kind="discrete")`: Haar, Daubechies, Symlets, Coiflets,
/// biorthogonal, reverse biorthogonal, discrete Meyer) with the decomposition filters PyWavelets uses, generated
/// into `PyWaveletsTable.swift` by scripts/make-pywavelets-table.py.
public enum PyWavelets {
    /// A wavelet's decomposition filters.
    public struct Bank: Sendable {
        public var name: String
        public var low: [Double]
        public var high: [Double]
    }

    public static var names: [String] { table.map(\.name) }

    /// Every bank, read from the table once.
    static let banks: [String: Bank] = {
        func numbers(_ s: String) -> [Double] { s.split(separator: " ").map { Double(String($0))! } }
        return Dictionary(uniqueKeysWithValues: table.map { ($0.name, Bank(name: $0.name, low: numbers($0.lo), high: numbers($0.hi))) })
    }()

    /// The named wavelet (as PyWavelets spells it, e.g. `coif1`, `db4`, `bior2.4`), or nil.
    public static func bank(_ name: String) -> Bank? { banks[name] }
}

/// PyRadiomics' Wavelet image type (imageoperations.getWaveletImage and _swt3): the image (numpy order z, y, x) is
/// padded by one voxel at the end of every odd axis with numpy's `wrap` (the first voxel repeated), then
/// `pywt.swtn(level=1, start_level=0)` is applied `start_level + level` times, each time to the previous
/// approximation: along the axes x, y, z in that order, each line is convolved periodically with the low and high
/// decomposition filters, out[i] = sum_j f[j] x[(i + F/2 - j) mod N] (no upsampling between levels, unlike an
/// à trous transform). Sub-bands are named by their filters in x, y, z order (`LLH`: low along x and y, high
/// along z), cropped back to the image and yielded level by level (`wavelet-LLH`, ..., then `wavelet2-LLH`, ...),
/// in pywt's order LLH, LHL, LHH, HLL, HLH, HHL, HHH; the last level's approximation comes last as
/// `wavelet-LLL` (`waveletN-LLL` after N levels; two letters with force2D, as `LH`, `HL`, `HH` are).
///
/// Only the region's box plus the filters' reach is computed: values are gathered with the padded image's
/// periodicity, so the result inside the box is the whole-image one.
public enum PyRadiomicsWavelet {
    /// The part of the image the sub-bands on `box` read: the box grown by the filters' reach over all levels
    /// along the filtered axes, or the whole axis where that crosses the image's edge (the wrap reads the far side).
    public static func region(for box: BoundingBox, size: SIMD3<Int>, bank: PyWavelets.Bank, startLevel: Int, levels: Int,
                              axes: [Int] = [0, 1, 2]) -> BoundingBox {
        let f = bank.low.count, total = startLevel + levels
        var r = box
        for a in axes {
            let lo = box.lower[a] - (f - 1 - f / 2) * total, hi = box.upper[a] + (f / 2) * total
            if lo < 0 || hi > size[a] - 1 {
                r.lower[a] = 0
                r.upper[a] = size[a] - 1
            } else {
                r.lower[a] = lo
                r.upper[a] = hi
            }
        }
        return r
    }

    /// Sub-bands on `box` (values i fastest), in PyRadiomics' order, from a window holding `region(for: box ...)`.
    /// `axes` are the filtered axes of this project's (x, y, z) order (PyRadiomics drops `force2Ddimension` from
    /// them with force2D).
    public static func responses(_ image: ImageWindow, box: BoundingBox, bank: PyWavelets.Bank, startLevel: Int,
                                 levels: Int, axes: [Int] = [0, 1, 2]) -> [(name: String, values: [Double])] {
        let size = image.size
        let f = bank.low.count
        let left = f - 1 - f / 2, right = f / 2
        let total = startLevel + levels
        // The padded image's period per axis and the gathered region: the box grown by the reach of all levels
        // along the filtered axes; where that is a period or more, the whole period, transformed circularly (the
        // work and memory then stop growing with the number of levels).
        let period = SIMD3<Int>((0..<3).map { size[$0] + size[$0] % 2 })
        var lower = box.lower, regionSize = box.size
        var periodic = SIMD3<Int>(repeating: 0)
        for a in axes {
            if box.size[a] + (left + right) * total >= period[a] {
                periodic[a] = 1
                lower[a] = 0
                regionSize[a] = period[a]
            } else {
                lower[a] -= left * total
                regionSize[a] += (left + right) * total
            }
        }
        let n = regionSize.x * regionSize.y * regionSize.z
        var data = [Double](repeating: 0, count: n)
        var t = 0
        let xs = (0..<regionSize.x).map { wrap(lower.x + $0, period.x, size.x) }
        for k in 0..<regionSize.z {
            let z = wrap(lower.z + k, period.z, size.z)
            for j in 0..<regionSize.y {
                let y = wrap(lower.y + j, period.y, size.y)
                for x in xs {
                    data[t] = image[x, y, z]
                    t += 1
                }
            }
        }
        var current = (values: data, size: regionSize)
        // Where the box starts in a strip after `done` levels (in a whole period: at the box's own index).
        func offset(_ done: Int) -> SIMD3<Int> {
            var o = SIMD3<Int>(repeating: 0)
            for a in axes { o[a] = periodic[a] == 1 ? box.lower[a] : left * (total - done) }
            return o
        }
        func convolve(_ x: [Double], size: SIMD3<Int>, axis: Int, filter: [Double]) -> (values: [Double], size: SIMD3<Int>) {
            periodic[axis] == 1 ? circularConvolution(x, size: size, axis: axis, filter: filter)
                : validConvolution(x, size: size, axis: axis, filter: filter)
        }
        var out: [(name: String, values: [Double])] = []
        var outputLevel = 0
        for level in 0..<total {
            // One swtn: split along each axis in turn into (a, d), pywt's list order.
            var bands: [(name: String, values: [Double], size: SIMD3<Int>)] = [("", current.values, current.size)]
            for a in axes {
                var next: [(name: String, values: [Double], size: SIMD3<Int>)] = []
                for band in bands {
                    let lo = convolve(band.values, size: band.size, axis: a, filter: bank.low)
                    let hi = convolve(band.values, size: band.size, axis: a, filter: bank.high)
                    next.append((band.name + "a", lo.values, lo.size))
                    next.append((band.name + "d", hi.values, hi.size))
                }
                bands = next
            }
            let approximation = String(repeating: "a", count: axes.count)
            if level >= startLevel {
                outputLevel += 1
                let prefix = outputLevel == 1 ? "wavelet" : "wavelet\(outputLevel)"
                for band in bands where band.name != approximation {
                    let name = band.name.replacingOccurrences(of: "a", with: "L").replacingOccurrences(of: "d", with: "H")
                    out.append(("\(prefix)-\(name)", crop(band.values, size: band.size, offset: offset(level + 1), box: box.size)))
                }
            }
            let a = bands.first { $0.name == approximation }!
            current = (a.values, a.size)
        }
        let lows = String(repeating: "L", count: axes.count)
        let last = levels == 1 ? "wavelet-\(lows)" : "wavelet\(levels)-\(lows)"
        out.append((last, crop(current.values, size: current.size, offset: offset(total), box: box.size)))
        return out
    }

    /// Index into the image of padded index `p` (any integer): periodic with `period`; the padded voxel at
    /// `size` (odd axes) is the first voxel again.
    @inline(__always) static func wrap(_ p: Int, _ period: Int, _ size: Int) -> Int {
        var m = p % period
        if m < 0 { m += period }
        return m == size ? 0 : m
    }

    /// The periodic convolution out[p] = sum_j f[j] x[p + F/2 - j] on a gathered strip whose low side lies `left`
    /// = F - 1 - F/2 voxels before the first output: output i reads strip positions i + F - 1 - j. The strip
    /// shrinks by F - 1 along `axis`.
    static func validConvolution(_ x: [Double], size: SIMD3<Int>, axis: Int, filter: [Double])
        -> (values: [Double], size: SIMD3<Int>) {
        let f = filter.count
        var outSize = size
        outSize[axis] -= f - 1
        let stride = axis == 0 ? 1 : axis == 1 ? size.x : size.x * size.y
        let count = outSize.x * outSize.y * outSize.z
        // Every output is written: no zero-filled array first.
        let out = [Double](unsafeUninitializedCapacity: count) { dst, initialised in
            x.withUnsafeBufferPointer { src in
                var o = 0
                for k in 0..<outSize.z {
                    for j in 0..<outSize.y {
                        let rowStart = size.x * (j + size.y * k)
                        for i in 0..<outSize.x {
                            // Output voxel (i, j, k) of the shrunk strip sits at input (i, j, k) + left along axis;
                            // it reads input positions out + left + F/2 - jj = base + (F - 1 - jj).
                            let base = rowStart + i
                            var sum = 0.0
                            for jj in 0..<f {
                                sum += filter[jj] * src[base + (f - 1 - jj) * stride]
                            }
                            dst[o] = sum
                            o += 1
                        }
                    }
                }
            }
            initialised = count
        }
        return (out, outSize)
    }

    /// pywt's periodic convolution along `axis` of data holding one whole period: out[i] = sum_j f[j] x[(i + F/2 - j)
    /// mod N]. The size stays.
    static func circularConvolution(_ x: [Double], size: SIMD3<Int>, axis: Int, filter: [Double])
        -> (values: [Double], size: SIMD3<Int>) {
        let f = filter.count, n = size[axis]
        let stride = axis == 0 ? 1 : axis == 1 ? size.x : size.x * size.y
        // Input position of tap j for output i, as a multiple of the stride.
        let taps = (0..<n).map { i in (0..<f).map { j in (((i + f / 2 - j) % n) + n) % n } }
        let out = [Double](unsafeUninitializedCapacity: x.count) { dst, initialised in
            x.withUnsafeBufferPointer { src in
                var o = 0
                for k in 0..<size.z {
                    for j in 0..<size.y {
                        for i in 0..<size.x {
                            var idx = SIMD3(i, j, k)
                            let along = idx[axis]
                            idx[axis] = 0
                            let base = idx.x + size.x * (idx.y + size.y * idx.z)
                            var sum = 0.0
                            for (jj, p) in taps[along].enumerated() { sum += filter[jj] * src[base + p * stride] }
                            dst[o] = sum
                            o += 1
                        }
                    }
                }
            }
            initialised = x.count
        }
        return (out, size)
    }

    /// The `box`-sized part of a strip starting at `off` (what is left of the gathered margins).
    static func crop(_ values: [Double], size: SIMD3<Int>, offset off: SIMD3<Int>, box: SIMD3<Int>) -> [Double] {
        if off == .zero && size == box { return values }
        let strip = Volume(geometry: ImageGeometry(size: size, spacing: SIMD3(repeating: 1)), voxels: values)
        return strip.cropped(to: BoundingBox(lower: off, upper: off &+ box &- 1)).voxels
    }
}
