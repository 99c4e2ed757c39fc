import Foundation
import RadiomicsCore

/// Runs one case of a batch. Never throws: whatever goes wrong is the case's report with status `error`.
public protocol CaseRunner: Sendable {
    func run(_ job: CaseJob) -> CaseReport
}

/// Runs cases on a thread of this process (tests, and `--workers 0` for debugging): a crash in a library
/// takes the whole run down.
public struct InProcessRunner: CaseRunner {
    public init() {}
    public func run(_ job: CaseJob) -> CaseReport { CaseComputation.run(job) }
}

/// Runs each case in its own process (`radiomics batch-worker JOB RESULT`), so that a case that crashes a
/// library or runs out of memory costs that case only. The worker gets its share of the cores
/// (RADIOMICS_THREADS) and of the memory limit (RADIOMICS_MAX_MEMORY), and ends if its parent dies.
public struct WorkerProcessRunner: CaseRunner {
    public var executable: String
    /// Folder for the job and result files (inside the output folder).
    public var workDirectory: String
    public var threads: Int
    public var memoryBytes: Int

    public init(executable: String, workDirectory: String, threads: Int, memoryBytes: Int) {
        self.executable = executable
        self.workDirectory = workDirectory
        self.threads = threads
        self.memoryBytes = memoryBytes
    }

    /// This program's own executable.
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    public func run(_ job: CaseJob) -> CaseReport {
        let clock = ContinuousClock.now
        let stem = (workDirectory as NSString).appendingPathComponent(UUID().uuidString)
        let jobPath = stem + "-job.json", resultPath = stem + "-result.json", errPath = stem + "-stderr.txt"
        defer { for p in [jobPath, resultPath, errPath] { try? FileManager.default.removeItem(atPath: p) } }
        do {
            try JSONEncoder().encode(job).write(to: URL(fileURLWithPath: jobPath))
        } catch {
            return .failed(job.caseID, "cannot write the worker's job file \(jobPath): \(error.localizedDescription)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["batch-worker", jobPath, resultPath]
        var environment = ProcessInfo.processInfo.environment
        environment["RADIOMICS_THREADS"] = String(threads)
        environment["RADIOMICS_MAX_MEMORY"] = String(memoryBytes)
        // A crashing worker's last lines (a library's assertion message) go into its error, not a long backtrace.
        if environment["SWIFT_BACKTRACE"] == nil { environment["SWIFT_BACKTRACE"] = "enable=no" }
        process.environment = environment
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let err = FileHandle(forWritingAtPath: errPath)
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            return .failed(job.caseID, "cannot start a worker (\(executable)): \(error.localizedDescription)")
        }
        process.waitUntilExit()
        try? err?.close()
        if let data = FileManager.default.contents(atPath: resultPath), let report = try? JSONDecoder().decode(CaseReport.self, from: data) {
            return report
        }
        let stderr = (FileManager.default.contents(atPath: errPath).map { String(decoding: $0, as: UTF8.self) } ?? "")
            .split(separator: "\n").suffix(3).joined(separator: " | ")
        let how: String
        if process.terminationReason == .uncaughtSignal {
            let signal = process.terminationStatus
            let name = [4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV"][Int(signal)] ?? "signal \(signal)"
            how = "the worker crashed (\(name)\(signal == 9 ? ", killed: out of memory?" : ""))"
        } else {
            how = "the worker ended with status \(process.terminationStatus) and no result"
        }
        return .failed(job.caseID, how + (stderr.isEmpty ? "" : ": \(stderr)"), seconds: (ContinuousClock.now - clock).seconds)
    }
}

/// The `batch-worker` side: reads the job, runs it, writes the report (atomically). Exits if the parent batch
/// process goes away, so that a killed run leaves no workers behind.
public enum BatchWorker {
    public static func main(jobPath: String, resultPath: String) throws {
        let parent = getppid()
        let watchdog = DispatchSource.makeTimerSource(queue: .global())
        watchdog.schedule(deadline: .now() + 1, repeating: 1)
        watchdog.setEventHandler { if getppid() != parent { _exit(3) } }
        watchdog.resume()
        guard let data = FileManager.default.contents(atPath: jobPath) else { throw RadiomicsError(file: jobPath, "cannot read the job") }
        let job: CaseJob
        do { job = try JSONDecoder().decode(CaseJob.self, from: data) } catch {
            throw RadiomicsError(file: jobPath, "not a batch job: \(error)")
        }
        // Fault injection for the isolation test: the named case aborts its worker as a library assertion would.
        if let fault = ProcessInfo.processInfo.environment["RADIOMICS_WORKER_ABORT_CASE"], fault == job.caseID { abort() }
        let report = CaseComputation.run(job)
        do {
            try JSONEncoder().encode(report).write(to: URL(fileURLWithPath: resultPath), options: .atomic)
        } catch {
            throw RadiomicsError(file: resultPath, "cannot write the result: \(error.localizedDescription)")
        }
    }
}
