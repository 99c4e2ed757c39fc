import ArgumentParser
import Foundation
import RadiomicsBatch
import RadiomicsCore
import RadiomicsPipeline

struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run many cases: features, vascularization types and p-TACE into tables, resumable, in shards.",
        discussion: """
        MANIFEST (or --manifest) is a CSV list of cases, or --archive DIR finds them: DICOM files grouped into
        studies and series by UID, each RTSTRUCT/SEG paired with the series it references, phases told apart by
        series description, contrast and acquisition time, or the aorta's enhancement; NIfTI image and label files
        by name. The manifest found (with a phase_source column) is written to OUTPUT/manifest.csv to check,
        correct and rerun with --manifest.

        A manifest has this tool's columns case_id,image,mask and optionally
        portal,precontrast,liver_mask,roi,label,series, or PyRadiomics' batch columns Image,Mask[,Label] (every
        column is copied into features.csv). Paths are relative to the manifest's folder. Cases with a portal or
        pre-contrast phase are typed too; with --clinical, p-TACE is scored (the table's type and size unless
        empty, else the measured ones).

        The output folder gets features.csv, vascularization.csv, ptace.csv, status.csv (case_id,status,error,
        seconds), all of it in results.sqlite, the parameters and manifest used, and batch.log. Each case is
        committed when it ends: after a crash or a kill, --resume finishes the run without redoing a case.
        Each case runs in its own worker process, so a case that crashes costs only itself. --shard K/N (or a
        Slurm job array) runs part of the cases into OUTPUT/shard-K-of-N; `radiomics merge` joins the shards.
        """)

    @Argument(help: "CSV list of cases (or --manifest).") var manifestArgument: String?
    @Option(name: .customLong("manifest"), help: "CSV list of cases.") var manifestOption: String?
    @Option(help: "Find the cases in this folder (DICOM studies with their RTSTRUCT/SEG, NIfTI image and label files) instead of a manifest.")
    var archive: String?
    @Option(name: [.customShort("o"), .customLong("output"), .customLong("out")],
            help: "Output folder (a name ending in .csv: features are also written to that file, the rest beside it).")
    var output: String
    @Option(name: [.customShort("p"), .customLong("params"), .customLong("param")],
            help: "YAML parameter file: this tool's (IBSI names) or PyRadiomics'.") var params: String?
    @Option(help: "Feature names and definitions: ibsi or pyradiomics (default: by the parameter file).") var naming: ExtractionPlan.Naming?
    @Option(help: "Vascularization rule file (default: the shipped rules).") var rules: String?
    @Option(help: "Clinical table (case_id, afp, ggt, albumin, bilirubin, optional vascularization_type and tumor_size_cm) for p-TACE.")
    var clinical: String?
    @Option(name: [.customShort("j"), .customLong("workers"), .customLong("jobs")],
            help: "Cases in parallel, each in its own process with a share of the cores (default: the number of cores).")
    var workers: Int?
    @Flag(name: .customLong("discover-only"),
          help: "With --archive: write the cases found to OUTPUT/manifest.csv and stop (check or correct it, then run it with --manifest, e.g. as shards).")
    var discoverOnly = false
    @Flag(help: "Continue the run in OUTPUT: finished cases are kept, the others computed.") var resume = false
    @Option(help: "Run part K of N of the cases (by a stable hash of case_id); default: from a Slurm job array.") var shard: String?
    @Option(name: [.customShort("f"), .customLong("format")], help: "Feature table format: csv (PyRadiomics' option; csv is the only one).")
    var format: String = "csv"
    @Flag(name: .customLong("in-process"), help: "Run cases on threads of this process instead of worker processes (debugging).")
    var inProcess = false
    @OptionGroup var resources: ResourceOptions

    func validate() throws {
        let given = [manifestArgument, manifestOption, archive].compactMap { $0 }.count
        guard given == 1 else {
            throw ValidationError("give one list of cases: MANIFEST, --manifest FILE or --archive DIR")
        }
        guard format == "csv" else { throw ValidationError("--format: only csv is written (got '\(format)')") }
        if discoverOnly && archive == nil { throw ValidationError("--discover-only needs --archive DIR") }
    }

    func run() throws {
        try reportingErrors {
            try resources.apply()
            let shard = try self.shard.map(Shard.init(parsing:)) ?? Shard.fromSlurm()
            var folder = output
            let featuresFile = output.lowercased().hasSuffix(".csv") ? output : nil
            if discoverOnly, let archive {
                do { try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true) } catch {
                    throw RadiomicsError(file: output, "cannot create the output folder: \(error.localizedDescription)")
                }
                let found = try BatchRun.discover(archive: archive, manifest: (output as NSString).appendingPathComponent("manifest.csv"))
                found.notes.forEach(warn)
                FileHandle.standardError.write(Data("batch: \(found.cases) cases found in \(archive); manifest \(found.manifest)\n".utf8))
                return
            }
            let manifest = manifestArgument ?? manifestOption ?? ""
            if let featuresFile {
                folder = String(output.dropLast(4))
                guard URL(fileURLWithPath: featuresFile).standardizedFileURL != URL(fileURLWithPath: manifest).standardizedFileURL else {
                    throw RadiomicsError(file: featuresFile, "is the manifest: choose another output")
                }
            }
            let options = BatchOptions(manifest: manifest, archive: archive, output: folder, parameterFile: params, naming: naming,
                                       rulesFile: rules, clinical: clinical,
                                       workers: workers ?? ProcessInfo.processInfo.activeProcessorCount, resume: resume, shard: shard)
            let inProcess = self.inProcess
            let summary = try BatchRun.run(options, runner: { threads, memory, work in
                inProcess ? InProcessRunner() as CaseRunner
                    : WorkerProcessRunner(executable: WorkerProcessRunner.currentExecutable, workDirectory: work, threads: threads, memoryBytes: memory)
            }, progress: ConsoleProgress(terminal: isatty(STDERR_FILENO) == 1))
            if let featuresFile {
                let source = (summary.folder as NSString).appendingPathComponent("features.csv")
                try? FileManager.default.removeItem(atPath: featuresFile)
                do { try FileManager.default.copyItem(atPath: source, toPath: featuresFile) } catch {
                    throw RadiomicsError(file: featuresFile, "cannot write: \(error.localizedDescription)")
                }
            }
            FileHandle.standardError.write(Data((summary.line + "\n").utf8))
            if summary.cases > 0 && summary.ok + summary.partial == 0 { throw ExitCode(1) }
        }
    }
}

