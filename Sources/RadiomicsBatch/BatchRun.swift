import Foundation
import FusionModel
import RadiomicsCore
import RadiomicsFeatures
import RadiomicsIO
import RadiomicsPipeline
import Vascularization

/// What a batch run is asked to do.
public struct BatchOptions: Sendable {
    /// The list of cases; with `archive`, the manifest discovery writes (in the output folder) and the run reads.
    public var manifest: String
    /// A folder to search for cases (`ArchiveDiscovery`) instead of a manifest.
    public var archive: String?
    public var output: String
    public var parameterFile: String?
    public var naming: ExtractionPlan.Naming?
    public var rulesFile: String?
    public var clinical: String?
    /// Cases in parallel (each in its own worker process with a share of the cores).
    public var workers: Int
    public var resume: Bool
    public var shard: Shard?

    public init(manifest: String, archive: String? = nil, output: String, parameterFile: String? = nil, naming: ExtractionPlan.Naming? = nil,
                rulesFile: String? = nil, clinical: String? = nil, workers: Int = 1, resume: Bool = false, shard: Shard? = nil) {
        self.manifest = manifest
        self.archive = archive
        self.output = output
        self.parameterFile = parameterFile
        self.naming = naming
        self.rulesFile = rulesFile
        self.clinical = clinical
        self.workers = workers
        self.resume = resume
        self.shard = shard
    }
}

/// How a run ended.
public struct BatchSummary: Sendable {
    /// The folder holding the tables (the shard's sub-folder when sharded).
    public var folder: String
    public var log: String
    /// Cases of this run (this shard), finished before it started (resumed), computed now, and how they ended.
    public var cases = 0
    public var alreadyFinished = 0
    public var computed = 0
    public var ok = 0
    public var partial = 0
    public var failed = 0

    public var line: String {
        var s = "batch: \(ok + partial) of \(cases) cases with features"
        if partial > 0 { s += " (\(partial) without a vascularization type)" }
        s += ", \(failed) failed"
        if alreadyFinished > 0 { s += " (\(alreadyFinished) finished by an earlier run)" }
        return s + "; tables in \(folder)/, log \(log)"
    }
}

/// Progress of a run, as it goes: a terminal line, log lines, or nothing.
public protocol BatchProgress: Sendable {
    func started(cases: Int, alreadyFinished: Int)
    func finished(_ report: CaseReport, done: Int, failed: Int)
    func ended()
}

/// One batch run: manifest -> a worker per case -> each case committed to the store as it ends -> p-TACE ->
/// tables. A case's failure is its row in status.csv; only a problem with the run itself (the parameters, the
/// manifest, the output folder) stops it.
public enum BatchRun {
    public static let settingsVersion = "1"

    /// The settings that make results comparable: parameters, naming, rules. Resuming or merging with other
    /// settings is refused.
    public static func fingerprint(parameters: String?, naming: ExtractionPlan.Naming?, rules: String?) -> String {
        let text = ["v" + settingsVersion, parameters ?? "<default>", naming?.rawValue ?? "<auto>", rules ?? "<shipped>"].joined(separator: "\u{1F}")
        return String(Shard.hash(text), radix: 16)
    }

    public static func run(_ options: BatchOptions, runner makeRunner: (_ threads: Int, _ memoryBytes: Int, _ workDirectory: String) -> CaseRunner,
                           progress: BatchProgress) throws -> BatchSummary {
        guard (1...256).contains(options.workers) else { throw RadiomicsError("--workers must be 1 to 256, got \(options.workers)") }
        // The run's own inputs are checked before any case: a mistake here would fail every case.
        let parameterText = try options.parameterFile.map(ExtractionSettings.parameterText)
        _ = try ExtractionPlan.load(parameterFile: options.parameterFile, naming: options.naming)
        let rulesText = try options.rulesFile.map { path -> String in
            _ = try VascularizationRules.load(path: path)
            return try String(contentsOfFile: path, encoding: .utf8)
        }
        let clinical = try options.clinical.map { path -> CSVTable in
            let table = try CSVTable.read(path: path)
            _ = try ClinicalTable.rows(of: table, measuredSizes: TumourSizes(source: "", centimetres: [:]),
                                       measuredTypes: MeasuredTypes(source: "", types: [:]))
            return table
        }
        let folder = options.shard.map { (options.output as NSString).appendingPathComponent($0.folderName) } ?? options.output
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw RadiomicsError(file: folder, "cannot create the output folder: \(error.localizedDescription)")
        }
        var options = options
        var discoveryNotes: [String] = []
        if let archive = options.archive {
            // The cases of the archive become the run's manifest, written beside its tables for the user to check.
            let found = try discover(archive: archive, manifest: (folder as NSString).appendingPathComponent("manifest.csv"))
            options.manifest = found.manifest
            discoveryNotes = found.notes
        }
        let manifest = try BatchManifest(path: options.manifest)
        let store = try SQLiteResultStore(path: (folder as NSString).appendingPathComponent(SQLiteResultStore.fileName))
        let fingerprint = fingerprint(parameters: parameterText, naming: options.naming, rules: rulesText)
        let earlier = try store.settings()
        if let old = earlier["fingerprint"] {
            guard options.resume else {
                throw RadiomicsError(file: folder, "holds an earlier run; --resume continues it, or choose another --output")
            }
            guard old == fingerprint else {
                throw RadiomicsError(file: folder, "was run with other parameters, naming or rules (\(earlier["parameter_file"].flatMap { $0.isEmpty ? nil : $0 } ?? "default settings")); a resumed run must use the same: refusing (choose another --output)")
            }
            if let s = earlier["shard"], s != (options.shard?.description ?? "") {
                throw RadiomicsError(file: folder, "was run as shard \(s.isEmpty ? "(none)" : s), not \(options.shard?.description ?? "(none)")")
            }
        }
        var settings = [
            "fingerprint": fingerprint, "version": settingsVersion, "parameters": parameterText ?? "",
            "parameter_file": options.parameterFile ?? "", "naming": options.naming?.rawValue ?? "", "rules": rulesText ?? "",
            "manifest": options.archive ?? options.manifest, "manifest_format": manifest.format.rawValue, "shard": options.shard?.description ?? "",
        ]
        if manifest.format == .pyradiomics {
            settings["copied_columns"] = String(decoding: try JSONEncoder().encode(manifest.header), as: UTF8.self)
        }
        try store.setSettings(settings)
        try writeRunFiles(folder: folder, manifest: options.manifest, parameters: parameterText, rules: rulesText)

