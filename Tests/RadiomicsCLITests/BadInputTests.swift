import Foundation
import RadiomicsCore
import RadiomicsIO
import RadiomicsSynthetic
import Testing
import TestSupport

/// The `radiomics` executable built beside the test bundle.
enum CLI {
    static let path: String = {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let p = candidate.appendingPathComponent("radiomics").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return (SharedData.repositoryRoot as NSString).appendingPathComponent(".build/debug/radiomics")
    }()

    static func run(_ arguments: [String]) throws -> ProcessResult { try runProcess(path, arguments, timeout: 120) }
}

/// A small synthetic case on disk: DICOM series, RTSTRUCT, SEG, and the tumour as a NIfTI label image.
final class SyntheticCaseFiles {
    let dir: TemporaryDirectory
    let grid = SyntheticCT.axialGrid(size: [40, 36, 10], spacing: [2.5, 2.5, 3])
    var series: String { dir.file("ct") }
    var rtstruct: String { dir.file("rs.dcm") }
    var seg: String { dir.file("seg.dcm") }
    var niftiMask: String { dir.file("tumour.nii.gz") }
    let synthetic: SyntheticCase

    init() throws {
        dir = try TemporaryDirectory("cli")
        var anatomy = SyntheticCT.Anatomy()
        anatomy.tumourCentre = [0, 0, 0]
        anatomy.tumourRadii = [15, 12, 9]
        synthetic = SyntheticCT.makeCase(geometry: grid, anatomy: anatomy, seed: 11)
        let identity = DicomStudyIdentity(caseID: "cli-case", seriesDescription: "arterial")
        let slices = try DicomSeriesWriter.write(synthetic.image, to: dir.file("ct"), identity: identity)
        try RTStructWriter.write(roiName: "Tumour", contours: synthetic.tumourContours, referencing: slices,
                                 identity: identity, to: dir.file("rs.dcm"))
        try DicomSEGWriter.write(mask: synthetic.tumour, segmentLabel: "Tumour", referencing: slices,
                                 identity: identity, to: dir.file("seg.dcm"))
        try Nifti.write(synthetic.tumour, to: dir.file("tumour.nii.gz"))
    }
}

/// Every kind of bad input gives one short line on stderr naming the file and the problem, exit code 1,
/// and no crash or hang.
@Suite struct BadInputTests {
    let files: SyntheticCaseFiles
    init() throws { files = try SyntheticCaseFiles() }

