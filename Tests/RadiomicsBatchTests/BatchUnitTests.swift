import Foundation
import RadiomicsCore
import RadiomicsFeatures
import RadiomicsPipeline
import Testing
import TestSupport
@testable import RadiomicsBatch
@testable import RadiomicsIO

@Suite struct ShardTests {
    /// FNV-1a 64-bit test vectors (Fowler, Noll, Vo; draft-eastlake-fnv): the shard of a case must never change.
    @Test func stableHash() {
        #expect(Shard.hash("") == 0xcbf2_9ce4_8422_2325)
        #expect(Shard.hash("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(Shard.hash("foobar") == 0x8594_4171_f739_67e8)
    }

    @Test func everyCaseInExactlyOneShard() throws {
        let shards = try (1...5).map { try Shard(index: $0, count: 5) }
        var sizes = [Int](repeating: 0, count: 5)
        for i in 0..<1000 {
            let id = "HCC-\(i)"
            let owners = shards.filter { $0.contains(id) }
            #expect(owners.count == 1)
            sizes[owners[0].index - 1] += 1
        }
        #expect(sizes.allSatisfy { (150...250).contains($0) }, "\(sizes)")
    }

    @Test func parsingAndSlurm() throws {
        #expect(try Shard(parsing: "2/8") == Shard(index: 2, count: 8))
        for bad in ["0/3", "4/3", "1/0", "a/b", "3", "1/2/3"] {
            #expect(throws: RadiomicsError.self) { try Shard(parsing: bad) }
        }
        #expect(try Shard.fromSlurm([:]) == nil)
        #expect(try Shard.fromSlurm(["SLURM_ARRAY_TASK_ID": "12", "SLURM_ARRAY_TASK_MIN": "10", "SLURM_ARRAY_TASK_COUNT": "4"])
                == Shard(index: 3, count: 4))
        #expect(try Shard.fromSlurm(["SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "2"]) == Shard(index: 1, count: 2))
        #expect(throws: RadiomicsError.self) { try Shard.fromSlurm(["SLURM_ARRAY_TASK_ID": "3"]) }
    }
}

@Suite struct BatchManifestTests {
    let dir: TemporaryDirectory
    init() throws { dir = try TemporaryDirectory("manifest") }

