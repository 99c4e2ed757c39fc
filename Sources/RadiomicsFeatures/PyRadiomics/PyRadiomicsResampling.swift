import Foundation
import RadiomicsCore

/// The voxel type PyRadiomics (SimpleITK) keeps an image in. Resampling writes its result back in the input's
/// pixel type (`ResampleImageFilter.SetOutputPixelType(imagePixelType)`), so an Int16 CT resampled with a
/// B-spline is truncated to integers; normalisation turns any image into Float64.
public enum PyRadiomicsPixelType: Sendable, Equatable {
    case int16, float32, float64

    /// ITK's cast with bounds checking: clamp to the type's range, then C++ `static_cast` (toward zero).
    @inlinable func cast(_ v: Double) -> Double {
        switch self {
        case .int16: return v < -32768 ? -32768 : v > 32767 ? 32767 : v.rounded(.towardZero)
        case .float32: return Double(Float(v))
        case .float64: return v
        }
    }
}

/// PyRadiomics' `resampleImage` (imageoperations.py) on SimpleITK's `ResampleImageFilter`.
///
/// The new grid keeps the mask's direction, has `resampledPixelSpacing` (0 keeps an axis' spacing; an axis on
/// which the ROI is one voxel thick keeps its spacing too) and covers the ROI's bounding box plus
/// `padDistance` new voxels, clipped to the old extent. Its first voxel centre is at old continuous index
/// `0.5 (new - old) / old + lower / ratio` with `lower = floor((bbLower - 0.5) ratio - pad)`, ratio = old/new
/// spacing. The image is interpolated with ITK's interpolator (B-spline of order 3 with mirror boundaries,
/// linear, or nearest neighbour), points outside the old image get 0, and values are cast to the input's pixel
/// type; the mask always by nearest neighbour (ITK rounds half up).
public enum PyRadiomicsResampling {
    public enum Interpolator: String, Sendable, CaseIterable {
        case nearest = "sitkNearestNeighbor"
        case linear = "sitkLinear"
        case bspline = "sitkBSpline"
    }

    public struct Result: Sendable {
        public var image: Volume<Double>
        public var mask: Mask
    }

    /// The spacing PyRadiomics resamples to: the requested one, except that 0 keeps an axis' spacing and so
    /// does an axis on which the ROI (`box`) is one voxel thick.
    public static func targetSpacing(_ requested: [Double], old: SIMD3<Double>, box: BoundingBox) throws -> SIMD3<Double> {
        guard requested.count == 3 else {
            throw RadiomicsError("resampledPixelSpacing must have 3 values, got \(requested.count)")
        }
        var new = SIMD3<Double>(requested[0], requested[1], requested[2])
        for d in 0..<3 where new[d] == 0 || box.size[d] == 1 { new[d] = old[d] }
        return new
    }

    /// The new grid over the ROI's box and the old voxels it is interpolated from.
    public struct Plan: Sendable {
        /// The new grid.
        public var geometry: ImageGeometry
        /// The old voxels the new grid reads: its extent in old indices plus the interpolator's support; for the
        /// B-spline also a margin over which the recursive filter's start-up transient decays below double
        /// precision (|z|^30 ~ 1e-17 of the intensities); at the image border the region ends where ITK's does,
        /// with the same mirror boundary.
        public var region: BoundingBox
        /// The part of `region` the interpolators' supports reach (the coefficients needed).
        var support: BoundingBox
    }

