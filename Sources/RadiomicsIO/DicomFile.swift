import CDicom
import Foundation
import RadiomicsCore

/// A DICOM attribute tag, group << 16 | element.
public struct DicomTag: Hashable, Sendable, CustomStringConvertible {
    public let value: UInt32
    public init(_ group: UInt16, _ element: UInt16) { value = UInt32(group) << 16 | UInt32(element) }
    public var description: String {
        String(format: "(%04X,%04X)", value >> 16, value & 0xffff)
    }
}

/// The tags this project reads or writes, named as in the DICOM standard (PS3.6).
public enum Tag {
    public static let sopClassUID = DicomTag(0x0008, 0x0016)
    public static let sopInstanceUID = DicomTag(0x0008, 0x0018)
    public static let studyDate = DicomTag(0x0008, 0x0020)
    public static let modality = DicomTag(0x0008, 0x0060)
    public static let manufacturer = DicomTag(0x0008, 0x0070)
    public static let seriesDescription = DicomTag(0x0008, 0x103E)
    public static let referencedSeriesSequence = DicomTag(0x0008, 0x1115)
    public static let referencedSOPClassUID = DicomTag(0x0008, 0x1150)
    public static let referencedSOPInstanceUID = DicomTag(0x0008, 0x1155)
    public static let patientName = DicomTag(0x0010, 0x0010)
    public static let patientID = DicomTag(0x0010, 0x0020)
    public static let sliceThickness = DicomTag(0x0018, 0x0050)
    public static let spacingBetweenSlices = DicomTag(0x0018, 0x0088)
    public static let gantryTilt = DicomTag(0x0018, 0x1120)
    public static let studyInstanceUID = DicomTag(0x0020, 0x000D)
    public static let seriesInstanceUID = DicomTag(0x0020, 0x000E)
    public static let seriesNumber = DicomTag(0x0020, 0x0011)
    public static let instanceNumber = DicomTag(0x0020, 0x0013)
    public static let imagePositionPatient = DicomTag(0x0020, 0x0032)
    public static let imageOrientationPatient = DicomTag(0x0020, 0x0037)
    public static let frameOfReferenceUID = DicomTag(0x0020, 0x0052)
    public static let dimensionOrganizationSequence = DicomTag(0x0020, 0x9221)
    public static let planePositionSequence = DicomTag(0x0020, 0x9113)
    public static let planeOrientationSequence = DicomTag(0x0020, 0x9116)
    public static let samplesPerPixel = DicomTag(0x0028, 0x0002)
    public static let photometricInterpretation = DicomTag(0x0028, 0x0004)
    public static let numberOfFrames = DicomTag(0x0028, 0x0008)
    public static let rows = DicomTag(0x0028, 0x0010)
    public static let columns = DicomTag(0x0028, 0x0011)
    public static let pixelSpacing = DicomTag(0x0028, 0x0030)
    public static let bitsAllocated = DicomTag(0x0028, 0x0100)
    public static let bitsStored = DicomTag(0x0028, 0x0101)
    public static let highBit = DicomTag(0x0028, 0x0102)
    public static let pixelRepresentation = DicomTag(0x0028, 0x0103)
    public static let rescaleIntercept = DicomTag(0x0028, 0x1052)
    public static let rescaleSlope = DicomTag(0x0028, 0x1053)
    public static let pixelMeasuresSequence = DicomTag(0x0028, 0x9110)
    public static let pixelValueTransformationSequence = DicomTag(0x0028, 0x9145)
    public static let lossyImageCompression = DicomTag(0x0028, 0x2110)
    public static let segmentationType = DicomTag(0x0062, 0x0001)
    public static let segmentSequence = DicomTag(0x0062, 0x0002)
    public static let segmentNumber = DicomTag(0x0062, 0x0004)
    public static let segmentLabel = DicomTag(0x0062, 0x0005)
    public static let segmentAlgorithmType = DicomTag(0x0062, 0x0008)
    public static let segmentIdentificationSequence = DicomTag(0x0062, 0x000A)
    public static let referencedSegmentNumber = DicomTag(0x0062, 0x000B)
    public static let maximumFractionalValue = DicomTag(0x0062, 0x000E)
    public static let segmentationFractionalType = DicomTag(0x0062, 0x0010)
    public static let sharedFunctionalGroupsSequence = DicomTag(0x5200, 0x9229)
    public static let perFrameFunctionalGroupsSequence = DicomTag(0x5200, 0x9230)
    public static let referencedFrameOfReferenceSequence = DicomTag(0x3006, 0x0010)
    public static let referencedFrameOfReferenceUID = DicomTag(0x3006, 0x0024)
    public static let structureSetLabel = DicomTag(0x3006, 0x0002)
    public static let structureSetROISequence = DicomTag(0x3006, 0x0020)
    public static let roiNumber = DicomTag(0x3006, 0x0022)
    public static let roiName = DicomTag(0x3006, 0x0026)
    public static let roiGenerationAlgorithm = DicomTag(0x3006, 0x0036)
    public static let roiContourSequence = DicomTag(0x3006, 0x0039)
    public static let contourSequence = DicomTag(0x3006, 0x0040)
    public static let contourGeometricType = DicomTag(0x3006, 0x0042)
    public static let numberOfContourPoints = DicomTag(0x3006, 0x0046)
    public static let contourData = DicomTag(0x3006, 0x0050)
    public static let referencedROINumber = DicomTag(0x3006, 0x0084)
    public static let roiDisplayColor = DicomTag(0x3006, 0x002A)
    public static let rtROIObservationsSequence = DicomTag(0x3006, 0x0080)
    public static let observationNumber = DicomTag(0x3006, 0x0082)
    public static let rtROIInterpretedType = DicomTag(0x3006, 0x00A4)
    public static let roiInterpreter = DicomTag(0x3006, 0x00A6)
    public static let pixelData = DicomTag(0x7FE0, 0x0010)
}

