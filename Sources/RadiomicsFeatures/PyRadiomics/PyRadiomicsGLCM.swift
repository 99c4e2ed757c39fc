import Foundation
import RadiomicsCore

/// PyRadiomics 3.1's grey level co-occurrence matrix features (radiomics/glcm.py, matrix from cmatrices.c
/// `calculate_glcm`).
///
/// Matrix: for every direction of `PyRadiomicsAngles.generate` (settings `distances`, `force2D`,
/// `force2Ddimension`) one matrix P(i, j) counting ROI voxels of grey level i whose neighbour at +offset is an ROI
/// voxel of grey level j (neighbours outside the bounding box do not count). With `symmetricalGLCM` P += Pᵀ.
/// Grey levels absent from the ROI are removed, and the remaining grey level *values* are used as i and j
/// (so i, j need not be consecutive), while N_g in Idmn and Idn is the largest grey level in the ROI.
///
/// Aggregation (`weightingNorm`): nil gives features per direction, then the mean over directions (NaN ignored);
/// "no_weighting", "manhattan", "euclidean" or "infinity" sum the direction matrices into one, weighted by
/// exp(-‖offset ⊙ spacing‖²) in that norm (1 for "no_weighting" or an unknown norm). Directions without any pair
/// are dropped when more than one matrix remains.
///
/// Differences from IBSI: PyRadiomics' eps (2⁻⁵²) is added inside every log2 and in the Correlation denominator;
/// Imc2 is NaN (dropped from the mean) when HXY2 < HXY; it adds MCC (sqrt of the second largest eigenvalue of
/// Q(i, j) = Σ_k P(i,k) P(j,k) / (p_x(i) p_y(k) + eps)), names IBSI's joint variance "SumSquares" and has no
/// sum variance (= ClusterTendency) or dissimilarity (= DifferenceAverage).
public enum PyRadiomicsGLCM {
    /// PyRadiomics' non-deprecated GLCM feature names, in its (alphabetical) output order.
    public static let featureNames = [
        "Autocorrelation", "ClusterProminence", "ClusterShade", "ClusterTendency", "Contrast", "Correlation",
        "DifferenceAverage", "DifferenceEntropy", "DifferenceVariance", "Id", "Idm", "Idmn", "Idn", "Imc1", "Imc2",
        "InverseVariance", "JointAverage", "JointEnergy", "JointEntropy", "MCC", "MaximumProbability", "SumAverage",
        "SumEntropy", "SumSquares",
    ]

    /// numpy.spacing(1): the eps PyRadiomics adds in logarithms and divisions.
    static let eps = Double.ulpOfOne

    /// The normalised matrices PyRadiomics computes features from.
    struct Matrices {
        /// Present grey level values, ascending (PyRadiomics' `grayLevels`).
        var greyLevels: [Double]
        /// Largest grey level in the ROI (PyRadiomics' `Ng`).
        var maxLevel: Int
        /// `count` matrices of greyLevels.count² values, row (i) = voxel, column (j) = neighbour; each sums to 1
        /// (NaN everywhere for an empty matrix that was kept).
        var p: [Double]
        var count: Int
    }

    /// The GLCM features of `levels` (PyRadiomics grey levels, >= 1 inside `roi.mask`) in `featureNames` order.
    /// All NaN when the ROI is empty. `grey`: the levels' index when the caller has it (GLRLM uses the same).
    public static func features(levels: [Int32], roi: PyRadiomicsROI, settings: PyRadiomicsSettings,
                                grey: GreyLevelIndex? = nil) -> [(name: String, value: Double)] {
        guard let m = matrices(levels: levels, roi: roi, settings: settings, grey: grey) else {
            return featureNames.map { ($0, .nan) }
        }
        let n = m.greyLevels.count, nf = featureNames.count
        var perAngle = [Double](repeating: 0, count: m.count * nf)
        var secondEigen: [(re: Double, im: Double)] = []
        var anyComplex = false, eigenFailed = false
        m.p.withUnsafeBufferPointer { all in
            for a in 0..<m.count {
                let p = UnsafeBufferPointer(rebasing: all[(a * n * n)..<((a + 1) * n * n)])
                angleFeatures(p, greyLevels: m.greyLevels, maxLevel: m.maxLevel, into: &perAngle[(a * nf)..<((a + 1) * nf)])
                if n >= 2 {
                    guard let ev = qEigenvalues(p, n: n) else { eigenFailed = true; continue }
                    if ev.contains(where: { $0.im != 0 }) { anyComplex = true }
                    // numpy sorts (complex values by real, then imaginary part) ascending and takes [-2].
                    let sorted = ev.sorted { $0.re != $1.re ? $0.re < $1.re : $0.im < $1.im }
                    secondEigen.append(sorted[n - 2])
                }
            }
        }
        var out: [(name: String, value: Double)] = []
        for (f, name) in featureNames.enumerated() {
            let values = (0..<m.count).map { perAngle[$0 * nf + f] }
            switch name {
            case "JointAverage": out.append((name, values.reduce(0, +) / Double(values.count))) // numpy mean, not nanmean
            case "MCC": out.append((name, n < 2 ? 1 : (eigenFailed ? .nan : mcc(secondEigen, complex: anyComplex))))
            default: out.append((name, nanMean(values)))
            }
        }
        return out
    }

