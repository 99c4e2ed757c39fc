/// Descriptive statistics of samples (arrays of Double) that models, typing and reports share. The IBSI and
/// PyRadiomics first-order features keep their own definitions (weighted histograms, numpy's conventions per
/// feature), documented beside them.
public enum SampleStatistics {
    public static func mean(_ x: [Double]) -> Double { x.isEmpty ? .nan : x.reduce(0, +) / Double(x.count) }

    /// Unbiased sample variance (divisor n - 1); 0 for fewer than two values.
    public static func variance(_ x: [Double]) -> Double {
        guard x.count > 1 else { return 0 }
        let m = mean(x)
        return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
    }

    public static func standardDeviation(_ x: [Double]) -> Double { variance(x).squareRoot() }

    /// Sample quantile with linear interpolation between order statistics (Hyndman-Fan type 7, R's and numpy's
    /// default): h = (n − 1) q, Q = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎), on `sorted` ascending values.
    public static func quantile(sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// The median (type 7: the mean of the two middle values for an even count), by selection in O(n).
    public static func median(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return .nan }
        var a = x
        let upper = select(&a, a.count / 2)
        if a.count % 2 == 1 { return upper }
        // The lower middle is the largest of what selection left below the upper one.
        return (upper + a[0..<(a.count / 2)].max()!) / 2
    }

    /// The k-th smallest value (0-based); `a` is left partitioned around it (Hoare's quickselect, middle pivot).
    public static func select(_ a: inout [Double], _ k: Int) -> Double {
        var lo = 0, hi = a.count - 1
        while lo < hi {
            let pivot = a[(lo + hi) / 2]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { break }
        }
        return a[k]
    }
}

extension SampleStatistics {
    /// `values` in ascending order (the order `sorted()` gives for numbers that are not NaN; -0 before +0), by a
    /// least-significant-digit radix sort on the bit patterns, 11 bits at a time: the six digits' counts in one
    /// read of the keys, then six linear passes (skipping a digit every key shares) instead of a comparison sort's
    /// n log n; 2,048 buckets a pass keep the scattered writes within the cache.
    public static func radixSorted(_ values: [Double]) -> [Double] {
        let n = values.count
        guard n > 256 else { return values.sorted() }
        // Order-preserving keys: flip every bit of a negative number, only the sign bit of a positive one.
        var keys = values.map { v -> UInt64 in
            let b = v.bitPattern
            return b & (1 << 63) != 0 ? ~b : b | (1 << 63)
        }
        let bits = 11, radix = 1 << bits, passes = (64 + bits - 1) / bits
        var counts = [Int](repeating: 0, count: radix * passes)
        counts.withUnsafeMutableBufferPointer { counts in
            for k in keys {
                for pass in 0..<passes { counts[pass &* radix &+ Int((k >> UInt64(bits * pass)) & UInt64(radix - 1))] &+= 1 }
            }
        }
        var buffer = [UInt64](repeating: 0, count: n)
        for pass in 0..<passes {
            let shift = UInt64(bits * pass), base = pass * radix
            // A digit that every key shares leaves the order as it is.
            if counts[base..<(base + radix)].contains(n) { continue }
            var running = 0
            for i in base..<(base + radix) { let c = counts[i]; counts[i] = running; running += c }
            keys.withUnsafeBufferPointer { keys in
                buffer.withUnsafeMutableBufferPointer { out in
                    counts.withUnsafeMutableBufferPointer { counts in
                        for k in keys {
                            let d = base &+ Int((k >> shift) & UInt64(radix - 1))
                            out[counts[d]] = k
                            counts[d] &+= 1
                        }
                    }
                }
            }
            swap(&keys, &buffer)
        }
        return keys.map { k in Double(bitPattern: k & (1 << 63) != 0 ? k & ~(1 << 63) : ~k) }
    }
}