/// Well-known SOP class and transfer syntax UIDs.
public enum DicomUID {
    public static let ctImageStorage = "1.2.840.10008.5.1.4.1.1.2"
    public static let enhancedCTImageStorage = "1.2.840.10008.5.1.4.1.1.2.1"
    public static let rtStructureSetStorage = "1.2.840.10008.5.1.4.1.1.481.3"
    public static let segmentationStorage = "1.2.840.10008.5.1.4.1.1.66.4"
    public static let explicitVRLittleEndian = "1.2.840.10008.1.2.1"
    public static let implicitVRLittleEndian = "1.2.840.10008.1.2"
    public static let deflatedExplicitVRLittleEndian = "1.2.840.10008.1.2.1.99"

    /// SOP classes that are not images of the patient (structure sets, segmentations, plans, reports...).
    public static func isNonImage(_ sopClass: String) -> Bool {
        sopClass.hasPrefix("1.2.840.10008.5.1.4.1.1.481") // RT objects
            || sopClass == segmentationStorage
            || sopClass.hasPrefix("1.2.840.10008.5.1.4.1.1.88") // structured reports
            || sopClass.hasPrefix("1.2.840.10008.5.1.4.1.1.11") // presentation states
            || sopClass.hasPrefix("1.2.840.10008.5.1.4.1.1.66") // raw data, registration, fiducials, SEG
    }
}

/// An open DICOM file. Reading stops before the pixel data when opened with `headerOnly`.
/// Not thread-safe; open one per thread.
public final class DicomFile {
    public let path: String
    fileprivate let handle: OpaquePointer