    /// numpy.nanmean: the mean of the non-NaN values, NaN when there are none.
    static func nanMean(_ values: [Double]) -> Double {
        var sum = 0.0, k = 0
        for v in values where !v.isNaN { sum += v; k += 1 }
        return k == 0 ? .nan : sum / Double(k)
    }

    /// MCC over directions as glcm.py does it: numpy returns real eigenvalues for all directions unless one of them
    /// is complex; real sqrt of a negative value is NaN (dropped by nanmean), complex sqrt is principal and the real
    /// part of the complex mean is returned.
    /// Known limit: when a direction's Q is rank deficient (second eigenvalue mathematically 0, seen only in tiny
    /// ROIs or with very coarse bins), PyRadiomics' value hangs on the sign of LAPACK's rounding noise (a negative
    /// noise drops the direction from the mean); ours may then count the direction as 0 instead, or vice versa.
    static func mcc(_ second: [(re: Double, im: Double)], complex: Bool) -> Double {
        if !complex { return nanMean(second.map { $0.re.squareRoot() }) }
        var sum = 0.0, k = 0
        for z in second where !z.re.isNaN && !z.im.isNaN {
            // Principal complex square root: real part sqrt((|z| + re) / 2).
            let modulus = (z.re * z.re + z.im * z.im).squareRoot()
            sum += ((modulus + z.re) / 2).squareRoot()
            k += 1
        }
        return k == 0 ? .nan : sum / Double(k)
    }

    /// glcm.py `_calculateMatrix`: counted, symmetrised, weighted, emptied directions dropped, normalised.
    /// Nil when the ROI is empty.
    static func matrices(levels: [Int32], roi: PyRadiomicsROI, settings: PyRadiomicsSettings, grey: GreyLevelIndex? = nil) -> Matrices? {
        guard let grey = grey ?? GreyLevelIndex(levels: levels, mask: roi.mask) else { return nil }
        let n = grey.values.count
        let angles = PyRadiomicsAngles.generate(size: roi.size, distances: settings.distances, force2D: settings.force2D,
                                                force2Ddimension: settings.force2Ddimension)
        let na = angles.count, nn = n * n
        // One direction per core, each streaming the box in storage order; the margin of -1 (as wide as the largest
        // distance) makes a neighbour outside the box count as outside the ROI, without a bounds check.
        let s = roi.size
        let padded = grey.padded(size: s, by: settings.distances.max() ?? 1)
        let ps = padded.size, pad = (ps.x - s.x) / 2
        var pairCounts = [Int](repeating: 0, count: na * nn)
        padded.values.withUnsafeBufferPointer { g in
            pairCounts.withUnsafeMutableBufferPointer { c in
                let shared = UnsafeSendable((g, c))
                parallelFor(na) { a in
                    let (g, c) = shared.value
                    let o = angles[a]
                    let delta = o.x + ps.x * (o.y + ps.y * o.z)
                    let base = a * nn
                    for k in pad..<(pad + s.z) {
                        for j in pad..<(pad + s.y) {
                            var v = pad + ps.x * (j + ps.y * k)
                            for _ in 0..<s.x {
                                let gi = g[v], gj = g[v + delta]
                                if gi >= 0 && gj >= 0 { c[base + Int(gi) * n + Int(gj)] += 1 }
                                v += 1
                            }
                        }
                    }
                }
            }
        }
        var counts = pairCounts.map(Double.init)
        if settings.symmetricalGLCM {
            for a in 0..<na {
                let base = a * nn
                for i in 0..<n {
                    for j in i..<n {
                        let t = counts[base + i * n + j] + counts[base + j * n + i]
                        counts[base + i * n + j] = t
                        counts[base + j * n + i] = t
                    }
                }
            }
        }
        var p = counts, count = na
        if let norm = settings.weightingNorm {
            var merged = [Double](repeating: 0, count: nn)
            for (a, o) in angles.enumerated() {
                let d = SIMD3(Double(abs(o.x)), Double(abs(o.y)), Double(abs(o.z))) * roi.spacing
                let w: Double
                switch norm {
                case "infinity": w = exp(-pow(max(d.x, d.y, d.z), 2))
                case "euclidean": w = exp(-(d * d).sum())
                case "manhattan": w = exp(-pow(d.sum(), 2))
                default: w = 1 // "no_weighting", and PyRadiomics' fallback for an unknown norm
                }
                for e in 0..<nn { merged[e] += counts[a * nn + e] * w }
            }
            p = merged
            count = 1
        }
        // Drop directions without pairs (only when more than one matrix), then normalise (0 sum -> NaN).
        var kept: [Double] = []
        kept.reserveCapacity(p.count)
        var keptCount = 0
        for a in 0..<count {
            let slice = p[(a * nn)..<((a + 1) * nn)]
            let total = slice.reduce(0, +)
            if total == 0 && count > 1 { continue }
            kept.append(contentsOf: slice.map { $0 / (total == 0 ? .nan : total) })
            keptCount += 1
        }
        if keptCount == 0 { // all directions empty: numpy keeps nothing, every feature is NaN
            return Matrices(greyLevels: grey.values, maxLevel: grey.maxLevel, p: [Double](repeating: .nan, count: nn), count: 1)
        }
        return Matrices(greyLevels: grey.values, maxLevel: grey.maxLevel, p: kept, count: keptCount)
    }

