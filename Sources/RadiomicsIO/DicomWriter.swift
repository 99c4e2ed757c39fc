import CDicom
import Foundation
import RadiomicsCore

/// Builds a DICOM data set element by element and saves it through GDCM (which adds the file meta
/// information). Values are encoded here: text padded to even length, numbers little endian.
public final class DicomWriter {
    /// A place in the data set: the element `tag` inside item `item` of each enclosing sequence.
    public typealias Path = [(sequence: DicomTag, item: Int)]

    private let handle: OpaquePointer

    public init() { handle = cdicom_writer_new() }
    deinit { cdicom_writer_free(handle) }

    /// Sets a text element (AE, AS, CS, DA, DS, IS, LO, LT, PN, SH, ST, TM, UI, ...).
    public func text(_ tag: DicomTag, _ vr: String, _ value: String, in path: Path = []) {
        var bytes = Array(value.utf8)
        if bytes.count % 2 == 1 { bytes.append(vr == "UI" ? 0 : 0x20) }
        set(tag, vr, bytes, in: path)
    }

    /// Sets a decimal string (DS) from numbers, each at most 16 characters.
    public func decimals(_ tag: DicomTag, _ values: [Double], in path: Path = []) {
        text(tag, "DS", values.map(DicomWriter.decimalString).joined(separator: "\\"), in: path)
    }

    public func integerString(_ tag: DicomTag, _ value: Int, in path: Path = []) {
        text(tag, "IS", String(value), in: path)
    }

    public func uint16(_ tag: DicomTag, _ values: [UInt16], in path: Path = []) {
        set(tag, "US", values.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] }, in: path)
    }

    public func bytes(_ tag: DicomTag, _ vr: String, _ bytes: [UInt8], in path: Path = []) {
        var b = bytes
        if b.count % 2 == 1 { b.append(0) }
        set(tag, vr, b, in: path)
    }

    /// Creates an empty sequence (items are created by setting elements inside them).
    public func emptySequence(_ tag: DicomTag, in path: Path = []) { set(tag, "SQ", [], in: path) }

    /// Saves as explicit (default) or implicit VR little endian.
    public func save(to path: String, transferSyntax: String = DicomUID.explicitVRLittleEndian) throws {
        var err = [CChar](repeating: 0, count: 512)
        guard cdicom_writer_save(handle, path, transferSyntax, &err, err.count) == 0 else {
            throw RadiomicsError(file: path, String(decoding: err.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
    }

    private func set(_ tag: DicomTag, _ vr: String, _ bytes: [UInt8], in path: Path) {
        var tags = path.map(\.sequence.value) + [tag.value]
        var items = path.map { Int32($0.item) }
        var err = [CChar](repeating: 0, count: 256)
        let rc = bytes.withUnsafeBytes { b in
            cdicom_writer_set(handle, &tags, &items, Int32(tags.count), vr, b.baseAddress, b.count, &err, err.count)
        }
        precondition(rc == 0, "DicomWriter: cannot set \(tag)")
    }

    /// A DS value of at most 16 characters with as many significant digits as fit.
    public static func decimalString(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        for digits in stride(from: 15, through: 1, by: -1) {
            var s = String(format: "%.\(digits)g", x)
            if s.contains("e") { s = s.replacingOccurrences(of: "e+", with: "e") }
            if s.count <= 16 { return s }
        }
        return String(format: "%.6e", x)
    }

    /// A UID under the 2.25 root (ISO/IEC 9834-8) from 128 bits; deterministic for a given seed string.
    public static func uid(seed: String) -> String {
        // FNV-1a, twice with different offsets, for 128 bits that depend on the whole seed.
        func fnv(_ offset: UInt64) -> UInt64 {
            var h = offset
            for b in seed.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
            return h
        }
        var hi = fnv(0xcbf29ce484222325), lo = fnv(0x84222325cbf29ce4)
        // 128-bit unsigned to decimal by repeated division by 10.
        var digits: [Character] = []
        repeat {
            let (qHi, rHi) = hi.quotientAndRemainder(dividingBy: 10)
            let (qLo, rLo) = UInt64(10).dividingFullWidth((rHi, lo))
            hi = qHi
            lo = qLo
            digits.append(Character(String(rLo)))
        } while hi != 0 || lo != 0
        return "2.25." + String(digits.reversed())
    }
}
