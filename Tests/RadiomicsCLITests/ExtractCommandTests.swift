import Foundation
import RadiomicsCore
import RadiomicsIO
import Testing
import TestSupport

@Suite struct ExtractCommandTests {
    @Test func csvAndOutputFile() throws {
        let files = try SyntheticCaseFiles()
        let out = files.dir.file("out.csv")
        let r = try CLI.run(["extract", files.series, files.seg, "--format", "csv", "--output", out, "--case-id", "HCC-007"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("diagnostics_case_id,"))
        #expect(lines[1].hasPrefix("HCC-007,DICOM,"))
    }

    /// The three mask formats of the same tumour on the same series agree.
    @Test func maskFormatsAgree() throws {
        let files = try SyntheticCaseFiles()
        func voxels(_ mask: String) throws -> Int {
            let r = try CLI.run(["extract", files.series, mask])
            #expect(r.status == 0, "\(r.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            return (json?["diagnostics"] as? [String: Any])?["roi_voxels"] as? Int ?? -1
        }
        let seg = try voxels(files.seg), nifti = try voxels(files.niftiMask), rs = try voxels(files.rtstruct)
        #expect(seg == files.synthetic.tumour.regionVoxelCount)
        #expect(nifti == seg)
        #expect(abs(rs - seg) <= seg / 30)
    }

    @Test func paramsFileLabelAndUnknownKeys() throws {
        let files = try SyntheticCaseFiles()
        let params = files.dir.file("params.yaml")
        // A PyRadiomics parameter file: PyRadiomics' keys and definitions, unknown keys named in a warning.
        try "setting:\n  label: 1\n  binWidth: 25\n  madeUpKey: 3\nfeatureClass:\n  firstorder:\n  glcm: [Idmn]\n"
            .write(toFile: params, atomically: true, encoding: .utf8)
        let r = try CLI.run(["extract", files.series, files.niftiMask, "--params", params, "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("setting.madeUpKey"), "\(r.stderr)")
        let header = r.stdout.prefix(while: { $0 != "\n" }).split(separator: ",").map(String.init)
        let features = header.filter { $0.hasPrefix("original_") }
        #expect(features.first == "original_firstorder_10Percentile" && features.last == "original_glcm_Idmn", "\(features)")
        #expect(features.count == 19)
        try "setting:\n  binWidth: 25\nimageType:\n  Original: {}\n  Wavelet: {}\nfeatureClass:\n  firstorder:\n"
            .write(toFile: params, atomically: true, encoding: .utf8)
        let wavelet = try CLI.run(["extract", files.series, files.niftiMask, "--params", params, "--format", "csv"])
        #expect(wavelet.status == 0, "\(wavelet.stderr)")
        let waveletKeys = wavelet.stdout.prefix(while: { $0 != "\n" }).split(separator: ",").map(String.init)
        // Original then the eight sub-bands in PyRadiomics' order, 18 first-order features each.
        let images = waveletKeys.filter { $0.hasSuffix("_firstorder_Mean") }
        #expect(images == ["original", "wavelet-LLH", "wavelet-LHL", "wavelet-LHH", "wavelet-HLL", "wavelet-HLH", "wavelet-HHL",
                           "wavelet-HHH", "wavelet-LLL"].map { $0 + "_firstorder_Mean" }, "\(images)")
        try "setting:\n  binWidth: 25\nimageType:\n  LBP3D: {}\n".write(toFile: params, atomically: true, encoding: .utf8)
        let lbp3D = try CLI.run(["extract", files.series, files.niftiMask, "--params", params])
        #expect(lbp3D.status == 1 && lbp3D.stderr.contains("imageType LBP3D is not supported"), "\(lbp3D.stderr)")
        try "setting: [1, 2\n".write(toFile: params, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["extract", files.series, files.niftiMask, "--params", params])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("radiomics: \(params): not valid YAML"))
    }

    @Test func seriesAndConvertCommands() throws {
        let files = try SyntheticCaseFiles()
        let list = try CLI.run(["series", files.dir.path])
        #expect(list.status == 0)
        #expect(list.stdout.contains("\"arterial\"") && list.stdout.contains("(10 files)"))
        let nii = files.dir.file("ct.nii.gz")
        let conv = try CLI.run(["convert", files.series, nii])
        #expect(conv.status == 0, "\(conv.stderr)")
        let back = try Nifti.read(path: nii)
        #expect(back.geometry.isSameGrid(as: files.grid, tolerance: 1e-5))
    }

    /// The README's main job: the committed sample cases load and give a non-empty ROI.
    @Test func sampleScans() throws {
        let root = SharedData.repositoryRoot + "/sample-scans"
        let cases: [[String]] = [
            ["case-001/ct", "case-001/tumour-rtstruct.dcm", "--roi", "Tumour"],
            ["case-001/ct", "case-001/tumour-seg.dcm"],
            ["case-002/image.nii.gz", "case-002/tumour.nii.gz"],
        ]
        for c in cases {
            let args = ["extract", "\(root)/\(c[0])", "\(root)/\(c[1])"] + c.dropFirst(2)
            let r = try CLI.run(args)
            #expect(r.status == 0, "\(c): \(r.stderr)")
            #expect(r.stdout.contains("\"roi_voxels\""))
        }
    }
}