    /// The 24 features (in `featureNames` order) of one normalised matrix, as glcm.py computes them per direction.
    static func angleFeatures(_ p: UnsafeBufferPointer<Double>, greyLevels g: [Double], maxLevel: Int,
                              into out: inout ArraySlice<Double>) {
        let n = g.count, ng = maxLevel
        var px = [Double](repeating: 0, count: n), py = [Double](repeating: 0, count: n)
        var sumP = [Double](repeating: 0, count: 2 * ng - 1) // p_{x+y}(k), k = 2 ... 2 Ng
        var diffP = [Double](repeating: 0, count: ng)        // p_{x-y}(k), k = 0 ... Ng - 1
        var ux = 0.0, uy = 0.0, hxy = 0.0, energy = 0.0, autoCorr = 0.0, contrast = 0.0, maxProb = -Double.infinity
        for i in 0..<n {
            for j in 0..<n {
                let v = p[i * n + j]
                px[i] += v; py[j] += v
                ux += g[i] * v; uy += g[j] * v
                hxy -= v * log2(v + eps)
                energy += v * v
                autoCorr += v * g[i] * g[j]
                contrast += v * (g[i] - g[j]) * (g[i] - g[j])
                maxProb = v.isNaN || maxProb.isNaN ? .nan : max(maxProb, v) // numpy.amax propagates NaN
                sumP[Int(g[i] + g[j]) - 2] += v
                diffP[Int(abs(g[i] - g[j]))] += v
            }
        }
        var clustTend = 0.0, clustShade = 0.0, clustProm = 0.0, varX = 0.0, varY = 0.0, cov = 0.0, hxy1 = 0.0, hxy2 = 0.0
        for i in 0..<n {
            for j in 0..<n {
                let v = p[i * n + j]
                let c = g[i] + g[j] - ux - uy
                clustTend += v * c * c
                clustShade += v * c * c * c
                clustProm += v * c * c * c * c
                varX += v * (g[i] - ux) * (g[i] - ux)
                varY += v * (g[j] - uy) * (g[j] - uy)
                cov += v * (g[i] - ux) * (g[j] - uy)
                let pxy = px[i] * py[j]
                hxy1 -= v * log2(pxy + eps)
                hxy2 -= pxy * log2(pxy + eps)
            }
        }
        let sigma = varX.squareRoot() * varY.squareRoot()
        let correlation = sigma == 0 ? 1 : cov / (sigma + eps)
        var hx = 0.0, hy = 0.0
        for i in 0..<n {
            hx -= px[i] * log2(px[i] + eps)
            hy -= py[i] * log2(py[i] + eps)
        }
        let div = hx.isNaN ? hy : (hy.isNaN ? hx : max(hx, hy)) // numpy.fmax
        let imc1 = div != 0 ? (hxy - hxy1) / div : (div.isNaN ? .nan : 0)
        let imc2 = hxy2 == hxy ? 0 : (1 - exp(-2 * (hxy2 - hxy))).squareRoot()

        var diffAvg = 0.0, diffEntropy = 0.0, id = 0.0, idm = 0.0, idmn = 0.0, idn = 0.0, invVar = 0.0
        let ngd = Double(ng)
        for k in 0..<ng {
            let v = diffP[k], kd = Double(k)
            diffAvg += kd * v
            diffEntropy -= v * log2(v + eps)
            id += v / (1 + kd)
            idm += v / (1 + kd * kd)
            idmn += v / (1 + kd * kd / (ngd * ngd))
            idn += v / (1 + kd / ngd)
            if k > 0 { invVar += v / (kd * kd) }
        }
        var diffVar = 0.0
        for k in 0..<ng { diffVar += diffP[k] * (Double(k) - diffAvg) * (Double(k) - diffAvg) }
        var sumAvg = 0.0, sumEntropy = 0.0
        for (e, v) in sumP.enumerated() {
            sumAvg += Double(e + 2) * v
            sumEntropy -= v * log2(v + eps)
        }
        let values = [
            autoCorr, clustProm, clustShade, clustTend, contrast, correlation, diffAvg, diffEntropy, diffVar, id, idm,
            idmn, idn, imc1, imc2, invVar, ux, energy, hxy, .nan /* MCC, over all directions */, maxProb, sumAvg,
            sumEntropy, varX,
        ]
        for (f, v) in values.enumerated() { out[out.startIndex + f] = v }
    }