    func expectFailure(_ args: [String], file: String, saying words: String,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try CLI.run(["extract"] + args)
        #expect(!r.timedOut, "hung", sourceLocation: sourceLocation)
        #expect(r.status == 1, "exit status \(r.status); stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stdout.isEmpty, sourceLocation: sourceLocation)
        let line = r.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(line.hasPrefix("radiomics: \(file): "), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(line.contains(words), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(!r.stderr.contains("Assertion") && !r.stderr.contains("crashed"), sourceLocation: sourceLocation)
    }

    @Test func goodInputWorks() throws {
        let r = try CLI.run(["extract", files.series, files.rtstruct, "--roi", "Tumour"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let diag = try #require(json?["diagnostics"] as? [String: Any])
        #expect(diag["image_size"] as? [Int] == [40, 36, 10])
        #expect((diag["roi_voxels"] as? Int ?? 0) > 100)
        #expect(json?["features"] is [String: Any])
    }

    @Test func truncatedSliceInASeries() throws {
        let slice = try FileManager.default.contentsOfDirectory(atPath: files.series).sorted()[4]
        let path = "\(files.series)/\(slice)"
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
        try expectFailure([files.series, files.seg], file: path, saying: "truncated")
    }

    @Test func truncatedFileInItsHeader() throws {
        let path = files.dir.file("short.dcm")
        let data = try Data(contentsOf: URL(fileURLWithPath: files.rtstruct))
        for cut in [140, 200, 400, 1000, data.count - 3] {
            try data.prefix(cut).write(to: URL(fileURLWithPath: path))
            try expectFailure([files.series, path], file: path, saying: "truncated")
        }
    }

    @Test func randomBytesNamedDcm() throws {
        let path = files.dir.file("random.dcm")
        var rng = SeededRandom(seed: 5)
        try Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) }).write(to: URL(fileURLWithPath: path))
        try expectFailure([path, files.rtstruct], file: path, saying: "not a DICOM file")
        try expectFailure([files.series, path], file: path, saying: "not a DICOM file")
    }

    @Test func textNamedNiftiGz() throws {
        let path = files.dir.file("notes.nii.gz")
        try "this is not an image\n".write(toFile: path, atomically: true, encoding: .utf8)
        try expectFailure([path, files.niftiMask], file: path, saying: "not a NIfTI file")
        try expectFailure([files.series, path], file: path, saying: "not a NIfTI file")
        // A long text file too (past the 348-byte header size).
        try String(repeating: "lorem ipsum ", count: 100).write(toFile: path, atomically: true, encoding: .utf8)
        try expectFailure([files.series, path], file: path, saying: "not a NIfTI file")
    }

    @Test func emptyFiles() throws {
        for name in ["empty.dcm", "empty.nii.gz", "empty.nii"] {
            let path = files.dir.file(name)
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
            try expectFailure([path, files.rtstruct], file: path, saying: "empty file")
            try expectFailure([files.series, path], file: path, saying: "empty file")
        }
    }

    @Test func twoSeriesInOneFolder() throws {
        let other = SyntheticCT.makeCase(geometry: files.grid, seed: 99)
        let identity = DicomStudyIdentity(caseID: "cli-case", seriesDescription: "portal venous")
        _ = try DicomSeriesWriter.write(other.image, to: files.series, identity: identity,
                                        fileName: { String(format: "PV%04d.dcm", $0) })
        try expectFailure([files.series, files.rtstruct], file: files.series, saying: "2 image series found; choose one with --series")
        let r = try CLI.run(["extract", files.series, files.rtstruct, "--series", identity.seriesInstanceUID])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func emptyMask() throws {
        let path = files.dir.file("zeros.nii.gz")
        try Nifti.write(Mask(geometry: files.grid, repeating: 0), to: path)
        try expectFailure([files.series, path], file: path, saying: "empty mask")
        try expectFailure([files.series, files.niftiMask, "--label", "3"], file: files.niftiMask, saying: "no voxel with label 3")
    }

    @Test func nonOverlappingMask() throws {
        var far = files.grid
        far.origin += [0, 0, 400] // 40 cm above the image
        let path = files.dir.file("elsewhere.nii.gz")
        try Nifti.write(Mask(geometry: far, voxels: files.synthetic.tumour.voxels), to: path)
        try expectFailure([files.series, path], file: path, saying: "does not overlap the image")
        // The same for contours outside the image's slices.
        let shifted = files.synthetic.tumourContours.map { $0.map { $0 + SIMD3(0, 0, 400) } }
        let identity = DicomStudyIdentity(caseID: "cli-case", seriesDescription: "arterial")
        let rs = files.dir.file("rs-far.dcm")
        try RTStructWriter.write(roiName: "Tumour", contours: shifted, referencing: [], identity: identity, to: rs)
        try expectFailure([files.series, rs], file: rs, saying: "does not overlap the image")
    }

    @Test func rtstructWithoutTheRequestedROI() throws {
        try expectFailure([files.series, files.rtstruct, "--roi", "Liver"], file: files.rtstruct,
                          saying: "no ROI named 'Liver'; ROIs: 'Tumour'")
    }

    @Test func segWithoutTheRequestedSegment() throws {
        try expectFailure([files.series, files.seg, "--label", "4"], file: files.seg, saying: "no segment number 4")
    }

    @Test func imageGivenAsMask() throws {
        let slice = try FileManager.default.contentsOfDirectory(atPath: files.series).sorted()[0]
        let path = "\(files.series)/\(slice)"
        try expectFailure([files.series, path], file: path, saying: "not a mask")
    }

    @Test func missingFiles() throws {
        let path = files.dir.file("nowhere")
        try expectFailure([path, files.rtstruct], file: path, saying: "no such file")
        try expectFailure([files.series, path + ".nii.gz"], file: path + ".nii.gz", saying: "no such file")
    }
}