    /// The new grid for the ROI's bounding box `box` on `old` and the region of `old` it reads.
    public static func plan(old g: ImageGeometry, box: BoundingBox, spacing requested: [Double], interpolator: Interpolator,
                            padDistance: Int) throws -> Plan {
        let old = g.spacing
        let new = try targetSpacing(requested, old: old, box: box)
        let ratio = old / new
        let lowerBB = SIMD3<Double>(box.lower), sizeBB = SIMD3<Double>(box.size)
        var lower = ((lowerBB - 0.5) * ratio - Double(padDistance)).rounded(.down)
        var upper = ((lowerBB + sizeBB - 0.5) * ratio + Double(padDistance)).rounded(.up)
        let maxUpper = (SIMD3<Double>(g.size) * ratio).rounded(.up) - 1
        for d in 0..<3 {
            lower[d] = max(lower[d], 0)
            upper[d] = min(upper[d], maxUpper[d])
        }
        guard (0..<3).allSatisfy({ upper[$0].isFinite && lower[$0].isFinite && upper[$0] - lower[$0] < 1e9 }) else {
            throw RadiomicsError("resampledPixelSpacing \(requested) gives a grid too large to hold")
        }
        let newSize = SIMD3<Int>(upper - lower) &+ 1
        try Limits.checkGrid(newSize, bytesPerVoxel: 8, what: "the resampled grid (resampledPixelSpacing \(requested))")
        // Old continuous index of new voxel n: origin + n * step.
        let originIndex = 0.5 * (new - old) / old + lower / ratio
        let step = new / old
        let geometry = ImageGeometry(size: newSize, spacing: new, origin: g.physicalPoint(index: originIndex), direction: g.direction)
        // The new grid's extent in old indices, grown by `margin` and clipped to `within`.
        let first = SIMD3<Int>(originIndex.rounded(.down))
        let last = SIMD3<Int>((originIndex + step * SIMD3<Double>(newSize &- 1)).rounded(.up))
        func extent(_ margin: Int, within b: BoundingBox) -> BoundingBox {
            BoundingBox(lower: pointwiseMin(pointwiseMax(first &- margin, b.lower), b.upper),
                        upper: pointwiseMax(pointwiseMin(last &+ margin, b.upper), b.lower))
        }
        let region = extent(interpolator == .bspline ? 32 : 2, within: BoundingBox(size: g.size))
        return Plan(geometry: geometry, region: region, support: extent(3, within: region))
    }