        let logPath = (folder as NSString).appendingPathComponent("batch.log")
        let log = try BatchLog(path: logPath)
        var summary = BatchSummary(folder: folder, log: logPath)
        let finished = try store.finishedCaseIDs()
        try manifest.forEach { c in
            guard options.shard?.contains(c.caseID) ?? true else { return }
            summary.cases += 1
            if finished.contains(c.caseID) { summary.alreadyFinished += 1 }
        }
        if let archive = options.archive {
            log.write("archive \(archive): \(manifest.count) cases found, manifest \(options.manifest)")
            for note in discoveryNotes { log.write("archive: \(note)") }
        }
        log.write("run: \(summary.cases) cases\(options.shard.map { " (shard \($0))" } ?? ""), \(summary.alreadyFinished) finished earlier, \(options.workers) workers, manifest \(options.manifest)")
        progress.started(cases: summary.cases, alreadyFinished: summary.alreadyFinished)

        // Workers divide the cores and the memory limit between them.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let workDirectory = (folder as NSString).appendingPathComponent(".work")
        try? FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        let runner = makeRunner(max(1, cores / options.workers), max(1, ResourceLimits.memoryBytes / options.workers), workDirectory)
        let slots = DispatchSemaphore(value: options.workers)
        let group = DispatchGroup()
        let state = RunState()
        @Sendable func record(_ report: CaseReport, _ c: BatchCase) {
            state.lock.lock()
            defer { state.lock.unlock() }
            do { try store.commit(report, of: c) } catch {
                if state.fatal == nil { state.fatal = error }
                return
            }
            state.done += 1
            switch report.status {
            case .ok: state.ok += 1
            case .partial: state.partial += 1
            case .error: state.failed += 1
            }
            var line = "case \(report.caseID): \(report.status.rawValue) (\(String(format: "%.2f", report.seconds)) s)"
            if let e = report.error { line += ": \(e)" }
            log.write(line)
            for w in report.warnings { log.write("case \(report.caseID): warning: \(w)") }
            progress.finished(report, done: state.done, failed: state.failed)
        }
        try manifest.forEach { c in
            guard options.shard?.contains(c.caseID) ?? true, !finished.contains(c.caseID) else { return }
            if state.stopped { return }
            switch c.input {
            case .failure(let e):
                record(.failed(c.caseID, "\(e)"), c)
            case .success(let input):
                let typing = input.images[.portal] != nil || input.images[.precontrast] != nil
                let job = CaseJob(caseID: c.caseID, input: input, parameterFile: options.parameterFile, naming: options.naming,
                                  rulesFile: options.rulesFile, typing: typing)
                slots.wait()
                group.enter()
                DispatchQueue.global().async {
                    let report = runner.run(job)
                    record(report, c)
                    slots.signal()
                    group.leave()
                }
            }
        }
        group.wait()
        progress.ended()
        try? FileManager.default.removeItem(atPath: workDirectory)
        if let fatal = state.fatal { throw fatal }
        summary.computed = state.done