    /// Eigenvalues of glcm.py's MCC matrix Q(i, j) = Σ_k P(i,k) P(j,k) / (p_x(i) p_y(k) + eps); nil when P holds NaN.
    static func qEigenvalues(_ p: UnsafeBufferPointer<Double>, n: Int) -> [(re: Double, im: Double)]? {
        if p.contains(where: { $0.isNaN }) { return nil }
        var px = [Double](repeating: 0, count: n), py = [Double](repeating: 0, count: n)
        for i in 0..<n { for j in 0..<n { px[i] += p[i * n + j]; py[j] += p[i * n + j] } }
        var q = [Double](repeating: 0, count: n * n)
        // Row i, column j: Σ_k p(i,k) p(j,k) / (px(i) py(k) + eps); weights w_ik = p(i,k) / (px(i) py(k) + eps).
        var w = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for k in 0..<n { w[i * n + k] = p[i * n + k] / (px[i] * py[k] + eps) } }
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0
                for k in 0..<n { s += w[i * n + k] * p[j * n + k] }
                q[i * n + j] = s
            }
        }
        return eigenvalues(&q, n: n)
    }
}

extension PyRadiomicsGLCM {
/// Present grey levels of an ROI and each voxel's index among them (PyRadiomics removes absent grey levels
/// from its matrices and uses the present values as i). Shared with PyRadiomicsGLRLM.
public struct GreyLevelIndex: Sendable {
    /// Present grey level values, ascending.
    var values: [Double]
    /// Largest present grey level (PyRadiomics' Ng).
    var maxLevel: Int
    /// Per box voxel: index into `values`, -1 outside the ROI.
    var index: [Int32]

    public init?(levels: [Int32], mask: [UInt8]) {
        var maxLevel: Int32 = 0
        for (l, m) in zip(levels, mask) where m != 0 { maxLevel = max(maxLevel, l) }
        // Voxels of the mask with grey level < 1 cannot occur with PyRadiomics' binning; they are left out.
        guard maxLevel > 0 else { return nil }
        var present = [Bool](repeating: false, count: Int(maxLevel) + 1)
        for (l, m) in zip(levels, mask) where m != 0 && l > 0 { present[Int(l)] = true }
        var lookup = [Int32](repeating: -1, count: Int(maxLevel) + 1), values: [Double] = []
        for l in 1...Int(maxLevel) where present[l] {
            lookup[l] = Int32(values.count)
            values.append(Double(l))
        }
        self.values = values
        self.maxLevel = Int(maxLevel)
        index = zip(levels, mask).map { l, m in m != 0 && l > 0 ? lookup[Int(l)] : -1 }
    }