    /// `mask` is 1 inside the ROI, on the sub-grid of `image.grid` starting at `maskOffset` (it may cover only the
    /// slices around the ROI); `box` is the ROI's bounding box on `image.grid`. (When the target spacing equals the
    /// image's, PyRadiomics only crops: `PyRadiomicsPreprocessing` decides that before calling this.)
    public static func resample(image: PyRadiomicsSource, mask: Mask, maskOffset: SIMD3<Int> = .zero, box: BoundingBox,
                                spacing requested: [Double], interpolator: Interpolator, padDistance: Int) throws -> Result {
        let pixelType = image.pixelType
        let g = image.grid
        let plan = try plan(old: g, box: box, spacing: requested, interpolator: interpolator, padDistance: padDistance)
        let geometry = plan.geometry, newSize = geometry.size
        let oldSize = g.size

        // Nearest-neighbour mask.
        var outMask = [UInt8](repeating: 0, count: newSize.x * newSize.y * newSize.z)
        var outImage = [Double](repeating: 0, count: outMask.count)
        @Sendable func inside(_ c: SIMD3<Double>) -> Bool {
            c.x >= -0.5 && c.y >= -0.5 && c.z >= -0.5
                && c.x < Double(oldSize.x) - 0.5 && c.y < Double(oldSize.y) - 0.5 && c.z < Double(oldSize.z) - 0.5
        }
        let maskSize = mask.size
        @Sendable func inMask(_ r: SIMD3<Int>) -> Bool {
            let m = r &- maskOffset
            guard m.x >= 0, m.y >= 0, m.z >= 0, m.x < maskSize.x, m.y < maskSize.y, m.z < maskSize.z else { return false }
            return mask.voxels[mask.geometry.linearIndex(m.x, m.y, m.z)] != 0
        }
        let sampler: Sampler
        switch interpolator {
        case .nearest: sampler = NearestSampler(image: image.window(plan.region))
        case .linear: sampler = LinearSampler(image: image.window(plan.region))
        case .bspline:
            // The coefficients are computed from the stored values, read in place (an Int16 CT is never copied).
            func bspline<T: VoxelScalar>(_ v: UnsafeBufferPointer<T>, _ layout: GridLayout) -> BSplineSampler {
                BSplineSampler(v, layout: layout, region: plan.region, imageSize: g.size, holding: plan.support)
            }
            sampler = image.withStored(plan.region) { stored -> BSplineSampler in
                switch stored {
                case .int16(let v, let layout): return bspline(v, layout)
                case .float(let v, let layout): return bspline(v, layout)
                }
            } ?? image.window(plan.region).values.withUnsafeBufferPointer { bspline($0, GridLayout(contiguous: plan.region.size)) }
        }
        // Old continuous index of every new voxel as ITK's ResampleImageFilter finds it: the new voxel's physical
        // point (origin plus the index-to-physical matrix times the index, summed from the origin), then the old
        // grid's physical-to-index matrix applied to its offset from the old origin. Along the way from index to
        // index the rounding differs from `originIndex + step * index`, and the mask's nearest neighbour depends on
        // it where a new voxel centre falls half-way between old ones (every 25th voxel from 0.78125 to 1 mm).
        let toPhysical = geometry.indexToPhysicalMatrix
        let toIndex = Self.physicalToIndex(g)
        @Sendable @inline(__always) func continuousIndex(_ i: Int, _ j: Int, _ k: Int) -> SIMD3<Double> {
            var p = geometry.origin
            let idx = SIMD3<Double>(Double(i), Double(j), Double(k))
            for c in 0..<3 { p += toPhysical[c] * idx[c] }
            let v = p - g.origin
            var out = SIMD3<Double>(repeating: 0)
            for c in 0..<3 { out += toIndex[c] * v[c] }
            return out
        }
        // When the new grid keeps the old one's axes (same direction, a signed permutation: every NIfTI and axial
        // DICOM), each component of the continuous index depends on one index alone, exactly (the other terms
        // add zeros): per-axis tables of it and of the B-spline's supports then give the same numbers without the
        // per-voxel arithmetic.
        if geometry.direction == g.direction && Self.isSignedPermutation(g.direction), let spline = sampler as? BSplineSampler {
            // Per axis: whether the new index lies inside the old image, the mask's nearest index along it (-1
            // outside the mask's part) and the B-spline's support.
            let axes = (0..<3).map { d -> AxisTable in
                let c = (0..<newSize[d]).map { t in var idx = SIMD3<Int>(0, 0, 0); idx[d] = t; return continuousIndex(idx.x, idx.y, idx.z)[d] }
                return AxisTable(c, extent: oldSize[d], maskOffset: maskOffset[d], maskSize: maskSize[d], spline: spline, axis: d)
            }
            outMask.withUnsafeMutableBufferPointer { maskOut in
                outImage.withUnsafeMutableBufferPointer { imageOut in
                    let mo = UnsafeSendable(maskOut), io = UnsafeSendable(imageOut)
                    parallelFor(newSize.z) { k in
                        spline.resampleSlice(k, axes: axes, mask: mask, pixelType: pixelType,
                                             maskOut: mo.value.baseAddress!, imageOut: io.value.baseAddress!)
                    }
                }
            }
            return Result(image: Volume(geometry: geometry, voxels: outImage), mask: Mask(geometry: geometry, voxels: outMask))
        }
        // Slices of the new grid on all cores (each writes only its own slice).
        outMask.withUnsafeMutableBufferPointer { maskOut in
            outImage.withUnsafeMutableBufferPointer { imageOut in
                let mo = UnsafeSendable(maskOut), io = UnsafeSendable(imageOut)
                parallelFor(newSize.z) { k in
                    var n = k * newSize.x * newSize.y
                    for j in 0..<newSize.y {
                        for i in 0..<newSize.x {
                            let c = continuousIndex(i, j, k)
                            if inside(c) {
                                let r = SIMD3<Int>((c + 0.5).rounded(.down))
                                mo.value[n] = inMask(r) ? 1 : 0
                                io.value[n] = pixelType.cast(sampler.value(at: c))
                            }
                            n += 1
                        }
                    }
                }
            }
        }
        return Result(image: Volume(geometry: geometry, voxels: outImage), mask: Mask(geometry: geometry, voxels: outMask))
    }
}

