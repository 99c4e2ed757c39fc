import Foundation
import RadiomicsCore

/// The region as PyRadiomics sees it after its own preprocessing (normalisation, resampling, cropping,
/// re-segmentation): image and mask on the mask's bounding box.
///
/// Arrays are stored i fastest, then j, then k (SimpleITK's x, y, z index order; PyRadiomics' numpy arrays
/// are the same data indexed [z, y, x]). `spacing` is (x, y, z) in mm.
public struct PyRadiomicsROI: Sendable {
    public var size: SIMD3<Int>
    public var spacing: SIMD3<Double>
    /// Intensity of every voxel of the box.
    public let image: [Double]
    /// 1 inside the ROI, else 0.
    public let mask: [UInt8]
    /// Intensities of the ROI voxels, in storage order (gathered once: the discretisation, first-order statistics
    /// and the finiteness check all read them).
    public let roiValues: [Double]

    public init(size: SIMD3<Int>, spacing: SIMD3<Double>, image: [Double], mask: [UInt8]) {
        precondition(image.count == size.x * size.y * size.z && mask.count == image.count, "arrays must match the size")
        self.size = size
        self.spacing = spacing
        self.image = image
        self.mask = mask
        var values: [Double] = []
        values.reserveCapacity(mask.withUnsafeBytes { ByteScan.countNonZero($0) })
        for (x, m) in zip(image, mask) where m != 0 { values.append(x) }
        roiValues = values
    }
}

/// PyRadiomics' discretisation (radiomics.imageoperations.getBinEdges and binImage).
///
/// Fixed bin width: edges run from `min - (min mod binWidth)` (Python's floored modulo) in steps of
/// `binWidth` up to but excluding `max + 2 binWidth` (numpy.arange); a flat region gets the single bin
/// [edge - 0.5, edge + 0.5]. Fixed bin count: numpy.histogram's `binCount + 1` evenly spaced edges from min to
/// max, the last raised by 1 so the maximum falls in the top bin. Voxels get numpy.digitize's index: bin i
/// holds edges[i-1] <= x < edges[i], so grey levels start at 1.
public enum PyRadiomicsBinning {
    public static func edges(_ values: [Double], binWidth: Double, binCount: Int?) -> [Double] {
        guard let lo = values.min(), let hi = values.max() else { return [] }
        if let binCount {
            // numpy.histogram: linspace(min, max, binCount + 1); equal min and max widen to +-0.5.
            let (a, b) = lo == hi ? (lo - 0.5, hi + 0.5) : (lo, hi)
            let step = (b - a) / Double(binCount) // numpy.linspace: i * step + start, last = stop
            var e = (0...binCount).map { Double($0) * step + a }
            e[binCount] = b
            e[binCount] += 1
            return e
        }
        let low = lo - (lo - (lo / binWidth).rounded(.down) * binWidth)
        let high = hi + 2 * binWidth
        let count = Int(((high - low) / binWidth).rounded(.up))
        var e = (0..<max(count, 0)).map { low + Double($0) * binWidth }
        if e.count == 1 { e = [e[0] - 0.5, e[0] + 0.5] }
        return e
    }

    /// numpy.digitize(x, edges) for increasing edges: the number of edges <= x.
    @inlinable public static func digitize(_ x: Double, _ edges: [Double]) -> Int32 {
        var lo = 0, hi = edges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if edges[mid] <= x { lo = mid + 1 } else { hi = mid }
        }
        return Int32(lo)
    }

    /// `digitize(x, edges)` for edges about evenly spaced from `edges[0]` by `step` (numpy.arange's and
    /// numpy.histogram's): the bin the spacing points to, then moved while an edge says otherwise, so the answer is
    /// digitize's whatever the rounding of the edges; a binary search for values the guess cannot place.
    @inlinable static func digitize(_ x: Double, _ edges: UnsafeBufferPointer<Double>, step: Double) -> Int32 {
        let guess = (x - edges[0]) / step + 1
        guard guess.isFinite, guess > -1, guess < Double(edges.count) + 1 else { return digitize(x, Array(edges)) }
        var i = min(max(Int(guess.rounded(.down)), 0), edges.count)
        while i < edges.count && edges[i] <= x { i += 1 }
        while i > 0 && edges[i - 1] > x { i -= 1 }
        return Int32(i)
    }

    /// Grey levels of the ROI voxels (0 outside), with the edges used.
    public static func discretise(_ roi: PyRadiomicsROI, binWidth: Double, binCount: Int?) -> (levels: [Int32], edges: [Double]) {
        let e = edges(roi.roiValues, binWidth: binWidth, binCount: binCount)
        let step = e.count > 1 ? e[1] - e[0] : 1
        let levels = e.withUnsafeBufferPointer { edges in
            zip(roi.image, roi.mask).map { x, m in m != 0 ? digitize(x, edges, step: step) : 0 }
        }
        return (levels, e)
    }
}

extension PyRadiomicsROI {
    /// The mask's bounding box of `image`: voxels of `mask` equal to `label` (or any non-zero voxel for nil)
    /// are the ROI. Nil when the label is absent. Image and mask must share the grid.
    public static func cropped(image: Volume<Double>, mask: Mask, label: Int?) -> PyRadiomicsROI? {
        precondition(image.size == mask.size, "image and mask must share the grid")
        let selected = mask.voxels.map { v -> UInt8 in (label.map { Int(v) == $0 } ?? (v != 0)) ? 1 : 0 }
        let binary = Mask(geometry: mask.geometry, voxels: selected)
        guard let box = binary.boundingBox else { return nil }
        let img = image.cropped(to: box), m = binary.cropped(to: box)
        return PyRadiomicsROI(size: box.size, spacing: image.geometry.spacing, image: img.voxels, mask: m.voxels)
    }

    @inlinable public func index(_ i: Int, _ j: Int, _ k: Int) -> Int { i + size.x * (j + size.y * k) }
}
