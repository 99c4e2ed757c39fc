import Foundation
import RadiomicsCore
import RadiomicsIO
import Testing
import TestSupport

/// `radiomics batch` and `radiomics merge` as a user runs them (issue 19): bad rows are failed cases, a killed
/// run resumes to the tables of an uninterrupted one, shards merge to the single run.
@Suite(.serialized) struct BatchCommandTests {
    let dir: TemporaryDirectory
    static let samples = (SharedData.repositoryRoot as NSString).appendingPathComponent("sample-scans")

    init() throws { dir = try TemporaryDirectory("batch") }

    /// Rows of this tool's manifest for the sample scans (paths relative to `samples`).
    static let sampleRows = [
        "case-001/ct,case-001/tumour-rtstruct.dcm,,,,Tumour",
        "case-002/image.nii.gz,case-002/tumour.nii.gz,,,,",
    ] + (1...4).map { "hcc-type\($0)/arterial,hcc-type\($0)/tumour-seg.dcm,hcc-type\($0)/portal,hcc-type\($0)/precontrast,hcc-type\($0)/liver-seg.dcm," }

    /// A manifest of `count` cases cycling through the sample scans, written in the sample folder's terms.
    func manifest(_ name: String, count: Int, extra: [String] = []) throws -> String {
        var lines = ["case_id,image,mask,portal,precontrast,liver_mask,roi"]
        for i in 0..<count {
            let cells = Self.sampleRows[i % Self.sampleRows.count].split(separator: ",", omittingEmptySubsequences: false).enumerated().map { k, c in
                k < 5 && !c.isEmpty ? "\(Self.samples)/\(c)" : String(c)
            }
            lines.append("c\(String(format: "%02d", i + 1)),\(cells.joined(separator: ","))")
        }
        let path = dir.file(name)
        try (lines + extra).joined(separator: "\n").appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func table(_ folder: String, _ name: String) throws -> String {
        try String(contentsOfFile: (folder as NSString).appendingPathComponent(name), encoding: .utf8)
    }

    /// status.csv without its timing column.
    func statusWithoutTimes(_ folder: String) throws -> [String] {
        try table(folder, "status.csv").split(separator: "\n").map { line in
            String(line[..<line.lastIndex(of: ",")!])
        }
    }

    func expectSameTables(_ a: String, _ b: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for name in ["features.csv", "vascularization.csv", "ptace.csv"] {
            #expect(try table(a, name) == table(b, name), "\(name) differs", sourceLocation: sourceLocation)
        }
        #expect(try statusWithoutTimes(a) == statusWithoutTimes(b), sourceLocation: sourceLocation)
    }

    @Test func badRowsAreFailedCasesAndTheOthersGoOn() throws {
        let unreadable = dir.file("unreadable.nii.gz")
        try Data("this is not an image".utf8).write(to: URL(fileURLWithPath: unreadable))
        let tumour = try Nifti.readLabels(path: "\(Self.samples)/case-002/tumour.nii.gz", label: nil)
        let empty = dir.file("empty.nii.gz")
        try Nifti.write(Mask(geometry: tumour.geometry, repeating: 0), to: empty)
        let m = try manifest("m.csv", count: 3, extra: [
            "unreadable,\(unreadable),\(Self.samples)/case-002/tumour.nii.gz,,,,",
            "nomask,\(Self.samples)/case-002/image.nii.gz,\(dir.file("missing.nii.gz")),,,,",
            "emptyroi,\(Self.samples)/case-002/image.nii.gz,\(empty),,,,",
        ])
        let out = dir.file("out")
        let r = try CLI.run(["batch", "--manifest", m, "--output", out, "--workers", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("batch: 3 of 6 cases with features, 3 failed"), "\(r.stderr)")
        let status = try table(out, "status.csv").split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(status.map { $0[0] } == ["case_id", "c01", "c02", "c03", "unreadable", "nomask", "emptyroi"])
        #expect(status[1...3].allSatisfy { $0[1] == "ok" })
        #expect(status[4][1] == "error" && status[4][2].contains(unreadable), "\(status[4])")
        #expect(status[5][1] == "error" && status[5][2].contains("missing.nii.gz") && status[5][2].contains("no such file"), "\(status[5])")
        #expect(status[6][1] == "error" && status[6][2].contains("empty"), "\(status[6])")
        let features = try table(out, "features.csv").split(separator: "\n")
        #expect(features.map { $0.prefix(while: { $0 != "," }) } == ["case_id", "c01", "c02", "c03"])
        // The multiphase case is typed; the one-image cases are not.
        let types = try table(out, "vascularization.csv").split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] }
        #expect(types == ["c03"])
        #expect(try table(out, "batch.log").contains("case emptyroi: error"))
    }