    /// The index on the box of `size` grown by `pad` voxels on every side, -1 in the margin.
    func padded(size s: SIMD3<Int>, by pad: Int) -> PyRadiomicsPaddedGrid {
        index.withUnsafeBufferPointer { src in PyRadiomicsPaddedGrid(boxSize: s, pad: pad, outside: -1) { src[$0] } }
    }
}
}

extension PyRadiomicsGLCM {
    /// Eigenvalues of the general real n x n matrix `a` (row-major, overwritten), as numpy.linalg.eigvals (LAPACK
    /// dgeev) would give them up to rounding: diagonal balancing, Householder reduction to upper Hessenberg form,
    /// then Francis double-shift QR iterations. Nil if the iterations do not converge.
    static func eigenvalues(_ a: inout [Double], n: Int) -> [(re: Double, im: Double)]? {
        if n == 0 { return [] }
        a.withUnsafeMutableBufferPointer { m in
            balance(m, n: n)
            reduceToHessenberg(m, n: n)
        }
        return a.withUnsafeMutableBufferPointer { hessenbergEigenvalues($0, n: n) }
    }

    /// Scales rows and columns by powers of 2 so that their off-diagonal norms are similar (similarity transform).
    static func balance(_ a: UnsafeMutableBufferPointer<Double>, n: Int) {
        var converged = false
        while !converged {
            converged = true
            for i in 0..<n {
                var c = 0.0, r = 0.0
                for j in 0..<n where j != i {
                    c += abs(a[j * n + i])
                    r += abs(a[i * n + j])
                }
                if c == 0 || r == 0 { continue }
                let total = c + r
                var f = 1.0, g = r / 2
                while c < g { f *= 2; c *= 4 }
                g = r * 2
                while c > g { f /= 2; c /= 4 }
                if (c + r) / f < 0.95 * total {
                    converged = false
                    for j in 0..<n { a[i * n + j] /= f }
                    for j in 0..<n { a[j * n + i] *= f }
                }
            }
        }
    }

    /// Householder similarity transforms zeroing everything below the first subdiagonal.
    static func reduceToHessenberg(_ a: UnsafeMutableBufferPointer<Double>, n: Int) {
        guard n > 2 else { return }
        var v = [Double](repeating: 0, count: n)
        for k in 0..<(n - 2) {
            var scale = 0.0
            for i in (k + 1)..<n { scale += abs(a[i * n + k]) }
            if scale == 0 { continue }
            var h = 0.0
            for i in (k + 1)..<n { v[i] = a[i * n + k] / scale; h += v[i] * v[i] }
            var g = h.squareRoot()
            if v[k + 1] > 0 { g = -g }
            h -= v[k + 1] * g
            v[k + 1] -= g
            // A <- (I - v vᵀ / h) A (I - v vᵀ / h)
            for j in k..<n {
                var f = 0.0
                for i in (k + 1)..<n { f += v[i] * a[i * n + j] }
                f /= h
                for i in (k + 1)..<n { a[i * n + j] -= f * v[i] }
            }
            for i in 0..<n {
                var f = 0.0
                for j in (k + 1)..<n { f += v[j] * a[i * n + j] }
                f /= h
                for j in (k + 1)..<n { a[i * n + j] -= f * v[j] }
            }
            a[(k + 1) * n + k] = scale * g
            for i in (k + 2)..<n { a[i * n + k] = 0 }
        }
    }

