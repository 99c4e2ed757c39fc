#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back `buffer` with transparent huge pages (Linux, where THP is in "madvise" mode as on
/// Debian): a whole CT volume is then first written with a few hundred page faults instead of tens of
/// thousands. Call before the memory is first touched; a no-op elsewhere or for small buffers.
public func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
    #if os(Linux)
    let huge = 2 << 20
    guard let base = buffer.baseAddress, buffer.count >= 2 * huge else { return }
    let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
    let end = (Int(bitPattern: base) + buffer.count) & ~(huge - 1)
    guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
    _ = madvise(p, end - start, 14) // MADV_HUGEPAGE
    #endif
}
