import Foundation

/// Where the shared reference data lives: `$RADIOMICS_SHARED`, else `../shared` beside the checkout.
public enum SharedData {
    public static let root: String = {
        if let env = ProcessInfo.processInfo.environment["RADIOMICS_SHARED"], !env.isEmpty { return env }
        return URL(fileURLWithPath: repositoryRoot).deletingLastPathComponent().appendingPathComponent("shared").path
    }()

    /// The checkout (found from this file's path: Tests/TestSupport/TestSupport.swift).
    public static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    public static func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }

    public static func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }

    /// True when the IBSI phantoms are present. Tests that need them are skipped with this reason otherwise.
    public static let ibsiAvailable = exists("data/ibsi/ct_radiomics_phantom/dicom/image")
    public static let liverAvailable = exists("data/liver_ct/CRLM-CT-1004/image")
    public static let missingReason = "shared reference data is absent (looked in \(root)); set RADIOMICS_SHARED or place ../shared beside the checkout"
}


/// A fresh temporary directory, removed when the value is dropped.
public final class TemporaryDirectory {
    public let path: String
    public init(_ name: String = "radiomics-test") throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
}

/// The result of running a program.
public struct ProcessResult {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var timedOut: Bool
}

/// Runs a program with a time limit (so a hang fails the test instead of stalling CI).
public func runProcess(_ executable: String, _ arguments: [String], timeout: TimeInterval = 120) throws -> ProcessResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    // Read both pipes concurrently so a chatty child cannot block on a full pipe.
    nonisolated(unsafe) var outData = Data(), errData = Data()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { outData = out.fileHandleForReading.readDataToEndOfFile() }
    DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
    let deadline = Date().addingTimeInterval(timeout)
    var timedOut = false
    while p.isRunning {
        if Date() > deadline { p.terminate(); timedOut = true; break }
        usleep(10_000)
    }
    p.waitUntilExit()
    group.wait()
    return ProcessResult(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self), timedOut: timedOut)
}

/// Finds a program on PATH.
public func which(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let candidate = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// An IBSI reference value: the published value, its tolerance, and half a unit of its last printed digit
/// (published values are rounded, mostly to 3 significant digits, so a tolerance of 0 means "equal when
/// rounded like the reference").
public struct IBSIReference: Sendable {
    public var value: Double
    public var tolerance: Double
    public var rounding: Double

    /// |x - value| <= tolerance + rounding
    public func accepts(_ x: Double) -> Bool { abs(x - value) <= tolerance + rounding + 1e-12 * abs(value) }
}

/// Half a unit of the last significant digit of a published value, taking at least 3 significant digits
/// ("2.15" -> 0.005, "60" -> 0.05, "1490" -> 5, "125256" -> 0.5, "0.0455" -> 0.00005).
public func halfUnitOfLastDigit(_ text: String) -> Double {
    guard let value = Double(text), value != 0 else { return 0 }
    // Significant digits printed: without leading zeros, and for integers without trailing zeros.
    var mantissa = text.lowercased()
    if let e = mantissa.firstIndex(of: "e") { mantissa = String(mantissa[..<e]) }
    var digits = Substring(mantissa.filter(\.isNumber)).drop { $0 == "0" }
    if !mantissa.contains(".") { while digits.last == "0" { digits = digits.dropLast() } }
    // IBSI publishes at least 3 significant digits: "60" is 60.0, "1490" is 1.49e3, "125256" is exact.
    let significant = max(digits.count, 3)
    return 0.5 * pow(10, (log10(abs(value))).rounded(.down) - Double(significant - 1))
}

/// Reads IBSI reference rows (`value;tolerance;tag`) into a dictionary by tag.
public func ibsiReference(_ file: String) throws -> [String: IBSIReference] {
    let text = try String(contentsOfFile: SharedData.path("data/ibsi/reference_values/\(file)"), encoding: .utf8)
    var out: [String: IBSIReference] = [:]
    for line in text.split(whereSeparator: \.isNewline) {
        let parts = line.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count >= 3, let v = Double(parts[0]), let t = Double(parts[1]) else { continue }
        out[parts[2]] = IBSIReference(value: v, tolerance: t, rounding: halfUnitOfLastDigit(parts[0]))
    }
    return out
}
