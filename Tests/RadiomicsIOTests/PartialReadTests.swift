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
        v.cropped(to: v.geometry.zSlab(z))
    }

    /// Label images of every kind, large enough to be read in two 4 MB blocks whose boundary falls inside a slice
    /// (and a row) holding the label: the box holding a label is found in one pass, and reading only a box gives
    /// that box of the whole mask.
    @Test(arguments: ["uint8", "uint8 label 2", "int16 label 300", "float32", "uint8 gz"])
    func labelBoxIsFoundAndReadAlone(kind: String) throws {
        let tmp = try TemporaryDirectory()
        let uint8 = kind.hasPrefix("uint8")
        // 4 MB falls in slice 104 (uint8, 40,000 bytes a slice) or 52 (int16, 80,000), inside a row.
        let g = ImageGeometry(size: [200, 200, uint8 ? 120 : 60], spacing: [0.7, 0.7, 2], origin: [3, -4, 5])
        let spanned = uint8 ? 30...106 : 20...53
        let value = kind.contains("label") ? (uint8 ? 2 : 300) : 1
        var labels = [Int](repeating: 0, count: g.voxelCount)
        for k in [spanned.lowerBound, spanned.upperBound, (spanned.lowerBound + spanned.upperBound) / 2] {
            labels[g.linearIndex(17 + k, 190 - k, k)] = value
        }
        // The row split between the two blocks holds the label on both sides of the split.
        let boundary = (4 << 20) / (uint8 ? 1 : kind.hasPrefix("int16") ? 2 : 4)
        #expect(boundary % g.size.x != 0)
        for v in [boundary - 3, boundary + 2] { labels[v] = value }
        labels[g.linearIndex(5, 5, spanned.upperBound + 3)] = 7  // another label
        let label = kind.contains("label 2") ? 2 : kind.contains("300") ? 300 : nil as Int?
        let path = tmp.file(kind.hasSuffix("gz") ? "mask.nii.gz" : "mask.nii")
        switch kind {
        case let k where k.hasPrefix("uint8"): try Nifti.write(Volume(geometry: g, voxels: labels.map { UInt8($0) }), to: path)
        case let k where k.hasPrefix("int16"): try Nifti.write(Volume(geometry: g, voxels: labels.map { Int16($0) }), to: path)
        default: try Nifti.write(Volume(geometry: g, voxels: labels.map { Float($0) }), to: path)
        }
        let whole = try Nifti.readLabels(path: path, label: label)
        let expected = try #require(whole.boundingBox)
        #expect(expected.lower.z == spanned.lowerBound && expected.upper.z == spanned.upperBound + (label == nil ? 3 : 0))
        #expect(try Nifti.labelBox(path: path, label: label) == expected)
        let some = BoundingBox(lower: [3, 10, 15], upper: [190, 180, g.size.z - 5])
        let part = try Nifti.readLabels(path: path, label: label, region: some)
        #expect(part.voxels == whole.cropped(to: some).voxels)
        let read = try MaskReader.read(path: path, onto: g, label: label) { z in
            #expect(z == expected.lower.z...expected.upper.z)
            return (z.lowerBound - 2)...(z.upperBound + 1)
        }
        let held = BoundingBox(lower: [expected.lower.x, expected.lower.y, expected.lower.z - 2],
                               upper: [expected.upper.x, expected.upper.y, expected.upper.z + 1])
        #expect(read.offset == held.lower)
        #expect(read.mask.geometry.isSameGrid(as: g.subGrid(held), tolerance: 1e-9))
        #expect(read.mask.voxels == whole.cropped(to: held).voxels)
        // No voxel with the label: no box, and the reader's error lists what the file holds.
        #expect(try Nifti.labelBox(path: path, label: 5) == nil)
        #expect { _ = try MaskReader.read(path: path, onto: g, label: 5) { $0 } } throws: { "\($0)".contains("empty mask: no voxel with label 5") }
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

    /// A box of the image (ImageReader's `region`): a NIfTI file gives the box alone, a DICOM series its whole
    /// slices (with `offset` saying where they start); either way the voxels are those of the whole image. With
    /// `wholeExtremes`, the whole image's extremes come too, streamed from a NIfTI file (scaled and float types
    /// as the reader stores them), the whole series read from DICOM.
    @Test(arguments: ["nii", "nii.gz", "dicom", "float32", "scaled int16"])
    func aBoxEqualsTheSameBoxOfTheWholeImage(kind: String) throws {
        let tmp = try TemporaryDirectory()
        let c = SyntheticCT.makeCase(geometry: Self.grid, seed: 4)
        let v = c.image
        var path = tmp.file("image.\(kind)")
        switch kind {
        case "dicom":
            path = tmp.file("ct")
            _ = try DicomSeriesWriter.write(c.image, to: path, identity: DicomStudyIdentity(caseID: "p", seriesDescription: "p"))
        case "float32":
            path = tmp.file("image.nii")
            try Nifti.write(Volume(geometry: v.geometry, voxels: v.voxels.map { Float($0) * 0.37 }), to: path)
        case "scaled int16":
            // Int16 with slope 0.5 and intercept -1024 in the header (NIfTI-1 scl_slope, scl_inter): read as Float.
            path = tmp.file("image.nii")
            try Nifti.write(c.image, to: path)
            let file = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            try file.seek(toOffset: 112)
            try file.write(contentsOf: [Float(0.5), Float(-1024)].withUnsafeBytes { Data($0) })
            try file.close()
        default:
            try Nifti.write(c.image, to: path)
        }
        let box = BoundingBox(lower: SIMD3(5, 7, 3), upper: SIMD3(30, 20, 10))
        for extremes in [false, true] {
            let part = try ImageReader.read(path: path, wholeExtremes: extremes) { _, _ in box }
            let whole = try ImageReader.read(path: path)
            let held = BoundingBox(lower: part.offset, upper: part.offset &+ part.image.geometry.size &- 1)
            if kind == "dicom" {
                #expect(held == (extremes ? BoundingBox(size: Self.grid.size) : Self.grid.zSlab(3...10)))
                #expect(part.wholeExtremes == nil)
            } else {
                #expect(held == box)
                #expect(part.wholeExtremes.map { $0 == whole.image.extremes } ?? !extremes)
            }
            #expect(part.image.geometry.isSameGrid(as: whole.image.geometry.subGrid(held), tolerance: 1e-6))
            if case .float = part.image { #expect(kind == "float32" || kind == "scaled int16") } else { #expect(!kind.contains("float") && !kind.contains("scaled")) }
            switch (part.image, whole.image) {
            case (.int16(let p), .int16(let w)): #expect(p.voxels == w.cropped(to: held).voxels)
            case (.float(let p), .float(let w)): #expect(p.voxels == w.cropped(to: held).voxels)
            default: Issue.record("storage differs between the part and the whole image")
            }
        }
    }

    @Test func labelSelectionAndVoxelCountsMatchPlainLoops() throws {
        var rng = SeededRandom(seed: 5)
        for length in [0, 1, 7, 8, 9, 63, 64, 1001] {
            var bytes = (0..<length).map { _ in UInt8(rng.next() % 4) }
            // One long run of zeros with a single 3 far in (past the first 64 words), and none at all.
            if length == 1001 { bytes = [UInt8](repeating: 0, count: 1001); bytes[700] = 3 }
            let count = bytes.withUnsafeBytes { ByteScan.countNonZero($0) }
            #expect(count == bytes.filter { $0 != 0 }.count)
            for label: UInt8? in [nil, 0, 2, 3] {
                let any = bytes.withUnsafeBytes { ByteScan.contains($0, label) }
                #expect(any == bytes.contains { b in label.map { b == $0 } ?? (b != 0) })
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
