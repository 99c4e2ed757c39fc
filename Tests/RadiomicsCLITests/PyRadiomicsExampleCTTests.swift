import Foundation
import RadiomicsCore
import RadiomicsIO
import Testing
import TestSupport

/// PyRadiomics' recommended CT settings (../shared/data/pyradiomics/exampleCT.yaml, unchanged: Original, LoG sigma
/// 1-5 mm, Wavelet; B-spline resampling to 1 mm) on a real CT, against PyRadiomics 3.1's own values:
/// Tests/Fixtures/pyradiomics/examplect-liver.csv, written by scripts/make-examplect-reference.sh (pyradiomics-bhklab
/// 3.1.4, SimpleITK 2.5.7, PyWavelets 1.9.0, numpy 2.4.6, Python 3.11) on the liver series of ../shared/data/liver_ct
/// converted by `radiomics convert`, with a 20 mm sphere in the liver as the ROI (10,635 voxels at 0.8 x 0.8 x 5 mm).
/// The same 1,218 keys in PyRadiomics' order, every value within 1e-6 relative (1e-9 absolute near zero).
@Suite struct PyRadiomicsExampleCTTests {
    static let fixture = SharedData.repositoryRoot + "/Tests/Fixtures/pyradiomics/examplect-liver.csv"

    @Test(.enabled(if: SharedData.liverAvailable && PyRadiomicsReference.available, Comment(rawValue: SharedData.missingReason)))
    func exampleCTOnTheLiverSeries() throws {
        let dir = try TemporaryDirectory("examplect")
        let converted = try CLI.run(["convert", SharedData.path("data/liver_ct/CRLM-CT-1004/image"), dir.file("liver.nii.gz")])
        #expect(converted.status == 0, "\(converted.stderr)")
        // The script's sphere: centre at voxel (141.3, 228.7, 20.4), radius 20 mm along the grid's axes.
        let g = try Nifti.read(path: dir.file("liver.nii.gz")).geometry
        var voxels = [UInt8](repeating: 0, count: g.voxelCount)
        for k in 0..<g.size.z {
            for j in 0..<g.size.y {
                for i in 0..<g.size.x {
                    let dx = (Double(i) - 141.3) * g.spacing.x, dy = (Double(j) - 228.7) * g.spacing.y
                    let dz = (Double(k) - 20.4) * g.spacing.z
                    if dx * dx + dy * dy + dz * dz <= 20.0 * 20.0 { voxels[g.linearIndex(i, j, k)] = 1 }
                }
            }
        }
        #expect(voxels.reduce(0) { $0 + Int($1) } == 10_635)
        try Nifti.write(Volume(geometry: g, voxels: voxels), to: dir.file("sphere.nii.gz"))
        let r = try CLI.run(["extract", dir.file("liver.nii.gz"), dir.file("sphere.nii.gz"), "--params",
                             PyRadiomicsReference.directory + "/exampleCT.yaml", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try #require(lines.first), row = try #require(lines.last)
        let reference = try String(contentsOfFile: Self.fixture, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").map(String.init) }
        let keys = reference.map { $0[0] }
        #expect(keys.count == 1218)
        // Feature columns come last and are all numbers (diagnostic cells before them may hold commas).
        let features = Array(header.suffix(keys.count))
        #expect(features == keys, "keys or their order differ from PyRadiomics'")
        let values = Dictionary(uniqueKeysWithValues: zip(features, row.suffix(keys.count)))
        var failures: [String] = []
        for line in reference {
            guard let ours = values[line[0]].flatMap(Double.init), let expected = Double(line[1]) else {
                failures.append("\(line[0]): missing"); continue
            }
            if !PyRadiomicsReference.agrees(ours, expected) { failures.append("\(line[0]): ours \(ours), PyRadiomics \(expected)") }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(keys.count) values differ:\n\(failures.prefix(40).joined(separator: "\n"))")
    }
}
