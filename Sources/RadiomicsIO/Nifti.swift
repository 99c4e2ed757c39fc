import CNifti
import Foundation
import RadiomicsCore

/// NIfTI-1 and NIfTI-2 images (.nii, .nii.gz, .hdr/.img) through niftilib.
///
/// NIfTI's world frame is RAS; this project works in DICOM's LPS, so x and y are negated on the way in and out.
/// The grid comes from the sform when its code is set (as nibabel does), else the qform, else pixdim alone.
public enum Nifti {

    /// Does the path name a NIfTI file (by extension)?
    public static func isNiftiPath(_ path: String) -> Bool {
        let p = path.lowercased()
        return p.hasSuffix(".nii") || p.hasSuffix(".nii.gz") || p.hasSuffix(".hdr") || p.hasSuffix(".img")
            || p.hasSuffix(".hdr.gz") || p.hasSuffix(".img.gz")
    }

    /// Reads a 3D image (a 4D file with one volume is accepted). Integer types of at most 16 bits without
    /// scaling are kept as Int16; everything else becomes Float with scl_slope/scl_inter applied.
    public static func read(path: String) throws -> ScalarImage {
        try checkHeader(path)
        guard let nim = cnifti_read(path, 1) else {
            throw RadiomicsError(file: path, "cannot read NIfTI image data (truncated or corrupt file)")
        }
        defer { nifti_image_free(nim) }
        let n = nim.pointee
        let extra = [n.nt, n.nu, n.nv, n.nw].map { max($0, 1) }.reduce(1, *)
        guard extra == 1 else {
            throw RadiomicsError(file: path, "\(n.ndim)D image with \(extra) volumes; extract one 3D volume first")
        }
        let geometry = try self.geometry(nim.pointee, path: path)
        guard let data = n.data else { throw RadiomicsError(file: path, "NIfTI file has no image data") }
        let count = geometry.voxelCount
        let slope = n.scl_slope, inter = n.scl_inter
        let scaled = slope != 0 && !(slope == 1 && inter == 0)

        func load<S: BinaryInteger>(_ type: S.Type) -> ScalarImage {
            let p = data.bindMemory(to: S.self, capacity: count)
            let buffer = UnsafeBufferPointer(start: p, count: count)
            if !scaled, S.self == Int16.self || buffer.allSatisfy({ Int16(exactly: $0) != nil }) {
                return .int16(Volume(geometry: geometry, voxels: buffer.map { Int16(truncatingIfNeeded: $0) }))
            }
            let a = scaled ? slope : 1, b = scaled ? inter : 0
            return .float(Volume(geometry: geometry, voxels: buffer.map { Float(Double($0) * a + b) }))
        }
        func loadFloat<S: BinaryFloatingPoint>(_ type: S.Type) -> ScalarImage {
            let p = data.bindMemory(to: S.self, capacity: count)
            let buffer = UnsafeBufferPointer(start: p, count: count)
            let a = scaled ? slope : 1, b = scaled ? inter : 0
            return .float(Volume(geometry: geometry, voxels: buffer.map { Float(Double($0) * a + b) }))
        }

        switch n.datatype {
        case Int32(DT_UINT8): return load(UInt8.self)
        case Int32(DT_INT8): return load(Int8.self)
        case Int32(DT_INT16): return load(Int16.self)
        case Int32(DT_UINT16): return load(UInt16.self)
        case Int32(DT_INT32): return load(Int32.self)
        case Int32(DT_UINT32): return load(UInt32.self)
        case Int32(DT_INT64): return load(Int64.self)
        case Int32(DT_UINT64): return load(UInt64.self)
        case Int32(DT_FLOAT32): return loadFloat(Float.self)
        case Int32(DT_FLOAT64): return loadFloat(Double.self)
        default:
            throw RadiomicsError(file: path, "NIfTI datatype \(n.datatype) (complex, RGB or other) is not a scalar image")
        }
    }