/// Progress on standard error: one rewritten line on a terminal (done/total, failures, rate, ETA), else a line per case.
final class ConsoleProgress: BatchProgress, @unchecked Sendable {
    let terminal: Bool
    let lock = NSLock()
    var total = 0
    var start = ContinuousClock.now

    init(terminal: Bool) { self.terminal = terminal }

    func started(cases: Int, alreadyFinished: Int) {
        lock.lock(); defer { lock.unlock() }
        total = cases - alreadyFinished
        start = .now
        if alreadyFinished > 0 { write("resuming: \(alreadyFinished) of \(cases) cases finished earlier\n") }
    }

    func finished(_ report: CaseReport, done: Int, failed: Int) {
        lock.lock(); defer { lock.unlock() }
        let seconds = (ContinuousClock.now - start).seconds
        let rate = Double(done) / max(seconds, 1e-3)
        if terminal {
            let left = rate > 0 ? Int((Double(total - done) / rate).rounded()) : 0
            let eta = String(format: "%d:%02d:%02d", left / 3600, left / 60 % 60, left % 60)
            write("\r\u{1B}[K[\(done)/\(total)] \(failed) failed, \(String(format: "%.2f", rate)) cases/s, ETA \(eta)")
        } else {
            var line = "[\(done)/\(total)] \(report.caseID): \(report.status.rawValue)"
            if let e = report.error { line += ": \(e)" }
            write(line + "\n")
        }
    }

    func ended() {
        lock.lock(); defer { lock.unlock() }
        if terminal && total > 0 { write("\n") }
    }

    func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}

struct BatchWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch-worker", abstract: "Run one case of a batch (started by radiomics batch).", shouldDisplay: false)
    @Argument var job: String
    @Argument var result: String

    func run() throws {
        try reportingErrors { try BatchWorker.main(jobPath: job, resultPath: result) }
    }
}

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join the output folders of batch shards into one, as a single run would have written it.")
    @Argument(help: "Shard output folders (OUTPUT/shard-K-of-N).") var folders: [String]
    @Option(name: [.customShort("o"), .customLong("output")], help: "New output folder.") var output: String

    func run() throws {
        try reportingErrors {
            try BatchMerge.merge(folders, into: output).forEach(warn)
            FileHandle.standardError.write(Data("merge: \(folders.count) folders into \(output)/\n".utf8))
        }
    }
}
