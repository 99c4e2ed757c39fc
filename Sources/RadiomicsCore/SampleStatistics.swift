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
    /// least-significant-digit radix sort on the bit patterns, 16 bits at a time: four linear passes instead of a
    /// comparison sort's n log n (an ROI's 10^5 filtered values sort about five times faster).
    public static func radixSorted(_ values: [Double]) -> [Double] {
        let n = values.count
        guard n > 256 else { return values.sorted() }
        // Order-preserving keys: flip every bit of a negative number, only the sign bit of a positive one.
        var keys = values.map { v -> UInt64 in
            let b = v.bitPattern
            return b & (1 << 63) != 0 ? ~b : b | (1 << 63)
        }
        var buffer = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 1 << 16)
        for pass in 0..<4 {
            let shift = UInt64(16 * pass)
            for i in 0..<counts.count { counts[i] = 0 }
            for k in keys { counts[Int((k >> shift) & 0xFFFF)] += 1 }
            // A digit that every key shares leaves the order as it is.
            if counts.contains(n) { continue }
            var running = 0
            for i in 0..<counts.count { let c = counts[i]; counts[i] = running; running += c }
            for k in keys {
                let d = Int((k >> shift) & 0xFFFF)
                buffer[counts[d]] = k
                counts[d] += 1
            }
            swap(&keys, &buffer)
        }
        return keys.map { k in Double(bitPattern: k & (1 << 63) != 0 ? k & ~(1 << 63) : ~k) }
    }
}