extension PyRadiomicsResampling {
    /// One non-zero entry in every row and every column: axes that run along the patient axes.
    static func isSignedPermutation(_ m: Matrix3) -> Bool {
        (0..<3).allSatisfy { c in (0..<3).filter { m[$0, c] != 0 }.count == 1 }
            && (0..<3).allSatisfy { r in (0..<3).filter { m[r, $0] != 0 }.count == 1 }
    }

    /// ITK's physical-point-to-index matrix (the inverse of direction times spacing). For a grid whose axes run
    /// along the patient axes (a signed permutation: every NIfTI and axial DICOM this project meets) the entries
    /// are exactly +-1/spacing, as ITK's inverse gives them; a general cofactor inverse would be off by an ulp.
    static func physicalToIndex(_ g: ImageGeometry) -> Matrix3 {
        let m = g.indexToPhysicalMatrix
        guard isSignedPermutation(m) else { return m.inverse ?? .identity }
        // Entry (c, r) of the inverse is 1 / m(r, c) for the one row r where column c is non-zero.
        var columns = [SIMD3<Double>](repeating: .zero, count: 3)
        for c in 0..<3 {
            let r = (0..<3).first { m[$0, c] != 0 }!
            columns[r][c] = 1 / m[r, c]
        }
        return Matrix3(columns: columns[0], columns[1], columns[2])
    }
}

/// One axis of a new grid whose axes run along the old grid's (same direction, a signed permutation): the old
/// continuous index along it depends on the new index along it alone, so where the new voxel falls, which mask
/// voxel is its nearest neighbour and which B-spline coefficients it reads are tabled per axis.
struct AxisTable: Sendable {
    let count: Int
    /// Inside the old image along this axis (ITK: -0.5 <= c < extent - 0.5).
    let inside: [Bool]
    let insideIndices: [Int]
    /// The mask's index of the nearest old voxel (round half up), -1 where it lies outside the mask's part.
    let maskIndex: [Int]
    let support: [BSplineSampler.Support]

    /// `c[t]`: the old continuous index of new index t; the old image is `extent` voxels long along the axis,
    /// the mask's part starts at `maskOffset` and is `maskSize` long.
    init(_ c: [Double], extent: Int, maskOffset: Int, maskSize: Int, spline: BSplineSampler, axis: Int) {
        count = c.count
        let inside = c.map { $0 >= -0.5 && $0 < Double(extent) - 0.5 }
        self.inside = inside
        insideIndices = c.indices.filter { inside[$0] }
        maskIndex = c.indices.map { t in
            guard inside[t] else { return -1 }
            let m = Int((c[t] + 0.5).rounded(.down)) - maskOffset
            return m >= 0 && m < maskSize ? m : -1
        }
        support = c.indices.map { t in inside[t] ? spline.support(axis, c[t]) : (SIMD4(), SIMD4()) }
    }
}

protocol Sampler: Sendable {
    func value(at c: SIMD3<Double>) -> Double
}

/// itk::NearestNeighborInterpolateImageFunction: the voxel at round-half-up of the continuous index.
struct NearestSampler: Sampler {
    let image: ImageWindow
    func value(at c: SIMD3<Double>) -> Double {
        let r = SIMD3<Int>((c + 0.5).rounded(.down))
        return image[r.x, r.y, r.z]
    }
}

