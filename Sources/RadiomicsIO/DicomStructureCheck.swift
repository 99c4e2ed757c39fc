import CDicom
import Foundation
import RadiomicsCore

/// Walks a Part 10 file's element headers (file meta group, then the data set, pixel data included) and
/// refuses a file whose elements run past its end or whose structure is broken.
///
/// This is a guard, not a parser: values are not read. It exists because the Debian build of GDCM keeps its
/// assertions, and a file cut short in its header makes GDCM abort the process instead of returning an error.
/// Pixel data values are checked after decoding (their length against the image size).
struct DicomStructureCheck {
    let bytes: UnsafeRawBufferPointer
    let path: String
    var count: Int { bytes.count }

    /// A VR as its two ASCII bytes, first byte high (how the walk reads it), and back to text for messages.
    static func vr(_ text: String) -> UInt16 {
        let b = Array(text.utf8)
        return UInt16(b[0]) << 8 | UInt16(b[1])
    }
    static func vrText(_ code: UInt16) -> String { String(decoding: [UInt8(code >> 8), UInt8(code & 0xFF)], as: UTF8.self) }
    static let un = vr("UN"), sq = vr("SQ"), ob = vr("OB"), ow = vr("OW")

    /// VRs with a 4-byte length.
    static let longVRs: Set<UInt16> = Set(["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"].map(vr))
    static let undefined = 0xFFFF_FFFF
    /// Every VR of the standard (PS3.5 6.2): GDCM asserts (aborts) on another one.
    static let knownVRs: Set<UInt16> = Set(["AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT", "OB", "OD",
                                           "OF", "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI",
                                           "UL", "UN", "UR", "US", "UT", "UV"].map(vr))

    var truncated: RadiomicsError { RadiomicsError(file: path, "truncated DICOM file (an element runs past the end)") }
    func corrupt(_ at: Int) -> RadiomicsError {
        RadiomicsError(file: path, "corrupt DICOM file (unexpected data at byte \(at)\(region))")
    }
    /// Where byte offsets count from, in messages: the file, or its inflated data set.
    var region = ""

    /// The data set's byte order (the file meta information is always little endian).
    var bigEndian = false

    func u16(_ at: Int) -> Int {
        bigEndian ? Int(bytes[at]) << 8 | Int(bytes[at + 1]) : Int(bytes[at]) | Int(bytes[at + 1]) << 8
    }
    func u32(_ at: Int) -> Int { bigEndian ? u16(at) << 16 | u16(at + 2) : u16(at) | u16(at + 2) << 16 }

    /// Where an uncompressed little-endian file keeps its pixel data (the value of the top-level (7FE0,0010)).
    struct PixelDataLocation: Sendable, Equatable {
        var offset: Int
        var length: Int
    }