    /// Refuses files that are not NIfTI before niftilib sees them, with a message saying why.
    static func checkHeader(_ path: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw RadiomicsError(file: path, "no such file")
        }
        if isDir.boolValue { throw RadiomicsError(file: path, "is a directory, expected a NIfTI file") }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size == 0 { throw RadiomicsError(file: path, "empty file") }
        let lower = path.lowercased()
        if lower.hasSuffix(".img") || lower.hasSuffix(".img.gz") { return } // header is the .hdr beside it
        var head = [UInt8](repeating: 0, count: 540)
        let got = cnifti_peek(path, &head, head.count)
        guard got >= 348 else {
            throw RadiomicsError(file: path, got < 0 ? "cannot be opened" : "not a NIfTI file (only \(got) bytes, a header needs 348)")
        }
        let sizeField = head.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 0, as: Int32.self) }
        let sizes: Set<Int32> = [348, 540, Int32(348).byteSwapped, Int32(540).byteSwapped]
        guard sizes.contains(sizeField) else {
            throw RadiomicsError(file: path, "not a NIfTI file (header size field is \(sizeField), expected 348 or 540)")
        }
        if sizeField == 348 || sizeField == Int32(348).byteSwapped {
            let magic = String(decoding: head[344..<347], as: UTF8.self)
            let analyze = lower.hasSuffix(".hdr") || lower.hasSuffix(".hdr.gz")
            guard magic == "n+1" || magic == "ni1" || analyze else {
                throw RadiomicsError(file: path, "not a NIfTI-1 file (no n+1 magic)")
            }
        } else if got < 540 {
            throw RadiomicsError(file: path, "truncated NIfTI-2 header")
        }
    }

    /// The grid of a NIfTI image in LPS.
    static func geometry(_ n: nifti_image, path: String) throws -> ImageGeometry {
        let size = SIMD3<Int>(Int(n.nx), Int(max(n.ny, 1)), Int(max(n.nz, 1)))
        guard size.x > 0 else { throw RadiomicsError(file: path, "NIfTI image has no voxels") }
        var candidates: [[Double]] = []
        var copy = n
        var m = [Double](repeating: 0, count: 16)
        if n.sform_code > 0 { cnifti_get_affine(&copy, 1, &m); candidates.append(m) }
        if n.qform_code > 0 { cnifti_get_affine(&copy, 0, &m); candidates.append(m) }
        for affine in candidates {
            if let g = geometry(affine: affine, size: size) { return g }
        }
        if !candidates.isEmpty {
            throw RadiomicsError(file: path, "sform/qform is sheared or singular: cannot place the image")
        }
        // No orientation at all (ANALYZE-style): pixdim as spacing, axes as RAS.
        let spacing = SIMD3(abs(n.dx) > 0 ? abs(n.dx) : 1, abs(n.dy) > 0 ? abs(n.dy) : 1, abs(n.dz) > 0 ? abs(n.dz) : 1)
        return ImageGeometry(size: size, spacing: spacing, origin: .zero, direction: .diagonal([-1, -1, 1]))
    }

    /// Geometry from a row-major voxel-to-RAS matrix, nil when its axes are not orthogonal.
    static func geometry(affine m: [Double], size: SIMD3<Int>) -> ImageGeometry? {
        let flip = SIMD3<Double>(-1, -1, 1)
        var columns: [SIMD3<Double>] = []
        var spacing = SIMD3<Double>.zero
        for c in 0..<3 {
            let col = SIMD3(m[c], m[4 + c], m[8 + c]) * flip
            let s = length(col)
            guard s > 0 else { return nil }
            spacing[c] = s
            columns.append(col / s)
        }
        for (a, b) in [(0, 1), (0, 2), (1, 2)] where abs(dot(columns[a], columns[b])) > 1e-4 { return nil }
        return ImageGeometry(size: size, spacing: spacing, origin: SIMD3(m[3], m[7], m[11]) * flip,
                             direction: Matrix3(columns: columns[0], columns[1], columns[2]))
    }

    /// Row-major voxel-to-RAS matrix of a grid.
    static func affine(_ g: ImageGeometry) -> [Double] {
        let flip = SIMD3<Double>(-1, -1, 1)
        let m = g.indexToPhysicalMatrix
        let o = g.origin * flip
        var a = [Double](repeating: 0, count: 16)
        for r in 0..<3 {
            for c in 0..<3 { a[4 * r + c] = m[r, c] * flip[r] }
            a[4 * r + 3] = o[r]
        }
        a[15] = 1
        return a
    }

    // MARK: - Writing

    /// Writes an image as NIfTI-1 (or 2) (gzip-compressed when the name ends in .gz), sform and qform both set.
    public static func write(_ image: ScalarImage, to path: String, version: Int = 1) throws {
        switch image {
        case .int16(let v): try write(v, to: path, version: version)
        case .float(let v): try write(v, to: path, version: version)
        }
    }

    /// Writes a volume of UInt8, Int16, Int32, Float or Double as NIfTI-1 (or 2).
    public static func write<S: VoxelScalar>(_ volume: Volume<S>, to path: String, version: Int = 1) throws {
        let code: Int32
        switch S.self {
        case is UInt8.Type: code = Int32(DT_UINT8)
        case is Int16.Type: code = Int32(DT_INT16)
        case is Int32.Type: code = Int32(DT_INT32)
        case is Float.Type: code = Int32(DT_FLOAT32)
        case is Double.Type: code = Int32(DT_FLOAT64)
        default: throw RadiomicsError(file: path, "cannot write voxels of type \(S.self) as NIfTI")
        }
        let s = volume.geometry.size
        guard version == 1 || version == 2 else { throw RadiomicsError(file: path, "NIfTI version \(version) does not exist (1 or 2)") }
        guard let nim = cnifti_new(Int64(s.x), Int64(s.y), Int64(s.z), code, Int32(version)) else {
            throw RadiomicsError(file: path, "cannot create NIfTI header")
        }
        defer { nim.pointee.data = nil; nifti_image_free(nim) }
        var affine = affine(volume.geometry)
        cnifti_set_affine(nim, &affine)
        guard nifti_set_filenames(nim, path, 0, 1) == 0 else {
            throw RadiomicsError(file: path, "not a NIfTI file name (use .nii or .nii.gz)")
        }
        // nifti_set_filenames chooses the file type from the name; the version is ours to keep.
        nim.pointee.nifti_type = version == 2 ? NIFTI_FTYPE_NIFTI2_1 : NIFTI_FTYPE_NIFTI1_1
        var voxels = volume.voxels
        let rc = voxels.withUnsafeMutableBytes { raw -> Int32 in
            nim.pointee.data = raw.baseAddress
            return cnifti_write(nim)
        }
        guard rc == 0 else { throw RadiomicsError(file: path, "cannot write NIfTI file") }
    }
}
