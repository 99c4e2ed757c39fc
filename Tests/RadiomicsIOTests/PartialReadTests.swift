import Foundation
@testable import RadiomicsIO
import RadiomicsCore
import RadiomicsSynthetic
import Testing
import TestSupport

/// Reading only the slices a caller chooses (ImageReader's `slices`), and the fast paths of loading: uncompressed
/// DICOM pixel data read without GDCM, the Int16 rescale, label masks selected in place.
@Suite struct PartialReadTests {
    static let grid = SyntheticCT.axialGrid(size: [40, 36, 14], spacing: [2, 2.5, 3])

    static func slab(_ v: Volume<Int16>, _ z: ClosedRange<Int>) -> Volume<Int16> {
        v.cropped(to: BoundingBox(lower: SIMD3(0, 0, z.lowerBound), upper: SIMD3(v.size.x - 1, v.size.y - 1, z.upperBound)))
    }

    @Test(arguments: ["nii", "nii.gz", "dicom"])
    func chosenSlicesEqualTheSameSlicesOfTheWholeImage(kind: String) throws {
        let tmp = try TemporaryDirectory()
        let c = SyntheticCT.makeCase(geometry: Self.grid, seed: 3)
        let path: String
        if kind == "dicom" {
            path = tmp.file("ct")
            _ = try DicomSeriesWriter.write(c.image, to: path, identity: DicomStudyIdentity(caseID: "p", seriesDescription: "p"))
        } else {
            path = tmp.file("image.\(kind)")
            try Nifti.write(c.image, to: path)
        }
        var seen: ImageGeometry?
        let part = try ImageReader.read(path: path) { grid, _ in
            seen = grid
            return 4...9
        }
        let whole = try ImageReader.read(path: path)
        #expect(seen.map { $0.isSameGrid(as: whole.image.geometry, tolerance: 1e-6) } == true)
        #expect(part.fullGeometry.isSameGrid(as: whole.image.geometry, tolerance: 1e-6))
        guard case .int16(let p) = part.image, case .int16(let w) = whole.image else {
            Issue.record("expected Int16 storage"); return
        }
        let expected = Self.slab(w, 4...9)
        #expect(p.size == SIMD3(40, 36, 6))
        #expect(p.geometry.isSameGrid(as: expected.geometry, tolerance: 1e-6))
        #expect(p.voxels == expected.voxels)
    }

    @Test func labelSelectionAndVoxelCountsMatchPlainLoops() throws {
        var rng = SeededRandom(seed: 5)
        for length in [0, 1, 7, 8, 9, 63, 64, 1001] {
            let bytes = (0..<length).map { _ in UInt8(rng.next() % 4) }
            let count = bytes.withUnsafeBytes { ByteScan.countNonZero($0) }
            #expect(count == bytes.filter { $0 != 0 }.count)
            for label: UInt8? in [nil, 0, 2, 3] {
                var selected = bytes
                selected.withUnsafeMutableBytes { ByteScan.select($0, equalTo: label) }
                #expect(selected == bytes.map { b in (label.map { b == $0 } ?? (b != 0)) ? 1 : 0 }, "length \(length), label \(String(describing: label))")
            }
        }
    }

    @Test func int16RescaleKeepsValuesAndRefusesOverflow() {
        func run(_ raw: [UInt16], signed: Bool, bitsStored: Int, intercept: Int32) -> [Int16]? {
            var out = [Int16](repeating: 0, count: raw.count)
            let ok = raw.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    Int16.fillInt16(dst, source: src, signed: signed, bitsStored: bitsStored, intercept: intercept, count: raw.count)
                }
            }
            return ok ? out : nil
        }
        // Unsigned 12 bits stored: the high (overlay) bits are masked, then the intercept added.
        #expect(run([0, 1024, 4095, 0xF000 | 100], signed: false, bitsStored: 12, intercept: -1024) == [-1024, 0, 3071, -924])
        // Unsigned 16 bits: fits after the intercept, or is refused (the caller then decodes as Float).
        #expect(run([40000, 0], signed: false, bitsStored: 16, intercept: -10000) == [30000, -10000])
        #expect(run([40000], signed: false, bitsStored: 16, intercept: 0) == nil)
        // Signed: two's complement, with the intercept; overflow refused.
        #expect(run([UInt16(bitPattern: -1000), 500], signed: true, bitsStored: 16, intercept: -24) == [-1024, 476])
        #expect(run([UInt16(bitPattern: Int16.min)], signed: true, bitsStored: 16, intercept: -1) == nil)
    }

    @Test func uncompressedPixelDataAreFoundWithoutDecoding() throws {
        let tmp = try TemporaryDirectory()
        let c = SyntheticCT.makeCase(geometry: Self.grid, seed: 4)
        let slices = try DicomSeriesWriter.write(c.image, to: tmp.path, identity: DicomStudyIdentity(caseID: "n", seriesDescription: "n"))
        let file = try DicomFile(path: slices[0].path, headerOnly: true)
        let location = try #require(file.nativePixelData)
        #expect(location.length == 40 * 36 * 2)
        let size = try FileManager.default.attributesOfItem(atPath: slices[0].path)[.size] as! Int
        #expect(location.offset + location.length == size)
    }
}