    /// Opens `path`; errors name the file and say what is wrong (empty, not DICOM, truncated).
    public init(path: String, headerOnly: Bool) throws {
        self.path = path
        nativePixelData = try DicomFile.checkPreamble(path).map { ($0.offset, $0.length) }
        _ = DicomFile.processSetUp
        // GDCM's image reader asserts (aborts the process) on a multi-frame file whose functional groups do not place
        // its frames: check them on a header-only parse first.
        if !headerOnly {
            let header = try DicomFile(path: path, headerOnly: true)
            try header.checkPixelFormat()
            try header.checkFramePlacement()
        }
        var err = [CChar](repeating: 0, count: 512)
        guard let h = cdicom_open(path, headerOnly ? 1 : 0, &err, err.count) else {
            throw RadiomicsError(file: path, String(decoding: err.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        handle = h
    }

    deinit { cdicom_close(handle) }

    /// The pixel description GDCM's image reader builds its pixel format from (it asserts on values out of range):
    /// SamplesPerPixel 1-4, BitsAllocated 1-64, BitsStored 1...BitsAllocated, HighBit below BitsAllocated,
    /// PixelRepresentation 0 or 1.
    func checkPixelFormat() throws {
        let r = root
        func value(_ tag: DicomTag) -> Int? { r.number(tag).map { Int($0) } }
        let allocated = value(Tag.bitsAllocated)
        var problems: [String] = []
        if let v = value(Tag.samplesPerPixel), !(1...4).contains(v) { problems.append("SamplesPerPixel \(v)") }
        if let a = allocated, !(1...64).contains(a) { problems.append("BitsAllocated \(a)") }
        if let v = value(Tag.bitsStored), !(1...(allocated ?? 64)).contains(v) { problems.append("BitsStored \(v)") }
        if let v = value(Tag.highBit), !(0..<(allocated ?? 64)).contains(v) { problems.append("HighBit \(v)") }
        if let v = value(Tag.pixelRepresentation), !(0...1).contains(v) { problems.append("PixelRepresentation \(v)") }
        if !problems.isEmpty {
            throw RadiomicsError(file: path, "impossible pixel description: \(problems.joined(separator: ", "))")
        }
    }

    /// A multi-frame file (per-frame functional groups) must give an ImageOrientationPatient of 6 numbers (shared or
    /// first frame) and an ImagePositionPatient of 3 for every frame, as GDCM's spacing computation requires.
    func checkFramePlacement() throws {
        let perFrame = root.sequence(Tag.perFrameFunctionalGroupsSequence)
        guard !perFrame.isEmpty else { return }
        let shared = root.item(Tag.sharedFunctionalGroupsSequence)
        let orientation = shared?.item(Tag.planeOrientationSequence)?.numbers(Tag.imageOrientationPatient)
            ?? perFrame[0].item(Tag.planeOrientationSequence)?.numbers(Tag.imageOrientationPatient)
        guard orientation?.count == 6 else {
            throw RadiomicsError(file: path, "multi-frame file without a usable ImageOrientationPatient (6 numbers) in its functional groups")
        }
        let sharedPosition = shared?.item(Tag.planePositionSequence)?.numbers(Tag.imagePositionPatient)
        for (f, frame) in perFrame.enumerated() {
            guard (frame.item(Tag.planePositionSequence)?.numbers(Tag.imagePositionPatient) ?? sharedPosition)?.count == 3 else {
                throw RadiomicsError(file: path, "frame \(f + 1) has no usable ImagePositionPatient (3 numbers) in its functional groups")
            }
        }
    }

    /// Once per process: GDCM's warnings silenced, and per-slice buffers kept for reuse (cdicom_keep_slice_buffers).
    private static let processSetUp: Void = {
        cdicom_quiet()
        cdicom_keep_slice_buffers()
    }()

    /// Part 10 files start with a 128-byte preamble and "DICM"; anything else is refused with a clear message
    /// rather than handed to a parser that might guess. The element structure (pixel data included) is then
    /// checked (`DicomStructureCheck`), because GDCM aborts the whole process on some truncated files.
    /// Returns where uncompressed little-endian pixel data lie.
    static func checkPreamble(_ path: String) throws -> DicomStructureCheck.PixelDataLocation? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw RadiomicsError(file: path, "no such file")
        }
        if isDir.boolValue { throw RadiomicsError(file: path, "is a directory, expected a file") }
        // Mapped, not read: the walk touches the element headers only, not the pixel data.
        return try MappedFile.withBytes(path) { bytes in
            if bytes.isEmpty { throw RadiomicsError(file: path, "empty file") }
            if bytes.count < 132 || !bytes[128..<132].elementsEqual("DICM".utf8) {
                throw RadiomicsError(file: path, "not a DICOM file (no DICM preamble)")
            }
            return try DicomStructureCheck(bytes: bytes, path: path).run()
        }
    }

    public var root: DicomDataSet { DicomDataSet(file: self, pointer: cdicom_root(handle)) }

    public var transferSyntax: String { String(cString: cdicom_transfer_syntax(handle)) }

    /// Where the file keeps its pixel data when they are uncompressed in a little-endian data set (found by the
    /// structure check), so they can be read without decoding.
    public let nativePixelData: (offset: Int, length: Int)?

    /// Decodes the pixel data (file opened whole) into raw stored values.
    public func decodePixels() throws -> (bytes: [UInt8], layout: cdicom_pixel_layout) {
        var err = [CChar](repeating: 0, count: 512)
        let length = cdicom_pixel_buffer_length(handle, &err, err.count)
        guard length >= 0 else { throw RadiomicsError(file: path, message(err)) }
        var bytes = [UInt8](repeating: 0, count: max(length, 1))
        var layout = cdicom_pixel_layout()
        let rc = bytes.withUnsafeMutableBytes { cdicom_decode_pixels(handle, $0.baseAddress, $0.count, &layout, &err, err.count) }
        guard rc == 0 else { throw RadiomicsError(file: path, message(err)) }
        bytes.removeLast(bytes.count - layout.byte_length)
        return (bytes, layout)
    }

    fileprivate func message(_ err: [CChar]) -> String {
        String(decoding: err.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A data set in an open file: the root or an item of a sequence.
public struct DicomDataSet {
    let file: DicomFile
    let pointer: UnsafeRawPointer?

    public func has(_ tag: DicomTag) -> Bool { cdicom_has(pointer, tag.value) != 0 }

    /// The value as text (trimmed), nil when absent or binary.
    public func string(_ tag: DicomTag) -> String? {
        let n = cdicom_get_string(file.handle, pointer, tag.value, nil, 0)
        guard n >= 0 else { return nil }
        var buf = [CChar](repeating: 0, count: n + 1)
        _ = cdicom_get_string(file.handle, pointer, tag.value, &buf, buf.count)
        return file.message(buf)
    }

    /// The values as numbers (DS, IS, US, SS, UL, SL, FL, FD), nil when absent or not numeric.
    /// A numeric attribute's values. A value that is not finite or beyond ±10^9 (no header number of an image,
    /// position or spacing is) makes the attribute count as absent, so readers report it missing instead of
    /// converting NaN or 1e300 into an index.
    public func numbers(_ tag: DicomTag) -> [Double]? {
        var small = [Double](repeating: 0, count: 16)
        let n = cdicom_get_numbers(file.handle, pointer, tag.value, &small, small.count)
        guard n >= 0 else { return nil }
        var all = Array(small.prefix(n))
        if n > small.count {
            all = [Double](repeating: 0, count: n)
            _ = cdicom_get_numbers(file.handle, pointer, tag.value, &all, all.count)
        }
        guard all.allSatisfy({ $0.isFinite && abs($0) <= 1e9 }) else { return nil }
        return all
    }

    public func number(_ tag: DicomTag) -> Double? { numbers(tag)?.first }

    /// The items of a sequence (empty when absent).
    public func sequence(_ tag: DicomTag) -> [DicomDataSet] {
        let n = cdicom_sequence_count(file.handle, pointer, tag.value)
        guard n > 0 else { return [] }
        return (0..<n).compactMap { i in
            cdicom_sequence_item(file.handle, pointer, tag.value, i).map { DicomDataSet(file: file, pointer: $0) }
        }
    }

    /// The first item of a sequence, if any.
    public func item(_ tag: DicomTag) -> DicomDataSet? { sequence(tag).first }
}
