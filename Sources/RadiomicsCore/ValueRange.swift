/// The smallest and largest of values met one block or one value at a time, compared as Swift's `min` and `max`
/// compare them, the first value starting both: the extremes of an image streamed from its file are those of the
/// image held whole.
public struct ValueRange: Sendable {
    @usableFromInline var lo = 0.0, hi = 0.0, empty = true

    public init() {}

    @inlinable public mutating func add(_ x: Double) {
        if empty {
            (lo, hi, empty) = (x, x, false)
        } else {
            lo = Swift.min(lo, x)
            hi = Swift.max(hi, x)
        }
    }

    @inlinable public mutating func add(_ x: Float) { add(Double(x)) }

    /// A block of integers (their own extremes first, in a loop the compiler vectorises).
    @inlinable public mutating func add(_ v: UnsafeBufferPointer<Int16>) {
        guard var l = v.first else { return }
        var h = l
        for x in v { l = Swift.min(l, x); h = Swift.max(h, x) }
        add(Double(l))
        add(Double(h))
    }

    /// (0, 0) when no value was met.
    public var extremes: (min: Double, max: Double) { empty ? (0, 0) : (lo, hi) }
}