    /// A case whose worker dies (an abort, as a library assertion does) is that case's error; the run goes on.
    @Test func aCrashingCaseCostsOnlyItself() throws {
        let m = try manifest("m.csv", count: 4)
        let out = dir.file("out")
        let r = try runProcess(CLI.path, ["batch", m, "-o", out, "-j", "2"], timeout: 120, environment: ["RADIOMICS_WORKER_ABORT_CASE": "c02"])
        #expect(r.status == 0, "\(r.stderr)")
        let status = try table(out, "status.csv").split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(status.map { $0[1] } == ["status", "ok", "error", "ok", "ok"])
        #expect(status[2][2].hasPrefix("the worker crashed (SIGABRT)"), "\(status[2])")
        #expect(try table(out, "features.csv").split(separator: "\n").count == 4)
    }

    /// The acceptance test for crash safety: SIGKILL at several random moments, each time resumed, then a last
    /// resumed run to the end; the tables equal an uninterrupted run's and no finished case was computed again.
    /// The moments are random fractions of the uninterrupted run's own time, so the test means the same on a
    /// fast machine and under a sanitizer.
    @Test func killedRunsResumeToTheUninterruptedTables() throws {
        let m = try manifest("m.csv", count: 12)
        let reference = dir.file("reference")
        let started = Date()
        let r = try CLI.run(["batch", m, "-o", reference, "-j", "2"])
        let whole = Date().timeIntervalSince(started)
        #expect(r.status == 0, "\(r.stderr)")
        let out = dir.file("killed")
        var random = SeededRandom(seed: 19)
        var kills = 0
        for run in 0..<6 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CLI.path)
            p.arguments = ["batch", m, "-o", out, "-j", "2"] + (run > 0 ? ["--resume"] : [])
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            if run < 5 {
                // Somewhere in the first 10-60% of an uninterrupted run: start-up, cases in flight, commits.
                let deadline = Date().addingTimeInterval(whole * (0.1 + 0.5 * random.uniform()))
                while p.isRunning && Date() < deadline { usleep(2_000) }
                if p.isRunning {
                    kill(p.processIdentifier, SIGKILL)
                    kills += 1
                }
            }
            p.waitUntilExit()
            if run == 5 { #expect(p.terminationReason == .exit && p.terminationStatus == 0) }
        }
        #expect(kills >= 2, "the run was not interrupted (\(kills) kills)")
        try expectSameTables(reference, out)
        // Every case finished once: one "case X: ok" line in the log over all the runs.
        let log = try table(out, "batch.log")
        for i in 1...12 {
            let id = "c" + String(format: "%02d", i)
            #expect(log.components(separatedBy: "case \(id): ok").count - 1 == 1, "case \(id)")
        }
    }

    @Test func shardsMergeToTheSingleRun() throws {
        let m = try manifest("m.csv", count: 9)
        let single = dir.file("single")
        #expect(try CLI.run(["batch", m, "-o", single, "-j", "2"]).status == 0)
        let sharded = dir.file("sharded")
        for k in 1...3 {
            let r = try CLI.run(["batch", m, "-o", sharded, "--shard", "\(k)/3", "-j", "2"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let merged = dir.file("merged")
        let shards = (1...3).map { "\(sharded)/shard-\($0)-of-3" }
        let r = try CLI.run(["merge"] + shards + ["--output", merged])
        #expect(r.status == 0, "\(r.stderr)")
        try expectSameTables(single, merged)
        // Every case went to exactly one shard.
        let counts = try shards.map { try statusWithoutTimes($0).count - 1 }
        #expect(counts.reduce(0, +) == 9 && counts.allSatisfy { $0 > 0 }, "\(counts)")

        // The same through a Slurm job array (task ids 5-7).
        let slurm = dir.file("slurm")
        for task in 5...7 {
            let r = try runProcess(CLI.path, ["batch", m, "-o", slurm], timeout: 120,
                                   environment: ["SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_COUNT": "3"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let merged2 = dir.file("merged2")
        #expect(try CLI.run(["merge"] + (1...3).map { "\(slurm)/shard-\($0)-of-3" } + ["-o", merged2]).status == 0)
        try expectSameTables(single, merged2)

        // Shards made with other parameters are refused.
        let params = dir.file("p.yaml")
        try "setting:\n  binWidth: 10\nimageType:\n  Original: {}\nfeatureClass:\n  firstorder:\n".write(toFile: params, atomically: true, encoding: .utf8)
        let other = dir.file("other")
        #expect(try CLI.run(["batch", m, "-o", other, "--shard", "1/3", "-p", params]).status == 0)
        let refused = try CLI.run(["merge", "\(other)/shard-1-of-3", "\(sharded)/shard-2-of-3", "-o", dir.file("bad")])
        #expect(refused.status == 1 && refused.stderr.contains("other parameters"), "\(refused.stderr)")
    }

    @Test func resumeIsRefusedWithOtherParametersAndAnOldFolderNeedsResume() throws {
        let m = try manifest("m.csv", count: 2)
        let out = dir.file("out")
        #expect(try CLI.run(["batch", m, "-o", out]).status == 0)
        let again = try CLI.run(["batch", m, "-o", out])
        #expect(again.status == 1 && again.stderr.contains("holds an earlier run; --resume continues it"), "\(again.stderr)")
        let params = dir.file("p.yaml")
        try "setting:\n  binWidth: 10\nimageType:\n  Original: {}\nfeatureClass:\n  firstorder:\n".write(toFile: params, atomically: true, encoding: .utf8)
        let changed = try CLI.run(["batch", m, "-o", out, "--resume", "-p", params])
        #expect(changed.status == 1 && changed.stderr.contains("was run with other parameters"), "\(changed.stderr)")
        let resumed = try CLI.run(["batch", m, "-o", out, "--resume"])
        #expect(resumed.status == 0 && resumed.stderr.contains("2 finished by an earlier run"), "\(resumed.stderr)")
    }

    /// A PyRadiomics batch CSV and PyRadiomics' option spellings: only the program's name changes.
    @Test func pyradiomicsBatchFileAndOptions() throws {
        let csv = dir.file("cases.csv")
        try """
            ID,Image,Mask,Site
            P1,\(Self.samples)/case-002/image.nii.gz,\(Self.samples)/case-002/tumour.nii.gz,Essen
            P2,\(Self.samples)/case-001/ct,\(Self.samples)/case-001/tumour-seg.dcm,Lyon

            """.write(toFile: csv, atomically: true, encoding: .utf8)
        let params = dir.file("p.yaml")
        try "setting:\n  binWidth: 25\n  label: 1\nimageType:\n  Original: {}\nfeatureClass:\n  shape:\n  firstorder:\n".write(toFile: params, atomically: true, encoding: .utf8)
        let out = dir.file("features.csv")
        let r = try CLI.run(["batch", csv, "-o", out, "-p", params, "-f", "csv", "-j", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(Array(rows[0].prefix(4)) == ["case_id", "ID", "Image", "Mask"])
        #expect(rows[0][4] == "Site")
        #expect(rows[1][0] == "P1" && rows[1][4] == "Essen" && rows[2][0] == "P2" && rows[2][4] == "Lyon")
        // The same values as `radiomics extract` of the case.
        let single = try CLI.run(["extract", "\(Self.samples)/case-002/image.nii.gz", "\(Self.samples)/case-002/tumour.nii.gz",
                                  "--params", params, "--format", "csv"])
        let extractRows = single.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let column = try #require(rows[0].firstIndex(of: "original_firstorder_Mean"))
        let extractColumn = try #require(extractRows[0].firstIndex(of: "original_firstorder_Mean"))
        #expect(rows[1][column] == extractRows[1][extractColumn])
        #expect(FileManager.default.fileExists(atPath: dir.file("features/results.sqlite")))
    }

    /// p-TACE in a batch: the table's type and size unless empty, else the measured ones; the numbers are those
    /// of `radiomics model ptace` for the same values.
    @Test func ptaceUsesTheMeasuredTypeUnlessTheTableGivesOne() throws {
        let m = try manifest("m.csv", count: 6)
        let clinical = dir.file("clinical.csv")
        try """
            case_id,vascularization_type,afp,ggt,albumin,bilirubin,tumor_size_cm
            c03,,10,40,40,10,
            c04,3,500,90,35,20,6
            c01,2,9000,200,30,30,8
            zz,1,1,1,40,10,3

            """.write(toFile: clinical, atomically: true, encoding: .utf8)
        let out = dir.file("out")
        let r = try CLI.run(["batch", m, "-o", out, "--clinical", clinical])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try table(out, "ptace.csv").split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.map { $0[0] } == ["case_id", "c01", "c03", "c04"])
        let header = rows[0]
        func cell(_ r: [String], _ name: String) -> String { r[header.firstIndex(of: name)!] }
        let c03 = rows[2]
        let measured = try table(out, "vascularization.csv").split(separator: "\n").first { $0.hasPrefix("c03,") }!.split(separator: ",")[1]
        #expect(cell(c03, "vascularization_type") == String(measured) && cell(c03, "type_source") == "image" && cell(c03, "size_source") == "mask")
        #expect(cell(rows[3], "type_source") == "clinical" && cell(rows[3], "vascularization_type") == "3")
        // Cross-check with the model command on the values the batch used.
        let filled = dir.file("filled.csv")
        try """
            case_id,vascularization_type,afp,ggt,albumin,bilirubin,tumor_size_cm
            c03,\(measured),10,40,40,10,\(cell(c03, "tumor_size_cm"))
            c04,3,500,90,35,20,6

            """.write(toFile: filled, atomically: true, encoding: .utf8)
        let model = try CLI.run(["model", "ptace", "--clinical", filled, "--format", "csv"])
        #expect(model.status == 0, "\(model.stderr)")
        let modelRows = model.stdout.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        let mh = modelRows[0]
        for (batchRow, modelRow) in [(c03, modelRows[1]), (rows[3], modelRows[2])] {
            for name in ["ptace_score", "ptace_grade", "ptace_probability", "albi_grade"] {
                #expect(cell(batchRow, name) == modelRow[mh.firstIndex(of: name)!], "\(name)")
            }
        }
    }
}

/// `radiomics batch --archive` finds the cases by what the files say (issue 19): file names shuffled, folders
/// nested and mixed, an extra non-image series and an RTSTRUCT of a series that is not there change nothing.
@Suite struct ArchiveDiscoveryCommandTests {
    let dir: TemporaryDirectory
    static let samples = BatchCommandTests.samples
    init() throws { dir = try TemporaryDirectory("archive") }

    /// Every DICOM file of the sample scans under a new name in one of a few nested folders shared by all
    /// studies; the NIfTI case keeps its folder (its files are paired by name).
    func shuffledArchive(blankDescriptions: Bool = false) throws -> String {
        let root = dir.file("archive")
        var random = SeededRandom(seed: 7)
        let folders = ["a/x", "a/y/z", "b", "c/d/e/f"]
        let walker = FileManager.default.enumerator(atPath: Self.samples)!
        var n = 0
        while let rel = walker.nextObject() as? String {
            let source = "\(Self.samples)/\(rel)"
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: source, isDirectory: &isDir), !isDir.boolValue else { continue }
            if rel.hasPrefix("case-002/") {
                try FileManager.default.createDirectory(atPath: "\(root)/nifti/case-002", withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: source, toPath: "\(root)/nifti/case-002/\((rel as NSString).lastPathComponent)")
                continue
            }
            guard rel.hasSuffix(".dcm") || !rel.contains(".") else { continue }
            let folder = "\(root)/\(folders[random.index(below: folders.count)])"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            n += 1
            var data = try Data(contentsOf: URL(fileURLWithPath: source))
            if blankDescriptions {
                // The phase names in SeriesDescription become spaces (same length): the header no longer tells.
                for word in ["precontrast", "arterial", "portal"] {
                    let tag: [UInt8] = [0x08, 0x00, 0x3E, 0x10, 0x4C, 0x4F]
                    if let at = data.firstRange(of: Data(tag)) {
                        let length = Int(data[at.lowerBound + 6]) | Int(data[at.lowerBound + 7]) << 8
                        let value = at.lowerBound + 8
                        if String(decoding: data[value..<(value + length)], as: UTF8.self).contains(word) {
                            data.replaceSubrange(value..<(value + length), with: Data(repeating: 0x20, count: length))
                        }
                    }
                }
            }
            try data.write(to: URL(fileURLWithPath: "\(folder)/F\(String(format: "%05d", random.index(below: 100_000)))-\(n)"))
        }
        return root
    }

    /// case_id -> what identifies each input: series UIDs of the phases, mask file contents.
    func inputs(ofManifest path: String) throws -> [String: [String]] {
        let table = try CSVTable.read(path: path)
        let folder = (path as NSString).deletingLastPathComponent
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : "\(folder)/\(p)" }
        var out: [String: [String]] = [:]
        for row in table.rows {
            func cell(_ name: String) -> String { table.header.firstIndex(of: name).map { row[$0] } ?? "" }
            var id: [String] = []
            for (image, series) in [("image", "series"), ("portal", "portal_series"), ("precontrast", "precontrast_series")] {
                let p = cell(image)
                if p.isEmpty { id.append("-"); continue }
                if Nifti.isNiftiPath(p) { id.append(try Data(contentsOf: URL(fileURLWithPath: resolve(p))).base64EncodedString().suffix(64).description); continue }
                let uid = cell(series)
                id.append(uid.isEmpty ? try DicomSeriesReader.listSeries(path: resolve(p))[0].seriesInstanceUID : uid)
            }
            for mask in ["mask", "liver_mask"] {
                let p = cell(mask)
                id.append(p.isEmpty ? "-" : try Data(contentsOf: URL(fileURLWithPath: resolve(p))).base64EncodedString().suffix(64).description)
            }
            out[cell("case_id")] = id
        }
        return out
    }

    /// Runs `batch --archive root`, expects the cases, series and masks of the hand-written manifest, and returns
    /// the phase_source column.
    func runAndCompare(_ root: String, _ out: String, _ extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        let r = try CLI.run(["batch", "--archive", root, "-o", out] + extra)
        #expect(r.status == 0, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(try inputs(ofManifest: "\(out)/manifest.csv") == inputs(ofManifest: "\(Self.samples)/manifest.csv"), sourceLocation: sourceLocation)
        let manifest = try CSVTable.read(path: "\(out)/manifest.csv")
        let source = try manifest.columnIndex("phase_source")
        return manifest.rows.map { $0[source] }
    }

    @Test func theShuffledArchiveGivesTheHandWrittenManifest() throws {
        let root = try shuffledArchive()
        // An extra non-image series: the structure set made into a text report (same-length UIDs patched).
        var report = try Data(contentsOf: URL(fileURLWithPath: "\(Self.samples)/case-001/tumour-rtstruct.dcm"))
        for (from, to) in [("1.2.840.10008.5.1.4.1.1.481.3", "1.2.840.10008.5.1.4.1.1.88.11")] {
            while let r = report.firstRange(of: Data(from.utf8)) { report.replaceSubrange(r, with: Data(to.utf8)) }
        }
        try report.write(to: URL(fileURLWithPath: "\(root)/b/report"))
        // An unrelated RTSTRUCT: drawn on a series that is not in the archive.
        let files = try SyntheticCaseFiles()
        try FileManager.default.copyItem(atPath: files.rtstruct, toPath: "\(root)/a/x/unrelated-rs")
        try "notes about the study".write(toFile: "\(root)/a/readme.txt", atomically: true, encoding: .utf8)

        let out = dir.file("out")
        let sources = try runAndCompare(root, out, ["--clinical", "\(Self.samples)/clinical.csv"])
        #expect(sources == ["single series", "single series", "description", "description", "description", "description"])
        let log = try String(contentsOfFile: "\(out)/batch.log", encoding: .utf8)
        #expect(log.contains("unrelated-rs: its image series"), "\(log)")
        // --discover-only writes the same list and runs nothing.
        let listed = dir.file("listed")
        let d = try CLI.run(["batch", "--archive", root, "--discover-only", "-o", listed])
        #expect(d.status == 0 && d.stderr.contains("6 cases found"), "\(d.stderr)")
        #expect(try String(contentsOfFile: "\(listed)/manifest.csv", encoding: .utf8) == String(contentsOfFile: "\(out)/manifest.csv", encoding: .utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: listed) == ["manifest.csv"])
        // The tables equal those of the hand-written manifest.
        let reference = dir.file("reference")
        #expect(try CLI.run(["batch", "\(Self.samples)/manifest.csv", "--clinical", "\(Self.samples)/clinical.csv", "-o", reference]).status == 0)
        for name in ["features.csv", "vascularization.csv", "ptace.csv"] {
            #expect(try String(contentsOfFile: "\(out)/\(name)", encoding: .utf8) == String(contentsOfFile: "\(reference)/\(name)", encoding: .utf8), "\(name)")
        }
    }

    /// Series descriptions blanked: the phases come from the image (the aorta's enhancement), and are right.
    @Test func phasesFromTheAortaWhenTheHeaderIsSilent() throws {
        let root = try shuffledArchive(blankDescriptions: true)
        let sources = try runAndCompare(root, dir.file("out"))
        #expect(sources == ["single series", "single series"] + [String](repeating: "image (aorta)", count: 4))
    }
}

/// The README's job array on a real one-node Slurm cluster, started and stopped by scripts/test-slurm.sh.
@Suite struct SlurmTests {
    static let ready = which("slurmctld") != nil && which("munged") != nil && which("sbatch") != nil && getuid() == 0

    @Test(.enabled(if: ready, "Slurm is not installed (apt-get install slurm-wlm munge) or the tests do not run as root"),
          .timeLimit(.minutes(10)))
    func jobArrayShardsMergeToTheSingleRun() throws {
        let script = (SharedData.repositoryRoot as NSString).appendingPathComponent("scripts/test-slurm.sh")
        let r = try runProcess("/bin/bash", [script, CLI.path], timeout: 500)
        if r.status == 77 {
            print("SlurmTests: Slurm could not be started here, test skipped: \(r.stderr)")
            return
        }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("3 shards run by Slurm"), "\(r.stderr)")
    }
}

/// The review commands on a batch's output: verdicts from a spreadsheet, the agreement tables, and a consensus
/// that `model ptace --vascularization` takes.
@Suite struct ReviewCommandTests {
    @Test func importExportAndPTACE() throws {
        let dir = try TemporaryDirectory("review-cli")
        let out = dir.file("results")
        let s = BatchCommandTests.samples
        #expect(try CLI.run(["batch", "\(s)/manifest.csv", "-o", out]).status == 0)
        let verdicts = dir.file("verdicts.csv")
        try """
            case_id,reader,type,confidence,not_assessable
            hcc-type1,ana,1,5,
            hcc-type2,ana,2,4,
            hcc-type3,ana,3,4,
            hcc-type4,ana,4,5,
            hcc-type1,ben,1,4,
            hcc-type2,ben,3,3,
            hcc-type3,ben,3,4,
            hcc-type4,ben,,,mask wrong

            """.write(toFile: verdicts, atomically: true, encoding: .utf8)
        let imported = try CLI.run(["review", "import", out, "--verdicts", verdicts])
        #expect(imported.status == 0 && imported.stderr.contains("8 verdicts stored"), "\(imported.stderr)")
        let exported = try CLI.run(["review", "export", out])
        #expect(exported.status == 0, "\(exported.stderr)")
        let agreement = try CSVTable.read(path: "\(out)/review/agreement.csv")
        let row = try #require(agreement.rows.first { $0[1] == "algorithm" && $0[2] == "ana" && $0[3] == "types 1-4" })
        #expect(row[4] == "4" && row[5] == "1.000000", "\(row)")
        // ana and ben disagree on hcc-type2: a tie, left without a type; the others have a majority.
        let consensus = try CSVTable.read(path: "\(out)/review/consensus.csv")
        #expect(consensus.rows.map { $0[1] } == ["1", "", "3", "4"])
        let clinical = dir.file("clinical.csv")
        try "case_id,afp,ggt,albumin,bilirubin,tumor_size_cm\nhcc-type1,8,35,43,9,4\nhcc-type3,2400,140,33,24,5\n"
            .write(toFile: clinical, atomically: true, encoding: .utf8)
        let ptace = try CLI.run(["model", "ptace", "--clinical", clinical, "--vascularization", "\(out)/review/consensus.csv"])
        #expect(ptace.status == 0, "\(ptace.stderr)")
        #expect(ptace.stdout.split(separator: "\n").count == 3)
    }
}
