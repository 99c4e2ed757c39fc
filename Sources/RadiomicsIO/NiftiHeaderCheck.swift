import Foundation
import RadiomicsCore

/// Checks a NIfTI-1 or NIfTI-2 header field by field before niftilib or this reader allocates or reads anything:
/// a hostile or damaged header (NaN offset, a datatype its bitpix contradicts, dimensions in the billions,
/// non-finite or absurd spacings and transforms, more voxels than the file can hold) is an error naming the file
/// and the field, never a crash, a hang or an attempt to allocate terabytes.
struct NiftiHeaderCheck {
    /// Bits per voxel of each scalar datatype this reader accepts, and of the others it names in messages.
    static let scalarBits: [Int: Int] = [2: 8, 4: 16, 8: 32, 16: 32, 64: 64, 256: 8, 512: 16, 768: 32, 1024: 64, 1280: 64]
    static let otherTypes: [Int: String] = [1: "binary", 32: "complex64", 128: "RGB24", 1536: "float128",
                                            1792: "complex128", 2048: "complex256", 2304: "RGBA32"]
    /// Largest voxel spacing accepted (mm), and smallest.
    static let spacingRange = 1e-4...1e5
    /// Deflate cannot compress by more than about 1032:1; a .nii.gz promising more voxels than that is truncated.
    static let deflateMaximumRatio = 1100

    let path: String
    var version = 1
    var swapped = false
    var dims: [Int] = []
    var datatype = 0
    var bitpix = 0
    var pixdim: [Double] = []
    var voxOffset = 0.0
    var slope = 0.0, intercept = 0.0
    var qformCode = 0, sformCode = 0
    var quatern: [Double] = []
    var srow: [Double] = []

