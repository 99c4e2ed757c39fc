import Foundation
import RadiomicsPipeline

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
    public static let ibsi2Available = exists("data/ibsi2/reference_response_maps/1a1.nii.gz")
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
public func runProcess(_ executable: String, _ arguments: [String], timeout: TimeInterval = 120,
                       environment: [String: String] = [:]) throws -> ProcessResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    if !environment.isEmpty {
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    }
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

/// IBSI reference values as the conformance runner reads them (RadiomicsPipeline.IBSIReferenceValue).
public typealias IBSIReference = IBSIReferenceValue

/// Reads an IBSI reference table from ../shared into a dictionary by tag.
public func ibsiReference(_ file: String) throws -> [String: IBSIReference] {
    let rows = try IBSIReferenceValue.read(path: SharedData.path("data/ibsi/reference_values/\(file)"))
    return Dictionary(rows.map { ($0.tag, $0) }, uniquingKeysWith: { first, _ in first })
}