/// The three-phase samples: typed as made, and exactly what `make-samples` writes today.
@Suite struct VascularizationSampleTests {
    @Test func sampleCasesAreTypedAsMade() throws {
        let root = SharedData.repositoryRoot + "/sample-scans"
        let r = try CLI.run(["vasc", "classify", "--manifest", "\(root)/vasc-manifest.csv", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "no warnings: \(r.stderr)")
        let table = try CSVTable.parse(r.stdout, source: "stdout")
        let type = try table.columnIndex("type")
        #expect(table.rows.map { "\($0[0]):\($0[type])" } == ["hcc-type1:1", "hcc-type2:2", "hcc-type3:3", "hcc-type4:4"])
    }

    @Test func makeSamplesReproducesTheCommittedFiles() throws {
        let dir = try TemporaryDirectory("samples")
        let r = try CLI.run(["make-samples", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        let root = SharedData.repositoryRoot + "/sample-scans"
        let made = try FileManager.default.subpathsOfDirectory(atPath: dir.path).filter { !$0.hasSuffix("/") }.sorted()
        var compared = 0
        for path in made {
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: dir.file(path), isDirectory: &isDir)
            if isDir.boolValue { continue }
            #expect(FileManager.default.contents(atPath: dir.file(path)) == FileManager.default.contents(atPath: "\(root)/\(path)"),
                    "sample-scans/\(path) differs from what make-samples writes")
            compared += 1
        }
        #expect(compared > 100)
    }
}

@Suite struct SnapshotCommandTests {
    @Test func writesAPNGOfTheSlice() throws {
        let files = try SyntheticCaseFiles()
        let png = files.dir.file("slice.png")
        let r = try CLI.run(["snapshot", files.series, files.rtstruct, "--output", png])
        #expect(r.status == 0, "\(r.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        // IHDR: width and height, big endian, at bytes 16 and 20.
        func be32(_ at: Int) -> Int { data[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        #expect(be32(16) == files.grid.size.x && be32(20) == files.grid.size.y)
        let bad = try CLI.run(["snapshot", files.series, files.rtstruct, "--output", png, "--slice", "99"])
        #expect(bad.status == 1 && bad.stderr.contains("--slice 99 is outside"))
    }

    @Test func outlineIsDrawnWhereTheMaskIs() {
        let grid = ImageGeometry(size: [8, 6, 1], spacing: [1, 1, 1])
        var mask = Mask(geometry: grid, repeating: 0)
        for j in 1...3 { for i in 2...5 { mask[i, j, 0] = 1 } }
        let w = grid.size.x
        let pixels = SliceSnapshot.render(plane: [Double](repeating: 60, count: grid.voxelCount), width: w, height: grid.size.y,
                                          windowCentre: 60, windowWidth: 400,
                                          outlines: [.init(region: mask.voxels, red: 255, green: 0, blue: 0)])
        func red(_ i: Int, _ j: Int) -> Bool { pixels[3 * (j * w + i)] == 255 && pixels[3 * (j * w + i) + 1] == 0 }
        #expect(red(2, 1) && red(5, 3))   // boundary
        #expect(!red(3, 2) && !red(0, 0)) // interior and outside
        #expect(pixels[0] == 128)         // 60 HU at window 60/400 is mid-grey
    }
}

/// `radiomics extract ... --params params/ibsi-config-c.yaml --format json` on the NIfTI CT phantom prints
/// every tag of configuration C's reference table.
@Suite(.enabled(if: SharedData.ibsiAvailable, Comment(rawValue: SharedData.missingReason)))
struct ExtractIBSIPresetTests {
    @Test func everyReferenceTagIsPrinted() throws {
        let phantom = SharedData.path("data/ibsi/ct_radiomics_phantom/nifti")
        let r = try CLI.run(["extract", "\(phantom)/image/phantom.nii.gz", "\(phantom)/mask/mask.nii.gz",
                             "--params", "\(SharedData.repositoryRoot)/params/ibsi-config-c.yaml", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let keys = Set((json["diagnostics"] as? [String: Any] ?? [:]).keys).union((json["features"] as? [String: Any] ?? [:]).keys)
        let reference = try ibsiReference("ibsi_1_chest_config_c.csv")
        let missing = reference.keys.filter { !keys.contains($0) }.sorted()
        #expect(missing.isEmpty, "missing: \(missing)")
        let features = json["features"] as? [String: Any] ?? [:]
        #expect(reference["morph_volume"]!.accepts(features["morph_volume"] as? Double ?? 0))
    }
}