    /// Checks the file; returns where its pixel data lie when they are stored uncompressed (native) in a
    /// little-endian data set, nil otherwise.
    @discardableResult
    func run() throws -> PixelDataLocation? {
        // File meta information: group 0002, explicit VR little endian.
        var pos = 132
        var transferSyntax: String?
        while pos + 8 <= count, u16(pos) == 0x0002 {
            let (length, header) = try explicitHeader(pos)
            guard pos + header + length <= count else { throw truncated }
            if u16(pos + 2) == 0x0010 {
                transferSyntax = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(pos + header)..<(pos + header + length)]),
                                        as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: " \0"))
            }
            pos += header + length
        }
        guard let ts = transferSyntax else {
            throw RadiomicsError(file: path, pos + 8 > count ? "truncated DICOM file (file meta information incomplete)"
                                                            : "corrupt DICOM file (no transfer syntax in the file meta information)")
        }
        guard pos < count else { throw RadiomicsError(file: path, "truncated DICOM file (no data set after the file meta information)") }
        if ts == DicomUID.deflatedExplicitVRLittleEndian {
            try checkDeflated(from: pos)
            return nil
        }
        var pixels: PixelDataLocation?
        var body = self
        body.bigEndian = ts == "1.2.840.10008.1.2.2"
        _ = try body.elements(from: pos, end: count, explicit: ts != DicomUID.implicitVRLittleEndian, depth: 0, pixels: &pixels)
        if body.bigEndian { return nil }
        let native = ts == DicomUID.implicitVRLittleEndian || ts == DicomUID.explicitVRLittleEndian
        return native ? pixels : nil
    }

    /// A deflated data set (raw deflate after the file meta information) is inflated, within the memory limit,
    /// and walked as explicit VR little endian.
    func checkDeflated(from start: Int) throws {
        let compressed = UnsafeRawBufferPointer(rebasing: bytes[start...])
        let limit = ResourceLimits.memoryBytes
        let size = cdicom_inflate(compressed.baseAddress, compressed.count, nil, limit)
        switch size {
        case -1: throw RadiomicsError(file: path, "corrupt DICOM file (its deflated data set does not inflate)")
        case -2: throw RadiomicsError(file: path, "truncated DICOM file (its deflated data set ends early)")
        case -3: throw RadiomicsError(file: path, "inflating its deflated data set would need more than the \(ResourceLimits.describe(limit)) of memory allowed (RADIOMICS_MAX_MEMORY or --max-memory)")
        default: break
        }
        guard size > 0 else { throw RadiomicsError(file: path, "truncated DICOM file (its deflated data set is empty)") }
        var inflated = [UInt8](repeating: 0, count: size)
        let written = inflated.withUnsafeMutableBytes { cdicom_inflate(compressed.baseAddress, compressed.count, $0.baseAddress, size) }
        guard written == size else { throw RadiomicsError(file: path, "corrupt DICOM file (its deflated data set does not inflate)") }
        try inflated.withUnsafeBytes { data in
            var body = DicomStructureCheck(bytes: data, path: path)
            body.region = " of the inflated data set"
            var pixels: PixelDataLocation?
            _ = try body.elements(from: 0, end: data.count, explicit: true, depth: 0, pixels: &pixels)
        }
    }

    /// Value length and header size of an explicit-VR element at `at`.
    func explicitHeader(_ at: Int) throws -> (length: Int, header: Int) {
        guard at + 8 <= count else { throw truncated }
        let v0 = bytes[at + 4], v1 = bytes[at + 5]
        guard (65...90).contains(v0), (65...90).contains(v1) else { throw corrupt(at + 4) }
        let code = UInt16(v0) << 8 | UInt16(v1)
        // GDCM asserts on a VR the standard does not define, in the meta information and in the data set.
        guard Self.knownVRs.contains(code) else {
            throw RadiomicsError(file: path, "corrupt DICOM file (unknown value representation '\(Self.vrText(code))' at byte \(at + 4)\(region))")
        }
        if Self.longVRs.contains(code) {
            guard at + 12 <= count else { throw truncated }
            return (u32(at + 8), 12)
        }
        return (u16(at + 6), 8)
    }

    /// Attributes GDCM reads through its typed `Attribute` (image pixel module, geometry, segmentation): with an
    /// explicit VR other than these, GDCM asserts (aborts). Found by fuzz-dicom and fuzz-mask.
    static let typedVRs: [UInt32: Set<UInt16>] = {
        let table: [(UInt16, UInt16, [String])] = [
            (0x0008, 0x0008, ["CS"]), (0x0008, 0x0016, ["UI"]), (0x0018, 0x0050, ["DS"]), (0x0018, 0x0088, ["DS"]),
            (0x0018, 0x1164, ["DS"]), (0x0020, 0x0013, ["IS"]), (0x0020, 0x0032, ["DS"]), (0x0020, 0x0037, ["DS"]),
            (0x0028, 0x0002, ["US"]), (0x0028, 0x0003, ["US"]), (0x0028, 0x0004, ["CS"]), (0x0028, 0x0006, ["US"]),
            (0x0028, 0x0008, ["IS"]), (0x0028, 0x0009, ["AT"]), (0x0028, 0x0010, ["US"]), (0x0028, 0x0011, ["US"]),
            (0x0028, 0x0030, ["DS"]), (0x0028, 0x0034, ["IS"]), (0x0028, 0x0100, ["US"]), (0x0028, 0x0101, ["US"]),
            (0x0028, 0x0102, ["US"]), (0x0028, 0x0103, ["US"]), (0x0028, 0x0106, ["US", "SS"]), (0x0028, 0x0107, ["US", "SS"]),
            (0x0028, 0x0120, ["US", "SS"]), (0x0028, 0x0121, ["US", "SS"]), (0x0028, 0x1050, ["DS"]), (0x0028, 0x1051, ["DS"]),
            (0x0028, 0x1052, ["DS"]), (0x0028, 0x1053, ["DS"]), (0x0028, 0x1054, ["LO"]), (0x0028, 0x1101, ["US", "SS"]),
            (0x0028, 0x1102, ["US", "SS"]), (0x0028, 0x1103, ["US", "SS"]), (0x0028, 0x2110, ["CS"]), (0x0028, 0x2112, ["DS"]),
            (0x0028, 0x2114, ["CS"]), (0x0028, 0x3002, ["US", "SS"]), (0x0054, 0x0081, ["US"]), (0x3004, 0x000C, ["DS"]),
            (0x0062, 0x0001, ["CS"]), (0x0062, 0x0004, ["US"]), (0x0062, 0x000B, ["US"]), (0x0062, 0x000E, ["US"]),
            (0x0062, 0x0010, ["CS"]),
        ]
        var out: [UInt32: Set<UInt16>] = [:]
        for (g, e, vrs) in table { out[UInt32(g) << 16 | UInt32(e)] = Set(vrs.map(vr)) }
        return out
    }()

    /// Walks elements from `start`: to `end` (the end of the file at the top level, or of a defined-length item),
    /// or to the item delimiter of an undefined-length item (`end` nil). Returns the position after what it walked.
    /// `pixels` receives the location of a top-level Pixel Data element of defined length.
    func elements(from start: Int, end: Int?, explicit: Bool, depth: Int, pixels: inout PixelDataLocation?) throws -> Int {
        guard depth < 64 else { throw corrupt(start) }
        var pos = start
        while true {
            if let end, pos == end { return pos }
            guard pos + 8 <= (end ?? count) else { throw truncated }
            let group = u16(pos), element = u16(pos + 2)
            if group == 0xFFFE {
                if end == nil, element == 0xE00D { return pos + 8 }
                throw corrupt(pos)
            }
            var isUN = false, isSQ = false
            // Encapsulated pixel data: its items are compressed fragments, not data sets.
            var fragments = group == 0x7FE0 && element == 0x0010
            let length: Int, header: Int
            if explicit {
                (length, header) = try explicitHeader(pos)
                let vr = UInt16(bytes[pos + 4]) << 8 | UInt16(bytes[pos + 5])
                isUN = vr == Self.un // content is implicit VR
                isSQ = vr == Self.sq
                fragments = fragments || vr == Self.ob || vr == Self.ow
                if let allowed = Self.typedVRs[UInt32(group) << 16 | UInt32(element)], !allowed.contains(vr), !isUN {
                    let tag = String(format: "(%04X,%04X)", group, element)
                    let expected = allowed.map(Self.vrText).sorted().joined(separator: " or ")
                    throw RadiomicsError(file: path, "corrupt DICOM file (attribute \(tag) has value representation '\(Self.vrText(vr))' at byte \(pos + 4)\(region), not \(expected))")
                }
            } else {
                (length, header) = (u32(pos + 4), 8)
            }
            pos += header
            if length == Self.undefined {
                pos = try items(from: pos, end: nil, explicit: explicit && !isUN, fragments: fragments, depth: depth + 1)
            } else {
                guard pos + length <= (end ?? count) else { throw truncated }
                if depth == 0, group == 0x7FE0, element == 0x0010 { pixels = PixelDataLocation(offset: pos, length: length) }
                // A defined-length sequence is walked too: GDCM parses its items.
                if isSQ, length > 0 { _ = try items(from: pos, end: pos + length, explicit: explicit, fragments: false, depth: depth + 1) }
                pos += length
            }
        }
    }

    /// Walks the items of a sequence: up to its delimiter (undefined length, `end` nil) or to `end`. The items of
    /// encapsulated pixel data (`fragments`) are compressed bytes: only their lengths are checked.
    func items(from start: Int, end: Int?, explicit: Bool, fragments: Bool, depth: Int) throws -> Int {
        var pos = start
        while true {
            if let end, pos == end { return pos }
            guard pos + 8 <= (end ?? count) else { throw truncated }
            guard u16(pos) == 0xFFFE else { throw corrupt(pos) }
            let element = u16(pos + 2), length = u32(pos + 4)
            pos += 8
            switch element {
            case 0xE0DD where end == nil: return pos
            case 0xE000:
                var nested: PixelDataLocation?
                if length == Self.undefined {
                    pos = try elements(from: pos, end: nil, explicit: explicit, depth: depth, pixels: &nested)
                } else {
                    guard pos + length <= (end ?? count) else { throw truncated }
                    pos = fragments ? pos + length : try elements(from: pos, end: pos + length, explicit: explicit, depth: depth, pixels: &nested)
                }
            default: throw corrupt(pos - 8)
            }
        }
    }
}