/// itk::LinearInterpolateImageFunction: trilinear, neighbours beyond the last voxel clamped to it.
struct LinearSampler: Sampler {
    let image: ImageWindow
    func value(at c: SIMD3<Double>) -> Double {
        let s = image.size
        let b = SIMD3<Int>(c.rounded(.down))
        let f = c - SIMD3<Double>(b)
        var v = 0.0
        for dz in 0...1 {
            for dy in 0...1 {
                for dx in 0...1 {
                    let w = (dx == 0 ? 1 - f.x : f.x) * (dy == 0 ? 1 - f.y : f.y) * (dz == 0 ? 1 - f.z : f.z)
                    if w == 0 { continue }
                    let x = min(max(b.x + dx, 0), s.x - 1), y = min(max(b.y + dy, 0), s.y - 1), z = min(max(b.z + dz, 0), s.z - 1)
                    v += w * image[x, y, z]
                }
            }
        }
        return v
    }
}

/// itk::BSplineInterpolateImageFunction of order 3 over itk::BSplineDecompositionImageFilter's coefficients
/// (Unser 1999: pole sqrt(3) - 2, gain 6, mirror boundaries, causal start-up summed over the first
/// ceil(ln 1e-10 / ln |z|) samples when the line is longer), evaluated as ITK does: support floor(x) - 1 ...
/// floor(x) + 2 per axis, indices mirrored at the borders, weights summed with axis 0 fastest.
struct BSplineSampler: Sampler {
    let region: BoundingBox
    let size: SIMD3<Int>
    /// Coefficients on `region` (i fastest), with the full image's extent for mirroring.
    var coefficients: [Double]
    let imageSize: SIMD3<Int>

