import Foundation
import RadiomicsCore

/// Part K of N of a batch: the cases whose stable hash of case_id falls in it, so that every shard of every
/// run (and every machine) agrees on who does what, whatever the manifest's order.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based.
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, count <= 100_000, (1...count).contains(index) else {
            throw RadiomicsError("shard \(index)/\(count): needs 1 <= K <= N <= 100000")
        }
        self.index = index
        self.count = count
    }

    /// "K/N".
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
            throw RadiomicsError("--shard needs K/N (e.g. 2/8), got '\(text)'")
        }
        try self.init(index: k, count: n)
    }

    /// The shard of a Slurm job array task: SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + 1 of
    /// SLURM_ARRAY_TASK_COUNT; nil outside a job array.
    public static func fromSlurm(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Shard? {
        guard let id = environment["SLURM_ARRAY_TASK_ID"] else { return nil }
        guard let task = Int(id), let count = environment["SLURM_ARRAY_TASK_COUNT"].flatMap(Int.init) else {
            throw RadiomicsError("SLURM_ARRAY_TASK_ID=\(id) without a usable SLURM_ARRAY_TASK_COUNT")
        }
        let first = environment["SLURM_ARRAY_TASK_MIN"].flatMap(Int.init) ?? 0
        return try Shard(index: task - first + 1, count: count)
    }

    public func contains(_ caseID: String) -> Bool { Int(Self.hash(caseID) % UInt64(count)) == index - 1 }

    /// FNV-1a (64 bit) of the identifier's UTF-8 bytes: the same on every machine and in every version.
    public static func hash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    public var description: String { "\(index)/\(count)" }
    /// The output sub-folder of this shard.
    public var folderName: String { "shard-\(index)-of-\(count)" }
}