    /// Parses the first bytes of the (decompressed) file; `head` holds at least 348 bytes (540 for NIfTI-2).
    init(head: [UInt8], path: String) throws {
        self.path = path
        func int32(_ o: Int) -> Int32 {
            let v = head.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: o, as: Int32.self) }
            return swapped ? v.byteSwapped : v
        }
        let size = head.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 0, as: Int32.self) }
        swapped = size == Int32(348).byteSwapped || size == Int32(540).byteSwapped
        version = int32(0) == 540 ? 2 : 1
        func int16(_ o: Int) -> Int {
            let v = head.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: o, as: Int16.self) }
            return Int(swapped ? v.byteSwapped : v)
        }
        func int64(_ o: Int) -> Int64 {
            let v = head.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: o, as: Int64.self) }
            return swapped ? v.byteSwapped : v
        }
        func float(_ o: Int) -> Double {
            let bits = head.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: o, as: UInt32.self) }
            return Double(Float(bitPattern: swapped ? bits.byteSwapped : bits))
        }
        func double(_ o: Int) -> Double {
            let bits = head.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: o, as: UInt64.self) }
            return Double(bitPattern: swapped ? bits.byteSwapped : bits)
        }
        if version == 1 {
            dims = (0..<8).map { int16(40 + 2 * $0) }
            datatype = int16(70)
            bitpix = int16(72)
            pixdim = (0..<8).map { float(76 + 4 * $0) }
            voxOffset = float(108)
            slope = float(112)
            intercept = float(116)
            qformCode = int16(252)
            sformCode = int16(254)
            quatern = (0..<6).map { float(256 + 4 * $0) }
            srow = (0..<12).map { float(280 + 4 * $0) }
        } else {
            datatype = int16(12)
            bitpix = int16(14)
            // Clamp to Int range before converting (a hostile value may be anything).
            dims = (0..<8).map { Int(clamping: int64(16 + 8 * $0)) }
            pixdim = (0..<8).map { double(104 + 8 * $0) }
            voxOffset = Double(int64(168))
            slope = double(176)
            intercept = double(184)
            qformCode = Int(int32(344))
            sformCode = Int(int32(348))
            quatern = (0..<6).map { double(352 + 8 * $0) }
            srow = (0..<12).map { double(400 + 8 * $0) }
        }
    }

    func fail(_ problem: String) -> RadiomicsError { RadiomicsError(file: path, problem) }

    /// Checks every field that later code relies on. `fileBytes` is the size on disk, `compressed` whether it is
    /// gzip, `singleFile` whether the voxels follow the header in this file (not a .hdr/.img pair).
    /// The voxels must fit the memory limit (`ResourceLimits`) once read.
    func validate(fileBytes: Int, compressed: Bool, singleFile: Bool) throws {
        let ndim = dims[0]
        guard (1...7).contains(ndim) else { throw fail("dim[0] is \(ndim): a NIfTI image has 1 to 7 dimensions") }
        var voxels = 1
        for d in 1...ndim {
            guard dims[d] >= 1 else { throw fail("dim[\(d)] is \(dims[d]): every used dimension needs at least one voxel") }
            guard dims[d] <= 1 << 24 else { throw fail("dim[\(d)] is \(dims[d]) voxels, more than any image holds") }
            let (product, overflow) = voxels.multipliedReportingOverflow(by: dims[d])
            guard !overflow, product <= 1 << 40 else { throw fail("dim[1...\(ndim)] multiply to more than 2^40 voxels") }
            voxels = product
        }
        guard let bits = Self.scalarBits[datatype] else {
            let name = Self.otherTypes[datatype].map { " (\($0))" } ?? ""
            throw fail("NIfTI datatype \(datatype)\(name) is not a scalar image type this tool reads (integers of 8 to 64 bits, float32, float64)")
        }
        guard bitpix == bits else {
            throw fail("bitpix is \(bitpix) but datatype \(datatype) has \(bits) bits per voxel: the header contradicts itself")
        }
        let dataBytes = voxels * (bits / 8)
        // Memory: the voxels as read, and as Float/Double the features may make of them.
        try ResourceLimits.check(product: [voxels], bytesEach: max(bits / 8, 4),
                                 for: "\(voxels) voxels (\(dims[1...ndim].map(String.init).joined(separator: " x ")))", file: path)
        guard voxOffset.isFinite, voxOffset >= 0, voxOffset == voxOffset.rounded(), voxOffset <= Double(Int32.max) * 4 else {
            throw fail("vox_offset is \(voxOffset): not a byte offset (a whole number from 0 into the file)")
        }
        let offset = Int(voxOffset)
        if singleFile {
            let headerBytes = version == 1 ? 348 : 540
            guard offset >= headerBytes else {
                throw fail("vox_offset \(offset) lies inside the \(headerBytes)-byte header")
            }
            if compressed {
                guard fileBytes.multipliedReportingOverflow(by: Self.deflateMaximumRatio).partialValue >= offset + dataBytes
                        || fileBytes > Int.max / Self.deflateMaximumRatio else {
                    throw fail("truncated: the header promises \(dataBytes) bytes of voxels, which cannot fit in \(fileBytes) compressed bytes")
                }
            } else {
                guard offset <= fileBytes else {
                    throw fail("vox_offset \(offset) lies beyond the end of the file (\(fileBytes) bytes)")
                }
                guard fileBytes - offset >= dataBytes else {
                    throw fail("truncated: the header promises \(dataBytes) bytes of voxels from byte \(offset), the file holds \(fileBytes - offset)")
                }
            }
        }
        for (name, v) in [("scl_slope", slope), ("scl_inter", intercept)] where !v.isFinite {
            throw fail("\(name) is \(v): scaling must be finite")
        }
        // Spacings of the dimensions used for the grid.
        for d in 1...min(3, ndim) {
            let s = pixdim[d]
            guard s.isFinite else { throw fail("pixdim[\(d)] is \(s): voxel spacing must be finite") }
            if qformCode > 0 || sformCode <= 0, s != 0 {
                guard Self.spacingRange.contains(abs(s)) else {
                    throw fail("pixdim[\(d)] is \(s) mm: voxel spacing must be between \(TextOutput.number(Self.spacingRange.lowerBound)!) and \(TextOutput.number(Self.spacingRange.upperBound)!) mm")
                }
            }
        }
        if qformCode > 0 {
            for (i, v) in quatern.enumerated() where !v.isFinite {
                throw fail("\(["quatern_b", "quatern_c", "quatern_d", "qoffset_x", "qoffset_y", "qoffset_z"][i]) is \(v): the qform must be finite")
            }
        }
        if sformCode > 0 {
            for (i, v) in srow.enumerated() where !v.isFinite {
                throw fail("srow_\(["x", "y", "z"][i / 4])[\(i % 4)] is \(v): the sform must be finite")
            }
        }
    }

    /// The voxels of a .hdr/.img pair: `bytes` of the .img file (at `path`) must hold them from vox_offset on.
    func validateDataFile(bytes: Int, compressed: Bool, path image: String) throws {
        let voxels = dims[1...dims[0]].reduce(1, *)
        let dataBytes = voxels * (Self.scalarBits[datatype]! / 8)
        let offset = Int(voxOffset)
        let room = compressed ? bytes.multipliedReportingOverflow(by: Self.deflateMaximumRatio).partialValue : bytes - offset
        guard room >= dataBytes || (compressed && bytes > Int.max / Self.deflateMaximumRatio) else {
            throw RadiomicsError(file: image, "truncated: the header \(PathText.lastComponent(path)) promises \(dataBytes) bytes of voxels, this file holds \(max(0, bytes - offset))")
        }
    }

}