    /// Coefficients over `held` (in x and y; along z over all of `region`), computed from the values of `region` of
    /// an image of `imageSize`, laid out in `input` as `layout` says (read in place in their stored type, or a
    /// copy), which must hold every index the new grid reaches, with margin. `held` (inside `region`) must hold
    /// every support index the new grid reaches.
    ///
    /// ITK's passes run along x, y, then z (an axis one voxel long is left as it is, as ITK does). The x and y
    /// passes go slab by slab of z through one small buffer, keeping only `held`'s extent in x and y; the z pass
    /// then filters that result in place. So the memory written is the coefficients' own (the part of the x pass'
    /// result outside `held`'s y extent, three times the coefficients on a CT, is never held at once): on this
    /// machine first-touched memory costs about as much as the filtering.
    init<T: VoxelScalar>(_ input: UnsafeBufferPointer<T>, layout: GridLayout, region whole: BoundingBox, imageSize: SIMD3<Int>,
                         holding held: BoundingBox) {
        precondition(layout.size == whole.size && whole.contains(held), "the coefficients held must lie in the region")
        let region = BoundingBox(lower: SIMD3(held.lower.x, held.lower.y, whole.lower.z), upper: SIMD3(held.upper.x, held.upper.y, whole.upper.z))
        let size = region.size
        self.region = region
        self.size = size
        self.imageSize = imageSize
        let pole = 3.0.squareRoot() - 2
        let tolerance = 1e-10
        let kernel: @Sendable (UnsafeMutablePointer<SIMD8<Double>>, Int, Int, UnsafeMutablePointer<SIMD8<Double>>) -> UnsafePointer<SIMD8<Double>> = { lines, n, width, _ in
            if n > 1 { Self.decompose(lines, count: n, width: width, pole: pole, tolerance: tolerance) }
            return UnsafePointer(lines)
        }
        let keepX = (held.lower.x - whole.lower.x)..<(held.upper.x - whole.lower.x + 1)
        let keepY = (held.lower.y - whole.lower.y)..<(held.upper.y - whole.lower.y + 1)
        let plane = size.x * size.y, count = plane * size.z
        // About 2 MB of the x pass' result at a time.
        let slab = max(1, (1 << 18) / (size.x * whole.size.y))
        let slabBuffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: size.x * whole.size.y * min(slab, size.z))
        defer { slabBuffer.deallocate() }
        coefficients = [Double](unsafeUninitializedCapacity: count) { result, initialised in
            adviseHugePages(UnsafeMutableRawBufferPointer(result))
            for z0 in stride(from: 0, to: size.z, by: slab) {
                let z = z0..<min(size.z, z0 + slab)
                LineBatches.apply(input, layout: layout.slices(z), axis: 0, keep: keepX, into: slabBuffer, kernel: kernel)
                LineBatches.apply(UnsafeBufferPointer(slabBuffer), layout: GridLayout(contiguous: SIMD3(size.x, whole.size.y, z.count)),
                                  axis: 1, keep: keepY, into: UnsafeMutableBufferPointer(rebasing: result[(z.lowerBound * plane)..<(z.upperBound * plane)]),
                                  kernel: kernel)
            }
            // In place: each batch of lines is read whole before it is written, and keeps every sample.
            if size.z > 1 {
                LineBatches.apply(UnsafeBufferPointer(result), layout: GridLayout(contiguous: size), axis: 2, keep: 0..<size.z,
                                  into: result, kernel: kernel)
            }
            initialised = count
        }
    }

    /// BSplineDecompositionImageFilter::DataToCoefficients1D on eight lines per vector (`width` vectors, sample t of
    /// vector w at `c[t * width + w]`), each lane as ITK computes one line.
    static func decompose(_ c: UnsafeMutablePointer<SIMD8<Double>>, count n: Int, width W: Int, pole z: Double, tolerance: Double) {
        let gain = (1 - z) * (1 - 1 / z)
        for i in 0..<(n * W) { c[i] *= gain }
        // Causal initialisation (mirror boundaries).
        let horizon = Int((log(tolerance) / log(abs(z))).rounded(.up))
        for w in 0..<W {
            var zn = z
            if horizon < n {
                var sum = c[w]
                for t in 1..<horizon {
                    sum += zn * c[t * W + w]
                    zn *= z
                }
                c[w] = sum
            } else {
                let iz = 1 / z
                var z2n = pow(z, Double(n - 1))
                var sum = c[w] + z2n * c[(n - 1) * W + w]
                z2n *= z2n * iz
                if n > 2 {
                    for t in 1...(n - 2) {
                        sum += (zn + z2n) * c[t * W + w]
                        zn *= z
                        z2n *= iz
                    }
                }
                c[w] = sum / (1 - zn * zn)
            }
        }
        for t in 1..<n {
            let now = c + t * W, before = now - W
            for w in 0..<W { now[w] += z * before[w] }
        }
        // Anti-causal initialisation and recursion.
        let last = c + (n - 1) * W, beforeLast = last - W
        for w in 0..<W { last[w] = (z / (z * z - 1)) * (z * beforeLast[w] + last[w]) }
        for t in stride(from: n - 2, through: 0, by: -1) {
            let now = c + t * W, after = now + W
            for w in 0..<W { now[w] = z * (after[w] - now[w]) }
        }
    }

    /// The four support indices (into the coefficient region) and weights along axis `d` at continuous index `x`.
    func support(_ d: Int, _ x: Double) -> (index: SIMD4<Int>, weights: SIMD4<Double>) {
        let first = Int(x.rounded(.down)) - 1
        let w = x - Double(first + 1)
        let w3 = (1.0 / 6.0) * w * w * w
        let w0 = (1.0 / 6.0) + 0.5 * w * (w - 1) - w3
        let w2 = w + w0 - 2 * w3
        let w1 = 1 - w0 - w2 - w3
        let length = imageSize[d]
        var index = SIMD4<Int>()
        for k in 0..<4 {
            var e = first + k
            if length == 1 {
                e = 0
            } else {
                let period = 2 * length - 2
                e = e < 0 ? (-e - period * ((-e) / period)) : (e - period * (e / period))
                if e >= length { e = period - e }
            }
            // Into the coefficient region (which holds every index the new grid reaches).
            index[k] = e - region.lower[d]
        }
        return (index, SIMD4(w0, w1, w2, w3))
    }

    func value(at x: SIMD3<Double>) -> Double {
        value(support(0, x.x), support(1, x.y), support(2, x.z))
    }

    typealias Support = (index: SIMD4<Int>, weights: SIMD4<Double>)

    /// Slice `k` of a new grid whose axes run along the old grid's (`axes`: one table per axis): the image
    /// interpolated, cast to `pixelType`, and the mask's nearest neighbour, written where the new voxel lies
    /// inside the old image (elsewhere the outputs keep their 0). Each voxel's 64 terms are summed in ITK's
    /// order, as `value` does; two voxels of a row go side by side (one SIMD lane each, the same operations),
    /// so that each sum's chain of dependent additions overlaps the other's.
    func resampleSlice(_ k: Int, axes: [AxisTable], mask: Mask, pixelType: PyRadiomicsPixelType,
                       maskOut: UnsafeMutablePointer<UInt8>, imageOut: UnsafeMutablePointer<Double>) {
        let (x, y, z) = (axes[0], axes[1], axes[2])
        guard z.inside[k] else { return }
        let sz = z.support[k], plane = size.x * size.y
        let maskGeometry = mask.geometry
        mask.voxels.withUnsafeBufferPointer { maskIn in
            coefficients.withUnsafeBufferPointer { coefficients in
                let coef = coefficients.baseAddress!
                x.insideIndices.withUnsafeBufferPointer { columns in
                    for j in 0..<y.count where y.inside[j] {
                        let sy = y.support[j]
                        var rows = SIMD16<Int>()
                        for c in 0..<4 {
                            for b in 0..<4 { rows[c * 4 + b] = sz.index[c] * plane + sy.index[b] * size.x }
                        }
                        let maskRow = z.maskIndex[k] >= 0 && y.maskIndex[j] >= 0 ? maskGeometry.linearIndex(0, y.maskIndex[j], z.maskIndex[k]) : -1
                        let out = (k * y.count + j) * x.count
                        var n = 0
                        while n < columns.count {
                            let i0 = columns[n], i1 = columns[min(n + 1, columns.count - 1)]
                            let s0 = x.support[i0], s1 = x.support[i1]
                            var v = SIMD2<Double>(repeating: 0)
                            for c in 0..<4 {
                                let wz = sz.weights[c]
                                for b in 0..<4 {
                                    let wy = sy.weights[b], row = coef + rows[c * 4 + b]
                                    for a in 0..<4 {
                                        let w = SIMD2(s0.weights[a], s1.weights[a]) * wy * wz
                                        v += w * SIMD2(row[s0.index[a]], row[s1.index[a]])
                                    }
                                }
                            }
                            @inline(__always) func write(_ i: Int, _ value: Double) {
                                imageOut[out + i] = pixelType.cast(value)
                                let m = x.maskIndex[i]
                                maskOut[out + i] = maskRow >= 0 && m >= 0 && maskIn[maskRow + m] != 0 ? 1 : 0
                            }
                            write(i0, v[0])
                            if n + 1 < columns.count { write(i1, v[1]) }
                            n += 2
                        }
                    }
                }
            }
        }
    }

    /// The interpolated value from each axis' support, summed as ITK does (x fastest, weight wx wy wz).
    @inline(__always)
    func value(_ sx: (index: SIMD4<Int>, weights: SIMD4<Double>), _ sy: (index: SIMD4<Int>, weights: SIMD4<Double>),
               _ sz: (index: SIMD4<Int>, weights: SIMD4<Double>)) -> Double {
        var v = 0.0
        for c in 0..<4 {
            let zOff = sz.index[c] * size.x * size.y
            for b in 0..<4 {
                let yOff = zOff + sy.index[b] * size.x
                for a in 0..<4 {
                    let w = sx.weights[a] * sy.weights[b] * sz.weights[c]
                    v += w * coefficients[yOff + sx.index[a]]
                }
            }
        }
        return v
    }
}
