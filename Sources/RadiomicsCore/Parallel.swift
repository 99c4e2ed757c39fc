import Dispatch
import Foundation

/// A value handed across threads where the caller guarantees disjoint use (e.g. a base pointer whose
/// slices each worker writes alone).
public struct UnsafeSendable<T>: @unchecked Sendable {
    public let value: T
    public init(_ value: T) { self.value = value }
}

/// How many threads one process's parallel loops use: all cores, or RADIOMICS_THREADS (a batch run gives each
/// of its worker processes a share of the cores, so that cases in parallel do not oversubscribe the machine).
public enum ThreadBudget {
    public static let threads: Int = {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if let text = ProcessInfo.processInfo.environment["RADIOMICS_THREADS"], let n = Int(text), n >= 1 { return min(n, cores) }
        return cores
    }()
}

/// `items.map(transform)` on all cores, results in input order.
public func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    if items.count <= 1 { return items.map(transform) }
    let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: items.count)
    results.initialize(repeating: nil)
    defer { results.deinitialize(); results.deallocate() }
    let out = UnsafeSendable(results)
    parallelFor(items.count) { i in out.value[i] = transform(items[i]) }
    return results.map { $0! }
}

/// `body(i)` for every i in 0..<count on all cores (`ThreadBudget.threads`) (each index once, in no set order). `body` must only
/// write what index i owns.
public func parallelFor(_ count: Int, _ body: @Sendable (Int) -> Void) {
    if count <= 1 { if count == 1 { body(0) }; return }
    let workers = min(count, ThreadBudget.threads)
    let next = NextIndex()
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while let i = next.take(below: count) { body(i) }
    }
}

/// A shared counter handing out work indices.
private final class NextIndex: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
