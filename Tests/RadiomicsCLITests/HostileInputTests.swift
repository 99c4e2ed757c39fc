import Foundation
import RadiomicsCore
import RadiomicsIO
import Testing
import TestSupport

/// Regression tests for the inputs that crashed, hung or tried to allocate without bound (issue 18): each now
/// gives one clear error naming the file or key, exit code 1.
@Suite struct HostileInputTests {
    let files: SyntheticCaseFiles
    let image: String
    init() throws {
        files = try SyntheticCaseFiles()
        image = files.dir.file("image.nii")
        try Nifti.write(files.synthetic.image, to: image)
    }

    /// A copy of the valid NIfTI image with some header bytes replaced.
    func patched(_ name: String, _ edits: [(offset: Int, bytes: [UInt8])], truncateTo: Int? = nil) throws -> String {
        var data = try Data(contentsOf: URL(fileURLWithPath: image))
        for e in edits { data.replaceSubrange(e.offset..<(e.offset + e.bytes.count), with: e.bytes) }
        if let truncateTo { data = data.prefix(truncateTo) }
        let path = files.dir.file(name)
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    static func float32(_ v: Float) -> [UInt8] { withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
    static func int16(_ v: Int16) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    func expectError(_ arguments: [String], naming file: String?, saying words: String, environment: [String: String] = [:],
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try runProcess(CLI.path, arguments, timeout: 60, environment: environment)
        #expect(!r.timedOut, "hung", sourceLocation: sourceLocation)
        #expect(r.status == 1, "exit status \(r.status); stderr: \(r.stderr)", sourceLocation: sourceLocation)
        let line = r.stderr.split(separator: "\n").first.map(String.init) ?? ""
        if let file { #expect(line.hasPrefix("radiomics: \(file): "), "stderr: \(r.stderr)", sourceLocation: sourceLocation) }
        #expect(line.contains(words), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
    }

    @Test func niftiHeaders() throws {
        let cases: [(String, [(Int, [UInt8])], Int?, String)] = [
            ("nan-offset.nii", [(108, Self.float32(.nan))], nil, "vox_offset is nan"),
            ("inf-offset.nii", [(108, Self.float32(.infinity))], nil, "vox_offset is inf"),
            ("offset-in-header.nii", [(108, Self.float32(100))], nil, "lies inside the 348-byte header"),
            ("datatype-bitpix.nii", [(70, Self.int16(16))], nil, "bitpix is 16 but datatype 16 has 32 bits per voxel"),
            ("huge-dims.nii", [(42, Self.int16(32767)), (44, Self.int16(32767)), (46, Self.int16(32767))], nil, "dim[1...3] multiply to more than 2^40 voxels"),
            ("big-dims.nii", [(42, Self.int16(20000)), (44, Self.int16(20000)), (46, Self.int16(2000))], nil, "would need"),
            ("dims-beyond-file.nii", [(46, Self.int16(3000))], nil, "truncated: the header promises"),
            ("negative-dim.nii", [(44, Self.int16(-3))], nil, "dim[2] is -3"),
            ("dim0.nii", [(40, Self.int16(12))], nil, "dim[0] is 12"),
            ("nan-pixdim.nii", [(80, Self.float32(.nan))], nil, "pixdim[1] is nan"),
            ("huge-pixdim.nii", [(84, Self.float32(1e30))], nil, "voxel spacing must be between"),
            ("nan-srow.nii", [(280, Self.float32(.nan))], nil, "srow_x[0] is nan"),
            ("inf-slope.nii", [(112, Self.float32(-.infinity))], nil, "scl_slope is -inf"),
            ("complex.nii", [(70, Self.int16(32)), (72, Self.int16(64))], nil, "not a scalar image type"),
            ("truncated.nii", [], 5000, "truncated"),
        ]
        for (name, edits, truncate, words) in cases {
            let path = try patched(name, edits.map { (offset: $0.0, bytes: $0.1) }, truncateTo: truncate)
            try expectError(["extract", path, files.niftiMask], naming: path, saying: words)
        }
        // A .nii.gz whose stream ends early (it crashed with a double free inside niftilib).
        let whole = try Data(contentsOf: URL(fileURLWithPath: image))
        let gz = files.dir.file("short.nii.gz")
        try Nifti.write(files.synthetic.image, to: gz)
        let compressed = try Data(contentsOf: URL(fileURLWithPath: gz))
        try compressed.prefix(compressed.count / 2).write(to: URL(fileURLWithPath: gz))
        #expect(whole.count > compressed.count)
        try expectError(["extract", gz, files.niftiMask], naming: gz, saying: "cannot read NIfTI image data")
        // A .nii.gz promising far more voxels than deflate could have packed into its size.
        let tiny = files.dir.file("tiny.nii.gz")
        var header = whole.prefix(352)
        header.replaceSubrange(42..<48, with: Self.int16(1000) + Self.int16(1000) + Self.int16(500))
        try Nifti.write(files.synthetic.image, to: tiny)
        try gzipped(Data(header)).write(to: URL(fileURLWithPath: tiny))
        try expectError(["extract", tiny, files.niftiMask], naming: tiny, saying: "cannot fit in")
    }

    /// gzip of `data` by the system's gzip.
    func gzipped(_ data: Data) throws -> Data {
        let raw = files.dir.file("raw.bin")
        try data.write(to: URL(fileURLWithPath: raw))
        _ = try runProcess("/bin/gzip", ["-f", "-k", raw])
        return try Data(contentsOf: URL(fileURLWithPath: raw + ".gz"))
    }

    @Test func parameterValues() throws {
        let params = files.dir.file("p.yaml")
        func check(_ yaml: String, _ words: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            try yaml.write(toFile: params, atomically: true, encoding: .utf8)
            try expectError(["extract", image, files.niftiMask, "--params", params], naming: nil, saying: words,
                            sourceLocation: sourceLocation)
        }
        // PyRadiomics parameter files.
        try check("setting:\n  distances: [1e300]\n", "distances: must be an integer, got 1e+300")
        try check("setting:\n  distances: [.inf]\n", "distances: must be an integer, got inf")
        try check("setting:\n  distances: [1000]\n", "distances: must be between 1 and 100")
        try check("setting:\n  resampledPixelSpacing: [0.0001, 0.0001, 0.0001]\n  interpolator: sitkBSpline\n", "resampledPixelSpacing: must be three spacings between 0.01 and 100 mm")
        try check("setting:\n  binWidth: 0.0001\n", "binWidth 0.0001 over the ROI's intensities")
        try check("setting:\n  binWidth: .nan\n", "binWidth: must be a finite number")
        try check("setting:\n  binCount: 1000000000\n", "binCount: must be between 1 and 65536")
        try check("setting:\n  gldm_a: -1\n", "gldm_a: must be between 0")
        // This project's parameter files.
        try check("texture:\n  glcmDistance: 1e300\n", "glcmDistance: must be an integer")
        try check("texture:\n  glcmDistance: 5000\n", "glcmDistance: must be at most 100")
        try check("preprocessing:\n  interpolation:\n    spacing: [0.0001, 0.0001, 0.0001]\n", "spacing: must be 2 (in-plane) or 3 spacings between 0.01 and 100 mm")
        try check("discretisation:\n  texture:\n    method: fixedBinSize\n    width: 0.0001\n", "discretisation width 0.0001 over the ROI's intensities")
        try check("discretisation:\n  texture:\n    method: fixedBinNumber\n    bins: 1000000000\n", "bins: must be at most 65536")
        try check("discretisation:\n  ivh:\n    method: none\n    step: 0.00001\n", "discretisation.ivh step")
        try check("preprocessing:\n  resegmentation:\n    range: [.nan, 100]\n", "must be a finite number")
        // Found by scripts/mutation-fuzz.py: an IVH over a re-segmentation range reaching 1e300 trapped.
        try check("preprocessing:\n  resegmentation:\n    range: [-500, 1e300]\ndiscretisation:\n  ivh: {method: none, step: 1}\n",
                  "range: must be between -1000000000 and 1000000000, got 1e+300")
        try check("setting:\n  resegmentRange: [-1e300, 100]\n", "resegmentRange: values must be between")
        // Found by fuzz/run-fuzzers (fuzz-params): a mapping key that is itself a mapping crashed Yams' constructor,
        // and deep nesting recurses in it; both are refused before Yams builds the document.
        try check("setting:\n  ? {binWidth: 25}\n  : 2\n", "a mapping key is not plain text (line 2)")
        try check("setting: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n",
                  "YAML nested more than 64 levels deep")
        let rules = files.dir.file("rules.yaml")
        try "thresholds:\n  ? [1, 2]\n  : 3\n".write(toFile: rules, atomically: true, encoding: .utf8)
        try expectError(["vasc", "rules", "--rules", rules], naming: rules, saying: "a mapping key is not plain text")
    }

    /// A resampling the memory limit cannot hold is refused before it is tried.
    @Test func resamplingBeyondTheMemoryLimit() throws {
        let params = files.dir.file("fine.yaml")
        try "preprocessing:\n  interpolation:\n    spacing: [0.05, 0.05, 0.05]\n".write(toFile: params, atomically: true, encoding: .utf8)
        try expectError(["extract", image, files.niftiMask, "--params", params], naming: nil, saying: "would need",
                        environment: ["RADIOMICS_MAX_MEMORY": "200M"])
        try "setting:\n  resampledPixelSpacing: [0.05, 0.05, 0.05]\n  interpolator: sitkBSpline\n".write(toFile: params, atomically: true, encoding: .utf8)
        try expectError(["extract", image, files.niftiMask, "--params", params], naming: nil, saying: "would need",
                        environment: ["RADIOMICS_MAX_MEMORY": "200M"])
    }

    /// Found by scripts/mutation-fuzz.py: a value representation that does not exist ("TI" for "UI") in the file
    /// meta information made GDCM abort on an assertion; it is refused before GDCM reads the file.
    @Test func unknownValueRepresentationInTheFileMeta() throws {
        let dir = files.dir.file("bad-vr")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let slice = try FileManager.default.contentsOfDirectory(atPath: files.series).sorted()[0]
        var data = try Data(contentsOf: URL(fileURLWithPath: files.series + "/" + slice))
        let tag: [UInt8] = [0x02, 0x00, 0x10, 0x00, 0x55, 0x49] // (0002,0010) UI
        let at = try #require(data.firstRange(of: Data(tag)))
        data[at.lowerBound + 4] = 0x54 // "TI"
        let path = dir + "/" + slice
        try data.write(to: URL(fileURLWithPath: path))
        try expectError(["extract", dir, files.niftiMask], naming: path, saying: "unknown value representation 'TI' at byte")
    }

    /// Numbers in DICOM headers beyond any real position (1e300, NaN) count as missing, never as an index.
    @Test func absurdNumbersInDicomMasks() throws {
        let identity = DicomStudyIdentity(caseID: "cli-case", seriesDescription: "arterial")
        let series = files.dir.file("ct-again")
        let slices = try DicomSeriesWriter.write(files.synthetic.image, to: series, identity: identity)
        let rs = files.dir.file("huge-rs.dcm")
        try RTStructWriter.write(roiName: "Tumour", contours: [[[1e300, 0, 0], [1e300, 10, 0], [-1e300, 10, 0]], [[.nan, 0, 0], [1, 1, 0], [2, 0, 0]]],
                                 referencing: slices, identity: identity, to: rs)
        try expectError(["extract", series, rs, "--roi", "Tumour"], naming: rs, saying: "contour data is not a list of x y z triplets")
        var far = files.synthetic.tumour
        far.geometry.origin.z = 1e300
        let seg = files.dir.file("far-seg.dcm")
        try DicomSEGWriter.write(mask: far, segmentLabel: "Tumour", referencing: slices, identity: identity, to: seg)
        try expectError(["extract", series, seg], naming: seg, saying: "frame 1 has no usable ImagePositionPatient")
    }

    /// Found by scripts/mutation-fuzz.py and fuzz-dicom: an impossible SamplesPerPixel (GDCM asserted building its
    /// pixel format) and a VR that does not exist inside the data set (GDCM asserted reading it) are refused first.
    @Test func impossibleAttributesBeforeGDCMDecodes() throws {
        let slice = try FileManager.default.contentsOfDirectory(atPath: files.series).sorted()[0]
        let original = try Data(contentsOf: URL(fileURLWithPath: files.series + "/" + slice))
        var data = original
        let samples: [UInt8] = [0x28, 0x00, 0x02, 0x00, 0x55, 0x53, 0x02, 0x00, 0x01, 0x00] // (0028,0002) US 2 bytes: 1
        let at = try #require(data.firstRange(of: Data(samples)))
        data[at.lowerBound + 8] = 0x01
        data[at.lowerBound + 9] = 0x42
        let path = files.dir.file("samples.dcm")
        try data.write(to: URL(fileURLWithPath: path))
        let e = #expect(throws: RadiomicsError.self) { try DicomFile(path: path, headerOnly: false) }
        #expect(e?.description == "\(path): impossible pixel description: SamplesPerPixel 16897")
        var vr = original
        let modality: [UInt8] = [0x08, 0x00, 0x60, 0x00, 0x43, 0x53] // (0008,0060) CS
        let m = try #require(vr.firstRange(of: Data(modality)))
        vr[m.lowerBound + 4] = 0x51 // "QS"
        let bad = files.dir.file("vr.dcm")
        try vr.write(to: URL(fileURLWithPath: bad))
        let v = #expect(throws: RadiomicsError.self) { try DicomFile(path: bad, headerOnly: true) }
        #expect(v?.problem.contains("unknown value representation 'QS'") == true, "\(String(describing: v))")
    }

    /// End of the file meta information (group 0002, explicit VR little endian) of a Part 10 file.
    static func metaEnd(_ data: Data) -> Int {
        let b = [UInt8](data)
        var pos = 132
        while pos + 8 <= b.count, b[pos] == 0x02, b[pos + 1] == 0x00 {
            let vr = String(decoding: b[(pos + 4)..<(pos + 6)], as: UTF8.self)
            if ["OB", "OW", "SQ", "UN", "UT"].contains(vr) {
                pos += 12 + (Int(b[pos + 8]) | Int(b[pos + 9]) << 8 | Int(b[pos + 10]) << 16 | Int(b[pos + 11]) << 24)
            } else {
                pos += 8 + (Int(b[pos + 6]) | Int(b[pos + 7]) << 8)
            }
        }
        return pos
    }

    /// `data` as a raw deflate stream of stored (uncompressed) blocks, RFC 1951 section 3.2.4.
    static func storedDeflate(_ data: Data) -> Data {
        var out = Data()
        let bytes = [UInt8](data)
        var start = 0
        repeat {
            let n = min(65535, bytes.count - start)
            let last = start + n == bytes.count
            out.append(last ? 1 : 0)
            out.append(contentsOf: [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)])
            out.append(contentsOf: bytes[start..<(start + n)])
            start += n
        } while start < bytes.count
        return out
    }

    /// Deflated data sets (Deflated Explicit VR Little Endian) are inflated and walked like any other: a stream
    /// that is cut short, one that does not inflate, and a broken element inside the inflated data set are
    /// each refused before GDCM reads them.
    @Test func deflatedDataSets() throws {
        let gdcmconv = try #require(which("gdcmconv"), "gdcmconv (Debian libgdcm-tools) is needed; scripts/setup.sh installs it")
        let slice = try FileManager.default.contentsOfDirectory(atPath: files.series).sorted()[0]
        let source = files.series + "/" + slice
        let deflatedPath = files.dir.file("deflated.dcm")
        let r = try runProcess(gdcmconv, ["--deflated", source, deflatedPath])
        #expect(r.status == 0, "gdcmconv --deflated: \(r.stderr)")
        let deflated = try Data(contentsOf: URL(fileURLWithPath: deflatedPath))
        let plain = try Data(contentsOf: URL(fileURLWithPath: source))
        let meta = deflated.prefix(Self.metaEnd(deflated))
        let body = plain.suffix(from: Self.metaEnd(plain))
        #expect(try DicomFile(path: deflatedPath, headerOnly: false).transferSyntax == DicomUID.deflatedExplicitVRLittleEndian)

        func write(_ name: String, _ data: Data) throws -> String {
            let path = files.dir.file(name)
            try data.write(to: URL(fileURLWithPath: path))
            return path
        }
        func refused(_ path: String, _ words: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let e = #expect(throws: RadiomicsError.self, sourceLocation: sourceLocation) { try DicomFile(path: path, headerOnly: true) }
            #expect(e?.file == path && e?.problem.contains(words) == true, "\(String(describing: e))", sourceLocation: sourceLocation)
        }
        // The hand-made stream of the same data set reads: the walker accepts what it should.
        let remade = try write("stored.dcm", meta + Self.storedDeflate(body))
        #expect(try DicomFile(path: remade, headerOnly: false).decodePixels().bytes.count > 0)

        refused(try write("cut.dcm", deflated.prefix(meta.count + (deflated.count - meta.count) / 2)),
                "truncated DICOM file (its deflated data set ends early)")
        var reserved = deflated
        reserved[meta.count] = 0x07 // a final block of the reserved type 3
        refused(try write("reserved.dcm", reserved), "corrupt DICOM file (its deflated data set does not inflate)")

        var badVR = body
        let modality: [UInt8] = [0x08, 0x00, 0x60, 0x00, 0x43, 0x53] // (0008,0060) CS
        let m = try #require(badVR.firstRange(of: Data(modality)))
        badVR[m.lowerBound + 4] = 0x51 // "QS"
        refused(try write("vr.dcm", meta + Self.storedDeflate(badVR)),
                "unknown value representation 'QS' at byte \(m.lowerBound - body.startIndex + 4) of the inflated data set")
        refused(try write("short.dcm", meta + Self.storedDeflate(body.prefix(body.count - 100))),
                "truncated DICOM file (an element runs past the end)")
        let limited = try runProcess(CLI.path, ["extract", remade, files.niftiMask], timeout: 60, environment: ["RADIOMICS_MAX_MEMORY": "2000"])
        #expect(limited.status == 1 && limited.stderr.contains("inflating its deflated data set would need more than"), "\(limited.stderr)")
    }

    /// Found by fuzz-dicom and fuzz-mask (10-minute runs): an attribute GDCM reads through its typed Attribute
    /// (SamplesPerPixel, NumberOfFrames) written with another explicit VR made GDCM assert; refused first, also
    /// inside defined-length sequences.
    @Test func attributesWithAnotherValueRepresentation() throws {
        let slice = try FileManager.default.contentsOfDirectory(atPath: files.series).sorted()[0]
        var data = try Data(contentsOf: URL(fileURLWithPath: files.series + "/" + slice))
        let samples: [UInt8] = [0x28, 0x00, 0x02, 0x00, 0x55, 0x53] // (0028,0002) US
        let at = try #require(data.firstRange(of: Data(samples)))
        data[at.lowerBound + 4] = 0x43 // "CS"
        let path = files.dir.file("cs.dcm")
        try data.write(to: URL(fileURLWithPath: path))
        let e = #expect(throws: RadiomicsError.self) { try DicomFile(path: path, headerOnly: false) }
        #expect(e?.problem == "corrupt DICOM file (attribute (0028,0002) has value representation 'CS' at byte \(at.lowerBound + 4), not US)")

        var seg = try Data(contentsOf: URL(fileURLWithPath: files.seg))
        let frames: [UInt8] = [0x28, 0x00, 0x08, 0x00, 0x49, 0x53] // (0028,0008) IS
        let f = try #require(seg.firstRange(of: Data(frames)))
        seg[f.lowerBound + 4] = 0x44 // "DS"
        let segPath = files.dir.file("frames-seg.dcm")
        try seg.write(to: URL(fileURLWithPath: segPath))
        try expectError(["extract", files.series, segPath], naming: segPath, saying: "attribute (0028,0008) has value representation 'DS'")
    }
}
