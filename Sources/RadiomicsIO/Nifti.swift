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
    /// Int16 voxels are read straight into the volume's storage: loading costs one read of the file.
    public static func read(path: String) throws -> ScalarImage {
        try read(path: path, region: { _ in nil }).image
    }

    /// The grid of a NIfTI file, from its header alone.
    public static func header(path: String) throws -> ImageGeometry {
        let file = try StoredVoxels(path: path)
        defer { file.close() }
        return file.fullGeometry
    }

    /// Reads the box (of voxel indices) that `region` asks for once it has seen the file's grid (nil: the whole
    /// image), on its sub-grid: of a box smaller than the slices, only its rows are read. Returns the image read
    /// and the whole file's grid.
    public static func read(path: String, region: (ImageGeometry) throws -> BoundingBox?) throws
        -> (image: ScalarImage, fullGeometry: ImageGeometry) {
        var file = try StoredVoxels(path: path)
        defer { file.close() }
        let full = file.geometry
        if let box = try region(full) {
            precondition(BoundingBox(size: full.size).contains(box), "region outside the image")
            file.region = box
        }
        let geometry = file.geometry
        if file.datatype == Int32(DT_INT16) && !file.scaled {
            return (.int16(Volume(geometry: geometry, voxels: try file.readVoxels(as: Int16.self))), full)
        }
        let image: ScalarImage = try file.withRawVoxels { raw in
            func load<S: BinaryInteger>(_ type: S.Type) -> ScalarImage {
                let buffer = raw.bindMemory(to: S.self)
                if !file.scaled, buffer.allSatisfy({ Int16(exactly: $0) != nil }) {
                    return .int16(Volume(geometry: geometry, voxels: buffer.map { Int16(truncatingIfNeeded: $0) }))
                }
                return .float(Volume(geometry: geometry, voxels: buffer.map { Float(file.value($0)) }))
            }
            func loadFloat<S: BinaryFloatingPoint>(_ type: S.Type) -> ScalarImage {
                .float(Volume(geometry: geometry, voxels: raw.bindMemory(to: S.self).map { Float(file.value($0)) }))
            }
            switch file.datatype {
            case Int32(DT_UINT8): return load(UInt8.self)
            case Int32(DT_INT8): return load(Int8.self)
            case Int32(DT_INT16): return load(Int16.self)
            case Int32(DT_UINT16): return load(UInt16.self)
            case Int32(DT_INT32): return load(Int32.self)
            case Int32(DT_UINT32): return load(UInt32.self)
            case Int32(DT_INT64): return load(Int64.self)
            case Int32(DT_UINT64): return load(UInt64.self)
            case Int32(DT_FLOAT32): return loadFloat(Float.self)
            default: return loadFloat(Double.self) // StoredVoxels admits only scalar types
            }
        }
        return (image, full)
    }

    /// The smallest and largest value of the whole image as `read(path:region:)` gives its voxels (Int16 as
    /// stored, else the scaled value as Float), streamed through a 4 MB buffer: what a caller reading only a region
    /// needs to know of the rest (PyRadiomics' Square family scales by the whole image's largest value).
    public static func extremes(path: String) throws -> (min: Double, max: Double) {
        let file = try StoredVoxels(path: path)
        defer { file.close() }
        var range = ValueRange()
        let unscaledInt16 = file.datatype == Int32(DT_INT16) && !file.scaled
        try file.forEachBlock { raw, _ in
            if unscaledInt16 { range.add(raw.bindMemory(to: Int16.self)); return }
            file.forEachValue(raw) { _, v in range.add(Float(v)) }
        }
        return range.extremes
    }

    /// Reads a label image as a mask: 1 where the (scaled) value equals `label`, or is non-zero when `label` is
    /// nil; only `region` (a box of voxel indices, on its sub-grid) when given. A UInt8 file is read straight into
    /// the mask and selected in place. When nothing is selected, `distinctValues(path:)` tells the user what the
    /// file holds.
    public static func readLabels(path: String, label: Int?, region: BoundingBox? = nil) throws -> Mask {
        var file = try StoredVoxels(path: path)
        defer { file.close() }
        if let region {
            precondition(BoundingBox(size: file.fullGeometry.size).contains(region), "region outside the image")
            file.region = region
        }
        let geometry = file.geometry
        if file.datatype == Int32(DT_UINT8) && !file.scaled {
            var voxels = try file.readVoxels(as: UInt8.self)
            voxels.withUnsafeMutableBytes { b in
                if let label, UInt8(exactly: label) == nil { b.initializeMemory(as: UInt8.self, repeating: 0); return }
                ByteScan.select(b, equalTo: label.map { UInt8($0) })
            }
            return Mask(geometry: geometry, voxels: voxels)
        }
        // Read in blocks and selected as they come: the file's own type is never held whole (a 512 x 512 x 200
        // int16 label image would otherwise take 100 MB of fresh memory beside the mask's 50).
        let voxels = try file.selectBlocks { raw, out in
            file.select(raw, label: label) { n, selected in out[n] = selected ? 1 : 0 }
        }
        return Mask(geometry: geometry, voxels: voxels)
    }

    /// The box (voxel indices) holding every voxel of a label image that `readLabels(path:label:)` would select,
    /// nil when there is none: one pass over the file in 4 MB blocks, row by row, so that a caller can then read
    /// only that box (a tumour in 40 of 200 slices of a 512 x 512 label image: its box, not 10 MB of slices). A
    /// UInt8 row is looked at 32 bytes at a time (`ByteScan.contains`) and searched only when it holds the label.
    public static func labelBox(path: String, label: Int?) throws -> BoundingBox? {
        let file = try StoredVoxels(path: path)
        defer { file.close() }
        let n = file.fullGeometry.size
        var lower = SIMD3<Int>(repeating: .max), upper = SIMD3<Int>(repeating: -1)
        let size = Int(file.nim.pointee.nbyper)
        let bytes = file.datatype == Int32(DT_UINT8) && !file.scaled
        if bytes, let label, UInt8(exactly: label) == nil { return nil }
        let byte = bytes ? label.map { UInt8($0) } : nil  // representable, checked above
        try file.forEachBlock { raw, start in
            let count = raw.count / size
            // Row by row within the block; a row split between two blocks is looked at in its two parts.
            var v = 0
            while v < count {
                let x0 = (start + v) % n.x, row = (start + v) / n.x
                let end = min(count, v + n.x - x0)
                let part = UnsafeRawBufferPointer(rebasing: raw[(v * size)..<(end * size)])
                var first = Int.max, last = -1
                if bytes {
                    if ByteScan.contains(part, byte) {
                        let hit = { (b: UInt8) in byte.map { b == $0 } ?? (b != 0) }
                        first = part.firstIndex(where: hit)!
                        last = part.lastIndex(where: hit)!
                    }
                } else {
                    file.select(part, label: label) { i, selected in
                        if selected { first = min(first, i); last = i }
                    }
                }
                if last >= 0 {
                    let y = row % n.y, z = row / n.y
                    lower = pointwiseMin(lower, SIMD3(x0 + first, y, z))
                    upper = pointwiseMax(upper, SIMD3(x0 + last, y, z))
                }
                v = end
            }
        }
        return upper.x < 0 ? nil : BoundingBox(lower: lower, upper: upper)
    }

    /// Up to `limit` distinct (scaled) values of an image, ascending: what a label file holds, for messages.
    public static func distinctValues(path: String, limit: Int = 20) throws -> [Double] {
        let values: [Double]
        switch try read(path: path) {
        case .int16(let v):
            var seen = [Bool](repeating: false, count: 65536)
            for x in v.voxels { seen[Int(x) + 32768] = true }
            values = seen.indices.filter { seen[$0] }.map { Double($0 - 32768) }
        case .float(let v):
            var set = Set<Float>()
            var last = Float.nan
            for x in v.voxels where x != last { last = x; set.insert(x) }
            values = set.sorted().map(Double.init)
        }
        return Array(values.prefix(limit))
    }

    /// A NIfTI file's header (read by niftilib), checked to hold one 3D scalar volume, whose voxels are then
    /// read into a buffer the caller gives.
    struct StoredVoxels {
        let path: String
        let nim: UnsafeMutablePointer<nifti_image>
        /// The whole file's grid.
        let fullGeometry: ImageGeometry
        /// The part to read (nil: all).
        var region: BoundingBox?
        let datatype: Int32
        let slope: Double, intercept: Double

        init(path: String) throws {
            try checkHeader(path)
            guard let nim = cnifti_read(path, 0) else {
                throw RadiomicsError(file: path, "cannot read NIfTI header (truncated or corrupt file)")
            }
            let n = nim.pointee
            do {
                let extra = [n.nt, n.nu, n.nv, n.nw].map { max($0, 1) }.reduce(1, *)
                guard extra == 1 else {
                    throw RadiomicsError(file: path, "\(n.ndim)D image with \(extra) volumes; extract one 3D volume first")
                }
                let scalarTypes = [DT_UINT8, DT_INT8, DT_INT16, DT_UINT16, DT_INT32, DT_UINT32, DT_INT64, DT_UINT64,
                                   DT_FLOAT32, DT_FLOAT64].map { Int32($0) }
                guard scalarTypes.contains(n.datatype) else {
                    throw RadiomicsError(file: path, "NIfTI datatype \(n.datatype) (complex, RGB or other) is not a scalar image")
                }
                fullGeometry = try Nifti.geometry(n, path: path)
            } catch {
                nifti_image_free(nim)
                throw error
            }
            self.path = path
            self.nim = nim
            datatype = n.datatype
            let scaled = n.scl_slope != 0 && !(n.scl_slope == 1 && n.scl_inter == 0)
            slope = scaled ? Double(n.scl_slope) : 1
            intercept = scaled ? Double(n.scl_inter) : 0
        }

        /// The grid of what is read: the whole image, or the chosen part.
        var geometry: ImageGeometry {
            guard let region else { return fullGeometry }
            return fullGeometry.subGrid(region)
        }

        var scaled: Bool { slope != 1 || intercept != 0 }
        var byteCount: Int { geometry.voxelCount * Int(nim.pointee.nbyper) }

        @inline(__always) func value<S: BinaryInteger>(_ x: S) -> Double { Double(x) * slope + intercept }
        @inline(__always) func value<S: BinaryFloatingPoint>(_ x: S) -> Double { Double(x) * slope + intercept }

        /// Reads every voxel into `dest` (byteCount bytes).
        func read(into dest: UnsafeMutableRawPointer) throws {
            let ok: Bool
            if let r = region, r.size.x == fullGeometry.size.x && r.size.y == fullGeometry.size.y {
                ok = cnifti_read_slices(nim, Int64(r.lower.z), Int64(r.size.z), dest) == 0
            } else if let r = region {
                ok = cnifti_read_box(nim, Int64(r.lower.x), Int64(r.size.x), Int64(r.lower.y), Int64(r.size.y),
                                     Int64(r.lower.z), Int64(r.size.z), dest) == 0
            } else {
                ok = cnifti_read_data(nim, dest) == 0
            }
            guard ok else {
                throw RadiomicsError(file: path, "cannot read NIfTI image data (truncated or corrupt file)")
            }
        }

        /// The voxels as stored (`T` must be the file's type), read straight into the array's memory.
        func readVoxels<T>(as type: T.Type) throws -> [T] {
            let count = geometry.voxelCount
            return try [T](unsafeUninitializedCapacity: count) { buffer, initialised in
                adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
                try read(into: UnsafeMutableRawPointer(buffer.baseAddress!))
                initialised = count
            }
        }

        /// Reads the voxels into a temporary buffer and hands it to `body`.
        func withRawVoxels<T>(_ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
            let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: max(byteCount, 1), alignment: 16)
            defer { raw.deallocate() }
            try read(into: raw.baseAddress!)
            return try body(UnsafeRawBufferPointer(start: raw.baseAddress, count: byteCount))
        }

        /// Stored voxels (`raw`, the file's type) through the label selection: `body(n, selected)` for each voxel
        /// n, selected when its (scaled) value equals `label`, or is not zero when `label` is nil.
        func select(_ raw: UnsafeRawBufferPointer, label: Int?, _ body: (Int, Bool) -> Void) {
            let target = label.map(Double.init)
            forEachValue(raw) { n, d in body(n, target.map { d == $0 } ?? (d != 0)) }
        }

        /// Stored voxels (`raw`, the file's type) as scaled values: `body(n, value)` for each voxel n.
        func forEachValue(_ raw: UnsafeRawBufferPointer, _ body: (Int, Double) -> Void) {
            func scan<S: BinaryInteger>(_ type: S.Type) {
                for (n, x) in raw.bindMemory(to: S.self).enumerated() { body(n, value(x)) }
            }
            func scanFloat<S: BinaryFloatingPoint>(_ type: S.Type) {
                for (n, x) in raw.bindMemory(to: S.self).enumerated() { body(n, value(x)) }
            }
            switch datatype {
            case Int32(DT_UINT8): scan(UInt8.self)
            case Int32(DT_INT8): scan(Int8.self)
            case Int32(DT_INT16): scan(Int16.self)
            case Int32(DT_UINT16): scan(UInt16.self)
            case Int32(DT_INT32): scan(Int32.self)
            case Int32(DT_UINT32): scan(UInt32.self)
            case Int32(DT_INT64): scan(Int64.self)
            case Int32(DT_UINT64): scan(UInt64.self)
            case Int32(DT_FLOAT32): scanFloat(Float.self)
            default: scanFloat(Double.self) // StoredVoxels admits only scalar types
            }
        }

        /// The whole image's stored voxels in blocks of at most 4 MB, through a buffer reused from block to
        /// block: `body(block, index of its first voxel)`.
        func forEachBlock(_ body: (UnsafeRawBufferPointer, Int) -> Void) throws {
            let size = Int(nim.pointee.nbyper)
            var done = 0
            let ok = withoutActuallyEscaping(body) { body in
                var state = (done: 0, size: size, body: body)
                defer { done = state.done }
                return withUnsafeMutablePointer(to: &state) { p in
                    cnifti_read_blocks(nim, 4 << 20, p) { context, data, nbytes in
                        let s = context!.assumingMemoryBound(to: (done: Int, size: Int, body: (UnsafeRawBufferPointer, Int) -> Void).self)
                        s.pointee.body(UnsafeRawBufferPointer(start: data, count: Int(nbytes)), s.pointee.done)
                        s.pointee.done += Int(nbytes) / s.pointee.size
                    }
                }
            }
            if ok != 0 || done != fullGeometry.voxelCount {
                throw RadiomicsError(file: path, "cannot read NIfTI image data (truncated or corrupt file)")
            }
        }

        /// One byte per voxel of what is read (the whole image or the chosen part): `body` gets blocks of
        /// stored voxels and the part of the output each fills (as many bytes as the block has voxels). The whole
        /// image is read in 4 MB blocks; a chosen part in one block.
        func selectBlocks(_ body: (UnsafeRawBufferPointer, UnsafeMutableBufferPointer<UInt8>) -> Void) throws -> [UInt8] {
            let count = geometry.voxelCount, size = Int(nim.pointee.nbyper)
            var failure: Error?
            let out = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialised in
                adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
                do {
                    if region != nil {
                        try withRawVoxels { body($0, buffer) }
                    } else {
                        try forEachBlock { raw, start in
                            body(raw, UnsafeMutableBufferPointer(rebasing: buffer[start..<(start + raw.count / size)]))
                        }
                    }
                } catch {
                    failure = error
                    buffer.initialize(repeating: 0)
                }
                initialised = count
            }
            if let failure { throw failure }
            return out
        }

        func close() { nifti_image_free(nim) }
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
        var singleFile = true
        if sizeField == 348 || sizeField == Int32(348).byteSwapped {
            let magic = String(decoding: head[344..<347], as: UTF8.self)
            let analyze = lower.hasSuffix(".hdr") || lower.hasSuffix(".hdr.gz")
            guard magic == "n+1" || magic == "ni1" || analyze else {
                throw RadiomicsError(file: path, "not a NIfTI-1 file (no n+1 magic)")
            }
            singleFile = magic == "n+1"
        } else if got < 540 {
            throw RadiomicsError(file: path, "truncated NIfTI-2 header")
        } else {
            singleFile = String(decoding: head[4..<7], as: UTF8.self) == "n+2"
        }
        let check = try NiftiHeaderCheck(head: head, path: path)
        if singleFile {
            try check.validate(fileBytes: size, compressed: cnifti_is_gzip(path) != 0, singleFile: true)
        } else {
            // A header whose voxels are in a separate .img file: check the data against that file.
            let stem = ["hdr.gz", "nii.gz", "hdr", "nii"].first { lower.hasSuffix("." + $0) }.map { String(path.dropLast($0.count + 1)) } ?? path
            guard let image = [stem + ".img", stem + ".img.gz", stem + ".IMG"].first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                throw RadiomicsError(file: path, "a header of a .hdr/.img pair (magic ni1), but there is no \(PathText.lastComponent(stem)).img beside it")
            }
            let imageSize = (try? FileManager.default.attributesOfItem(atPath: image)[.size] as? Int) ?? 0
            try check.validate(fileBytes: imageSize, compressed: cnifti_is_gzip(image) != 0, singleFile: false)
            try check.validateDataFile(bytes: imageSize, compressed: cnifti_is_gzip(image) != 0, path: image)
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
            if let g = geometry(affine: affine, size: size) {
                let spacings = [g.spacing.x, g.spacing.y, g.spacing.z]
                guard spacings.allSatisfy(NiftiHeaderCheck.spacingRange.contains) else {
                    throw RadiomicsError(file: path, "the sform/qform gives voxel spacings \(spacings) mm: each must be between \(NiftiHeaderCheck.spacingRange.lowerBound) and \(NiftiHeaderCheck.spacingRange.upperBound) mm")
                }
                guard g.origin.x.isFinite, g.origin.y.isFinite, g.origin.z.isFinite,
                      abs(g.origin.x) < 1e7, abs(g.origin.y) < 1e7, abs(g.origin.z) < 1e7 else {
                    throw RadiomicsError(file: path, "the sform/qform places the first voxel at \(g.origin) mm, not a usable position")
                }
                return g
            }
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
