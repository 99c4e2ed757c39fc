/// Whole-volume passes over bytes (masks, label images), eight bytes per step in plain integer arithmetic that
/// the compiler vectorises further: a 512 x 512 x 300 mask is 79 MB, and these passes should cost what
/// reading it costs.
public enum ByteScan {
    static let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    static let high: UInt64 = 0x8080_8080_8080_8080
    static let ones: UInt64 = 0x0101_0101_0101_0101

    /// The high bit of each byte of `w` that is not zero.
    @inline(__always) static func nonZeroBytes(_ w: UInt64) -> UInt64 { (((w & low7) &+ low7) | w) & high }

    /// How many bytes are not zero.
    public static func countNonZero(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let n = bytes.count, words = n / 8
        var total = 0
        for w in 0..<words {
            total &+= nonZeroBytes(base.loadUnaligned(fromByteOffset: 8 * w, as: UInt64.self)).nonzeroBitCount
        }
        for i in (8 * words)..<n where base.load(fromByteOffset: i, as: UInt8.self) != 0 { total += 1 }
        return total
    }

    /// Every byte becomes 1 where it equals `value` (or, for nil, where it is not zero), else 0.
    public static func select(_ bytes: UnsafeMutableRawBufferPointer, equalTo value: UInt8?) {
        guard let base = bytes.baseAddress else { return }
        let n = bytes.count, words = n / 8
        if let value {
            let pattern = UInt64(value) &* ones
            for w in 0..<words {
                let x = base.loadUnaligned(fromByteOffset: 8 * w, as: UInt64.self) ^ pattern
                base.storeBytes(of: (~nonZeroBytes(x) & high) >> 7, toByteOffset: 8 * w, as: UInt64.self)
            }
            for i in (8 * words)..<n {
                base.storeBytes(of: base.load(fromByteOffset: i, as: UInt8.self) == value ? 1 : 0, toByteOffset: i, as: UInt8.self)
            }
        } else {
            for w in 0..<words {
                let x = base.loadUnaligned(fromByteOffset: 8 * w, as: UInt64.self)
                base.storeBytes(of: nonZeroBytes(x) >> 7, toByteOffset: 8 * w, as: UInt64.self)
            }
            for i in (8 * words)..<n {
                base.storeBytes(of: min(base.load(fromByteOffset: i, as: UInt8.self), 1), toByteOffset: i, as: UInt8.self)
            }
        }
    }

    /// Does any byte equal `value` (or, for nil, is any byte not zero)? 32 bytes per step as SIMD comparisons,
    /// which the compiler keeps in vector registers (four times the word-wise scan's speed); the tail byte by byte.
    public static func contains(_ bytes: UnsafeRawBufferPointer, _ value: UInt8?) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let n = bytes.count, blocks = n / 32
        // Compared with `.==` against a whole vector: other forms (`.!=` a scalar, `|` of vectors, `replacing`)
        // fall back to element-wise code.
        let pattern = SIMD32<UInt8>(repeating: value ?? 0)
        var b = 0
        while b < blocks {
            var equal = SIMDMask<SIMD32<Int8>>(repeating: value == nil)
            for u in b..<min(blocks, b + 64) {
                let x = base.loadUnaligned(fromByteOffset: 32 * u, as: SIMD32<UInt8>.self) .== pattern
                if value == nil { equal .&= x } else { equal .|= x }
            }
            if value == nil ? !all(equal) : any(equal) { return true }
            b += 64
        }
        for i in (32 * blocks)..<n {
            let b = base.load(fromByteOffset: i, as: UInt8.self)
            if value.map({ b == $0 }) ?? (b != 0) { return true }
        }
        return false
    }
}