    func write(_ text: String) throws -> String {
        let p = dir.file("m.csv")
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    func cases(_ path: String) throws -> [BatchCase] {
        var out: [BatchCase] = []
        try BatchManifest(path: path).forEach { out.append($0) }
        return out
    }

    @Test func thisToolsFormatWithBadRows() throws {
        let p = try write("case_id,image,mask,portal,label\nA,a/ct,a/seg.dcm,a/pv,\nB,,b.nii,,\nC,c.nii,c.nii,,x\n")
        let c = try cases(p)
        #expect(c.map(\.caseID) == ["A", "B", "C"])
        #expect(c.map(\.row) == [1, 2, 3])
        let a = try c[0].input.get()
        #expect(a.images[.arterial]?.path == dir.file("a/ct") && a.images[.portal]?.path == dir.file("a/pv"))
        #expect(throws: RadiomicsError.self) { try c[1].input.get() }
        if case .failure(let e) = c[2].input { #expect(e.problem == "line 4 (case C), column 'label': 'x' is not an integer label") }
    }

    @Test func repeatedCaseIDIsAManifestError() throws {
        let p = try write("case_id,image,mask\nA,a,a\nB,b,b\nA,c,c\n")
        let e = #expect(throws: RadiomicsError.self) { try BatchManifest(path: p) }
        #expect(e?.problem == "line 4: case_id 'A' already used in row 1")
    }

    @Test func pyradiomicsFormatDerivesIdentifiers() throws {
        let unique = try write("Image,Mask,Label\np1/ct.nrrd,p1/seg.nrrd,2\np2/ct2.nii.gz,p2/seg.nrrd,\n")
        var c = try cases(unique)
        #expect(c.map(\.caseID) == ["ct", "ct2"])
        #expect(try c[0].input.get().masks[.tumour]?.label == 2)
        #expect(c[0].copiedColumns.map(\.key) == ["Image", "Mask", "Label"])
        let repeating = try write("Image,Mask\npatient1/image.nrrd,patient1/mask.nrrd\npatient2/image.nrrd,patient2/mask.nrrd\n")
        c = try cases(repeating)
        #expect(c.map(\.caseID) == ["patient1_image", "patient2_image"])
        let withID = try write("ID,Image,Mask\nX1,i.nrrd,m.nrrd\n")
        #expect(try cases(withID).map(\.caseID) == ["X1"])
    }
}

@Suite struct CSVRecordReaderTests {
    /// Records split across 1 MB chunks (multi-byte characters, quoted line breaks, CR LF) read as the whole-text parser reads them.
    @Test func chunkBoundariesChangeNothing() throws {
        let dir = try TemporaryDirectory("csv")
        var text = "case_id,note,value\r\n"
        var i = 0
        while text.utf8.count < 3 << 20 {
            text += "P\(i),\"é\u{1F600} \"\"quoted\"\"\nsecond line, with comma\",\(i)\r\n"
            i += 1
        }
        let path = dir.file("big.csv")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let table = try CSVTable.parse(text, source: path)
        let reader = try CSVRecordReader(path: path)
        #expect(reader.header == table.header)
        var n = 0
        while let r = try reader.nextRow() {
            #expect(r.fields == table.rows[n] && r.line == table.lines[n], "row \(n)")
            n += 1
        }
        #expect(n == table.rows.count && n == i)
    }
}

@Suite struct ColumnOrderTests {
    /// Diagnostics a case lacks (a NIfTI image's transfer syntaxes) do not shift the columns after them.
    @Test func ranksDoNotDependOnOptionalDiagnostics() {
        let dicom = ExtractionResultFixture.result(diagnostics: ["case_id", "image_format", "image_transfer_syntaxes", "mask_format", "mask_roi", "mask_resampled", "image_size"])
        let nifti = ExtractionResultFixture.result(diagnostics: ["case_id", "image_format", "mask_format", "mask_resampled", "image_size"])
        let a = Dictionary(uniqueKeysWithValues: CaseComputation.cells(dicom).map { ($0.name, $0.rank) })
        let b = Dictionary(uniqueKeysWithValues: CaseComputation.cells(nifti).map { ($0.name, $0.rank) })
        for (name, rank) in b { #expect(a[name] == rank, "\(name)") }
        #expect(a["diagnostics_image_size"]! < a["f1"]!)
    }
}

enum ExtractionResultFixture {
    static func result(diagnostics: [String]) -> RadiomicsFeatures.ExtractionResult {
        RadiomicsFeatures.ExtractionResult(caseID: "x", diagnostics: diagnostics.map { ($0, .text("v")) }, features: [("f1", 1), ("f2", .nan)])
    }
}

@Suite struct PhaseAssignmentTests {
    static func series(_ uid: String, description: String = "", time: Double? = nil, contrast: String? = nil) -> ArchiveDiscovery.Series {
        let i = DicomInstance(path: "/archive/\(uid)/1", kind: .image, sopInstanceUID: uid + ".1", studyUID: "S", seriesUID: uid, modality: "CT",
                              seriesDescription: description, imageType: ["ORIGINAL", "PRIMARY", "AXIAL"], patientID: "P", studyDate: "20260101",
                              time: time, contrastAgent: contrast, frames: 1, referencedSeries: [], regions: [])
        return ArchiveDiscovery.Series(uid: uid, instances: [i])
    }

    @Test func descriptions() {
        #expect(ArchiveDiscovery.phase(ofDescription: "Abdomen 5.0 B30f ART") == .arterial)
        #expect(ArchiveDiscovery.phase(ofDescription: "Leber nativ 3mm") == .precontrast)
        #expect(ArchiveDiscovery.phase(ofDescription: "PV phase 70s") == .portal)
        #expect(ArchiveDiscovery.phase(ofDescription: "Non-contrast abdomen") == .precontrast)
        #expect(ArchiveDiscovery.phase(ofDescription: "late arterial / portal") == nil)
        #expect(ArchiveDiscovery.phase(ofDescription: "Delayed 3 min") == nil)
        #expect(ArchiveDiscovery.phase(ofDescription: "Partial volume") == nil)
    }

    @Test func contrastAgentAndAcquisitionTime() throws {
        let s = [Self.series("c", time: 36_070, contrast: "Iomeron"), Self.series("a", time: 36_000, contrast: ""),
                 Self.series("b", time: 36_035, contrast: "Iomeron")]
        let (phases, source) = try ArchiveDiscovery.assignPhases(s, reference: "b")
        #expect(source == "acquisition time")
        #expect(phases.mapValues(\.uid) == [.precontrast: "a", .arterial: "b", .portal: "c"])
        // Without contrast tags, three timed series are pre-contrast, arterial, portal in time order.
        let untagged = [Self.series("x", time: 100), Self.series("y", time: 50), Self.series("z", time: 130)]
        #expect(try ArchiveDiscovery.assignPhases(untagged, reference: "x").0.mapValues(\.uid) == [.precontrast: "y", .arterial: "x", .portal: "z"])
        // Descriptions win over times.
        let described = [Self.series("p", description: "portal", time: 10), Self.series("q", description: "arterial", time: 20)]
        let d = try ArchiveDiscovery.assignPhases(described, reference: "q")
        #expect(d.1 == "description" && d.0.mapValues(\.uid) == [.portal: "p", .arterial: "q"])
    }
}

/// Found by fuzz-csv: a PyRadiomics batch file whose image names are one character, or runs of slashes and dots,
/// crashed deriving the case identifiers (Foundation's path methods); now they are identifiers like any other.
@Suite struct HostileManifestTests {
    @Test func oddImageNames() throws {
        let dir = try TemporaryDirectory("odd")
        let path = dir.file("m.csv")
        let odd = "p0p2\u{0}\u{0}" + String(repeating: "/", count: 55) + "%/." + String(repeating: "/", count: 17) + "\u{0}" + String(repeating: "/", count: 22)
        try "Image,Mask\nx,m\np/,m\n\"\(odd)\",m\n".write(toFile: path, atomically: true, encoding: .utf8)
        var ids: [String] = []
        try BatchManifest(path: path).forEach { ids.append($0.caseID) }
        #expect(ids.count == 3)
    }
}