    /// Eigenvalues of an upper Hessenberg matrix by Francis double-shift QR with deflation (the classic EISPACK
    /// `hqr` scheme); complex pairs come out as (re, ±im).
    static func hessenbergEigenvalues(_ m: UnsafeMutableBufferPointer<Double>, n: Int) -> [(re: Double, im: Double)]? {
        func at(_ i: Int, _ j: Int) -> Double { m[i * n + j] }
        func set(_ i: Int, _ j: Int, _ v: Double) { m[i * n + j] = v }
        var wr = [Double](repeating: 0, count: n), wi = [Double](repeating: 0, count: n)
        var norm = 0.0
        for i in 0..<n { for j in max(i - 1, 0)..<n { norm += abs(at(i, j)) } }
        var hi = n - 1, shift = 0.0
        while hi >= 0 {
            var its = 0, lo = 0
            repeat {
                // Find the lowest row lo whose subdiagonal element is negligible.
                lo = hi
                while lo >= 1 {
                    var s = abs(at(lo - 1, lo - 1)) + abs(at(lo, lo))
                    if s == 0 { s = norm }
                    if abs(at(lo, lo - 1)) + s == s { set(lo, lo - 1, 0); break }
                    lo -= 1
                }
                var x = at(hi, hi)
                if lo == hi { // one root
                    wr[hi] = x + shift; wi[hi] = 0
                    hi -= 1
                } else {
                    var y = at(hi - 1, hi - 1), w = at(hi, hi - 1) * at(hi - 1, hi)
                    if lo == hi - 1 { // two roots of the trailing 2 x 2 block
                        let p = 0.5 * (y - x), q = p * p + w
                        var z = abs(q).squareRoot()
                        x += shift
                        if q >= 0 {
                            z = p + (p >= 0 ? z : -z)
                            wr[hi - 1] = x + z; wr[hi] = x + z
                            if z != 0 { wr[hi] = x - w / z }
                            wi[hi - 1] = 0; wi[hi] = 0
                        } else {
                            wr[hi - 1] = x + p; wr[hi] = x + p
                            wi[hi - 1] = -z; wi[hi] = z
                        }
                        hi -= 2
                    } else {
                        if its == 60 { return nil }
                        if its == 10 || its == 20 { // exceptional shift
                            shift += x
                            for i in 0...hi { set(i, i, at(i, i) - x) }
                            let s = abs(at(hi, hi - 1)) + abs(at(hi - 1, hi - 2))
                            x = 0.75 * s; y = x; w = -0.4375 * s * s
                        }
                        its += 1
                        // Look for two consecutive small subdiagonal elements.
                        var mm = hi - 2, p = 0.0, q = 0.0, r = 0.0, z = 0.0
                        while mm >= lo {
                            z = at(mm, mm)
                            let r0 = x - z, s0 = y - z
                            p = (r0 * s0 - w) / at(mm + 1, mm) + at(mm, mm + 1)
                            q = at(mm + 1, mm + 1) - z - r0 - s0
                            r = at(mm + 2, mm + 1)
                            let s = abs(p) + abs(q) + abs(r)
                            p /= s; q /= s; r /= s
                            if mm == lo { break }
                            let u = abs(at(mm, mm - 1)) * (abs(q) + abs(r))
                            let v = abs(p) * (abs(at(mm - 1, mm - 1)) + abs(z) + abs(at(mm + 1, mm + 1)))
                            if u + v == v { break }
                            mm -= 1
                        }
                        for i in (mm + 2)...hi {
                            set(i, i - 2, 0)
                            if i != mm + 2 { set(i, i - 3, 0) }
                        }
                        // Double-shift QR step on rows/columns lo...hi.
                        for k in mm..<hi {
                            if k != mm {
                                p = at(k, k - 1); q = at(k + 1, k - 1); r = k != hi - 1 ? at(k + 2, k - 1) : 0
                                x = abs(p) + abs(q) + abs(r)
                                if x != 0 { p /= x; q /= x; r /= x }
                            }
                            let norm3 = (p * p + q * q + r * r).squareRoot()
                            let s = p >= 0 ? norm3 : -norm3
                            if s == 0 { continue }
                            if k == mm {
                                if lo != mm { set(k, k - 1, -at(k, k - 1)) }
                            } else {
                                set(k, k - 1, -s * x)
                            }
                            p += s
                            x = p / s; y = q / s; z = r / s; q /= p; r /= p
                            for j in k...hi {
                                p = at(k, j) + q * at(k + 1, j)
                                if k != hi - 1 { p += r * at(k + 2, j); set(k + 2, j, at(k + 2, j) - p * z) }
                                set(k + 1, j, at(k + 1, j) - p * y)
                                set(k, j, at(k, j) - p * x)
                            }
                            for i in lo...min(hi, k + 3) {
                                p = x * at(i, k) + y * at(i, k + 1)
                                if k != hi - 1 { p += z * at(i, k + 2); set(i, k + 2, at(i, k + 2) - p * r) }
                                set(i, k + 1, at(i, k + 1) - p * q)
                                set(i, k, at(i, k) - p)
                            }
                        }
                    }
                }
            } while lo < hi - 1
        }
        return (0..<n).map { (wr[$0], wi[$0]) }
    }
}
