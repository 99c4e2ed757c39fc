import Foundation

/// How much memory one piece of work (an image as read, a resampled grid, a matrix) may take before the tool
/// refuses it with a clear error instead of trying. Default: 80% of the machine's physical memory (or of the
/// process's address-space limit, `ulimit -v`, when lower); the
/// environment variable RADIOMICS_MAX_MEMORY (bytes, or with a K, M, G suffix) or `--max-memory` lowers it.
public enum ResourceLimits {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var bytes: Int = {
        if let text = ProcessInfo.processInfo.environment["RADIOMICS_MAX_MEMORY"], let b = parseBytes(text) { return b }
        // 80% of the physical memory, or of the address space the process may use when that is limited (ulimit -v).
        var available = Double(ProcessInfo.processInfo.physicalMemory)
        var limit = rlimit()
        if getrlimit(RLIMIT_AS_VALUE, &limit) == 0, limit.rlim_cur != rlim_t.max {
            available = min(available, Double(limit.rlim_cur))
        }
        return Int(available * 0.8)
    }()

    #if os(Linux)
    private static let RLIMIT_AS_VALUE = Int32(RLIMIT_AS.rawValue)
    #else
    private static let RLIMIT_AS_VALUE = RLIMIT_AS
    #endif

    public static var memoryBytes: Int {
        get { lock.lock(); defer { lock.unlock() }; return bytes }
        set { lock.lock(); bytes = max(1, newValue); lock.unlock() }
    }

    /// "8G", "512M", "100000" -> bytes; nil when not a positive size.
    public static func parseBytes(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [Character: Double] = ["K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12]
        var number = Substring(t), scale = 1.0
        if let last = t.last, let u = units[last] { number = t.dropLast(); scale = u }
        if number.hasSuffix("I") { return nil }
        guard let v = Double(number), v.isFinite, v > 0, v * scale < 9e18 else { return nil }
        return Int(v * scale)
    }

    /// Throws when `bytes` exceed the limit, naming what needed them.
    public static func check(_ bytes: Int, for what: String, file: String? = nil) throws {
        let limit = memoryBytes
        guard bytes >= 0, bytes <= limit else {
            throw RadiomicsError(file: file, "\(what) would need \(describe(bytes)) of memory, more than the \(describe(limit)) allowed (RADIOMICS_MAX_MEMORY or --max-memory)")
        }
    }

    /// Throws when `factors` (dimensions, counts) times `bytesEach` exceed the limit, or overflow.
    public static func check(product factors: [Int], bytesEach: Int, for what: String, file: String? = nil) throws {
        var total = bytesEach
        for f in factors {
            let (p, overflow) = total.multipliedReportingOverflow(by: Swift.max(f, 0))
            guard !overflow else { throw RadiomicsError(file: file, "\(what) is too large to hold") }
            total = p
        }
        try check(total, for: what, file: file)
    }

    public static func describe(_ bytes: Int) -> String {
        bytes >= 1_000_000_000 ? String(format: "%.1f GB", Double(bytes) / 1e9) : String(format: "%.0f MB", Double(bytes) / 1e6)
    }
}