        if let clinical {
            let rows = try scorePTACE(clinical, store: store)
            try store.replacePTACE(rows)
            for r in rows where r.error != nil { log.write("p-TACE \(r.caseID): \(r.error!)") }
        }
        try store.export(to: folder)
        let statuses = try store.statuses()
        summary.ok = statuses.values.filter { $0 == .ok }.count
        summary.partial = statuses.values.filter { $0 == .partial }.count
        summary.failed = statuses.values.filter { $0 == .error }.count
        log.write(summary.line)
        return summary
    }

    /// Finds the cases of an archive and writes them as a manifest (this tool's format, with `phase_source`).
    /// Returns the manifest's path, the number of cases and what was left out.
    public static func discover(archive: String, manifest: String) throws -> (manifest: String, cases: Int, notes: [String]) {
        let root = URL(fileURLWithPath: archive).standardizedFileURL.path
        let found = try ArchiveDiscovery.discover(root)
        guard !found.cases.isEmpty else {
            throw RadiomicsError(file: archive, "no case found (a study with an image series and a tumour mask, or a NIfTI image with its label)" +
                                 (found.notes.isEmpty ? "" : ":\n  " + found.notes.prefix(10).joined(separator: "\n  ")))
        }
        do { try ArchiveDiscovery.manifest(found.cases).write(toFile: manifest, atomically: true, encoding: .utf8) } catch {
            throw RadiomicsError(file: manifest, "cannot write: \(error.localizedDescription)")
        }
        return (manifest, found.cases.count, found.notes)
    }

    final class RunState: @unchecked Sendable {
        let lock = NSLock()
        var done = 0, ok = 0, partial = 0, failed = 0
        var fatal: Error?
        var stopped: Bool { lock.lock(); defer { lock.unlock() }; return fatal != nil }
    }

    /// The parameters, rules and manifest the run used, beside its tables.
    static func writeRunFiles(folder: String, manifest: String, parameters: String?, rules: String?) throws {
        func put(_ name: String, _ text: String) throws {
            let path = (folder as NSString).appendingPathComponent(name)
            do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
                throw RadiomicsError(file: path, "cannot write: \(error.localizedDescription)")
            }
        }
        try put("parameters.yaml", parameters ?? "# no parameter file: the default settings\n")
        if let rules { try put("vascularization-rules.yaml", rules) }
        let copy = (folder as NSString).appendingPathComponent("manifest.csv")
        if (manifest as NSString).standardizingPath != (copy as NSString).standardizingPath {
            try? FileManager.default.removeItem(atPath: copy)
            do { try FileManager.default.copyItem(atPath: manifest, toPath: copy) } catch {
                throw RadiomicsError(file: copy, "cannot copy the manifest: \(error.localizedDescription)")
            }
        }
    }

    /// p-TACE of every case of the run that has features and a clinical row: the clinical table's type and size
    /// unless empty, else the type measured by the run and the mask's largest diameter.
    public static func scorePTACE(_ clinical: CSVTable, store: ResultStore) throws -> [PTACERow] {
        let statuses = try store.statuses()
        let types = try store.measuredTypes(), sizes = try store.measuredSizes()
        let rows = try ClinicalTable.rows(of: clinical, measuredSizes: TumourSizes(source: "the masks' diameters (features of this run)", centimetres: sizes),
                                          measuredTypes: MeasuredTypes(source: "vascularization typing (this run)", types: types))
        let typeColumn = clinical.header.firstIndex(of: "vascularization_type")
        let sizeColumn = clinical.header.firstIndex(of: "tumor_size_cm")
        func given(_ column: Int?, _ r: Int) -> Bool {
            column.map { !clinical.rows[r][$0].trimmingCharacters(in: .whitespaces).isEmpty } ?? false
        }
        var out: [PTACERow] = []
        for (r, row) in rows.enumerated() {
            guard let status = statuses[row.caseID], status != .error else { continue }
            switch row.record {
            case .failure(let e):
                out.append(PTACERow(caseID: row.caseID, error: "\(e)"))
            case .success(let record):
                let p = PTACEResult(record)
                out.append(PTACERow(caseID: row.caseID, vascularizationType: record.vascularizationType,
                                    typeSource: given(typeColumn, r) ? "clinical" : "image", sizeSource: given(sizeColumn, r) ? "clinical" : "mask",
                                    albiScore: p.albiScore, albiGrade: p.albiGrade, afpGrade: p.afpGrade, ggtGrade: p.ggtGrade,
                                    tumorSizeCM: p.tumorSizeCM, score: p.score, grade: p.grade, risk: p.risk, probability: p.probability))
            }
        }
        return out
    }
}

/// The run's log file (appended, one timestamped line per event, flushed as written).
final class BatchLog: @unchecked Sendable {
    let handle: FileHandle
    let lock = NSLock()
    let formatter = ISO8601DateFormatter()

    init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        guard let h = FileHandle(forWritingAtPath: path) else { throw RadiomicsError(file: path, "cannot write the log") }
        h.seekToEndOfFile()
        handle = h
    }

    func write(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        handle.write(Data("\(formatter.string(from: Date())) \(line)\n".utf8))
    }
}
