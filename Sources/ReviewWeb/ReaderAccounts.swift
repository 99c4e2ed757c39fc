import Foundation
import HummingbirdBcrypt
import RadiomicsCore
import ReaderReview

/// Readers' passwords: bcrypt hashes (HummingbirdBcrypt) in the review database, never the password.
public enum ReaderAccounts {
    /// bcrypt's cost: 2^cost rounds (about 0.1-0.3 s a check on one core at 12; tests lower it).
    public static let defaultCost: UInt8 = 12

    /// A reader's password must be at least 8 characters.
    public static func add(reader: String, password: String, to store: ReviewStore, cost: UInt8 = defaultCost) throws {
        try ReviewStore.checkReaderName(reader)
        guard password.count >= 8 else { throw RadiomicsError("the password of reader \(reader) must be at least 8 characters") }
        try store.setReader(reader, passwordHash: Bcrypt.hash(password, cost: cost))
    }

    /// Whether `password` is the reader's. An unknown reader costs a hash check as well, so the time taken
    /// does not tell which readers exist.
    public static func verify(reader: String, password: String, in store: ReviewStore) throws -> Bool {
        guard let hash = try store.passwordHash(reader: reader) else {
            _ = Bcrypt.verify(password, hash: unknownReaderHash)
            return false
        }
        return Bcrypt.verify(password, hash: hash)
    }

    /// A hash of a random password, checked against for unknown readers.
    static let unknownReaderHash = Bcrypt.hash(CSRFToken.make(), cost: defaultCost)
}

/// Random tokens: 32 bytes from the system's generator, as 64 hex digits.
public enum CSRFToken {
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// 64 lower-case hex digits, as `make` gives.
    public static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 64 && token.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Comparison that takes the same time wherever the strings differ.
    public static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

/// Slows down repeated failed logins: after `freeFailures` failures for a reader name (or from one client
/// address) within `window`, each further attempt must wait `baseDelay` x 2^(extra failures - 1), at most
/// `maxDelay`. A successful login clears the reader's count.
public actor LoginThrottle {
    public struct Policy: Sendable {
        public var freeFailures: Int
        public var baseDelay: Duration
        public var maxDelay: Duration
        public var window: Duration
        public init(freeFailures: Int = 3, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(30),
                    window: Duration = .seconds(15 * 60)) {
            self.freeFailures = freeFailures
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
            self.window = window
        }
    }

    let policy: Policy
    let clock: @Sendable () -> ContinuousClock.Instant
    var failures: [String: [ContinuousClock.Instant]] = [:]

    public init(policy: Policy = Policy(), clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.policy = policy
        self.clock = clock
    }

    /// How long an attempt for these keys (reader name, client address) must wait before it is checked.
    public func delay(for keys: [String]) -> Duration {
        let now = clock()
        var worst = Duration.zero
        for key in keys {
            let recent = (failures[key] ?? []).filter { now - $0 < policy.window }
            failures[key] = recent.isEmpty ? nil : recent
            let extra = recent.count - policy.freeFailures
            guard extra >= 0 else { continue }
            let factor = 1 << min(extra, 16)
            worst = max(worst, min(policy.maxDelay, policy.baseDelay * factor))
        }
        return worst
    }

    public func failed(_ keys: [String]) {
        let now = clock()
        for key in keys { failures[key, default: []].append(now) }
    }

    public func succeeded(_ key: String) {
        failures[key] = nil
    }
}
