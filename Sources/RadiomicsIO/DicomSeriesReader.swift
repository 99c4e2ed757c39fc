import CDicom
import Dispatch
import Foundation
import RadiomicsCore

/// A CT (or other) image series read from DICOM, with what was learnt about it.
public struct DicomImage: Sendable {
    /// The slices read: all of them, or those a caller chose.
    public var image: ScalarImage
    /// The whole series' grid.
    public var fullGeometry: ImageGeometry
    public var seriesInstanceUID: String
    public var frameOfReferenceUID: String?
    public var modality: String?
    /// Transfer syntax UIDs met among the files.
    public var transferSyntaxes: [String]
    /// Files in slice order (one per slice, or the single multi-frame file).
    public var files: [String]
    /// Files in the directory that are not DICOM (no DICM preamble), left out.
    public var skippedFiles: [String] = []
}

/// One image series found while scanning files: what `--series` chooses from.
public struct DicomSeriesSummary: Sendable, CustomStringConvertible {
    public var seriesInstanceUID: String
    public var modality: String
    public var seriesDescription: String
    public var fileCount: Int
    public var description: String {
        "\(seriesInstanceUID)  \(modality.isEmpty ? "?" : modality)  \"\(seriesDescription)\"  (\(fileCount) file\(fileCount == 1 ? "" : "s"))"
    }
}

/// Reads an image series from a directory or a single file (one slice or a multi-frame image).
///
/// Files are grouped by SeriesInstanceUID; non-image objects (RTSTRUCT, SEG, ...) are left out. Slices are
/// ordered by their position along the slice normal (never by file name or InstanceNumber); the slice step
/// comes from the positions, the in-plane spacing from PixelSpacing, the axes from ImageOrientationPatient.
/// Stored values become HU (or the modality's unit) through RescaleSlope and RescaleIntercept, per slice.
/// Uneven slice steps, missing slices, repeated positions and gantry tilt are refused with a clear error.
public enum DicomSeriesReader {

    /// Reads the series at `path`. With several image series there, `seriesUID` chooses one; without it the
    /// error lists them.
    /// `slices` sees the series' grid before any pixel data are decoded and may choose the slices (z indices) to
    /// decode; nil decodes them all.
    public static func read(path: String, seriesUID: String? = nil,
                            slices: (ImageGeometry, _ frameOfReferenceUID: String?) throws -> ClosedRange<Int>? = { _, _ in nil }) throws -> DicomImage {
        let files = try listFiles(path)
        let (headers, skipped) = try scanHeaders(files, skipNonDicom: files.count > 1 || files.first != path)
        let images = headers.filter { $0.isImage }
        guard !images.isEmpty else {
            let kinds = Set(headers.map { $0.modality.isEmpty ? "unknown" : $0.modality }).sorted().joined(separator: ", ")
            throw RadiomicsError(file: path, "no DICOM image series found (\(headers.count) file(s) of kind \(kinds))")
        }
        var groups: [String: [SliceHeader]] = [:]
        for h in images { groups[h.seriesUID, default: []].append(h) }
        let chosen: [SliceHeader]
        if let uid = seriesUID {
            guard let g = groups[uid] else {
                throw RadiomicsError(file: path, "no series with SeriesInstanceUID \(uid); found:\n"
                    + summaries(groups).map { "  \($0)" }.joined(separator: "\n"))
            }
            chosen = g
        } else if groups.count > 1 {
            throw RadiomicsError(file: path, "\(groups.count) image series found; choose one with --series UID:\n"
                + summaries(groups).map { "  \($0)" }.joined(separator: "\n"))
        } else {
            chosen = groups.values.first!
        }
        var image = try assemble(chosen, path: path, slices: slices)
        image.skippedFiles = skipped
        return image
    }

    /// The image series found under `path`, for listing.
    public static func listSeries(path: String) throws -> [DicomSeriesSummary] {
        let headers = try scanHeaders(try listFiles(path), skipNonDicom: true).headers.filter { $0.isImage }
        var groups: [String: [SliceHeader]] = [:]
        for h in headers { groups[h.seriesUID, default: []].append(h) }
        return summaries(groups)
    }

    private static func summaries(_ groups: [String: [SliceHeader]]) -> [DicomSeriesSummary] {
        groups.map { uid, hs in
            DicomSeriesSummary(seriesInstanceUID: uid, modality: hs[0].modality,
                               seriesDescription: hs[0].seriesDescription, fileCount: hs.count)
        }.sorted { $0.seriesInstanceUID < $1.seriesInstanceUID }
    }

    // MARK: - Files and headers

    static func listFiles(_ path: String) throws -> [String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw RadiomicsError(file: path, "no such file or directory")
        }
        guard isDir.boolValue else { return [path] }
        guard let walker = FileManager.default.enumerator(atPath: path) else {
            throw RadiomicsError(file: path, "cannot list directory")
        }
        var files: [String] = []
        while let rel = walker.nextObject() as? String {
            let name = PathText.lastComponent(rel)
            if name.hasPrefix(".") || name.uppercased() == "DICOMDIR" { continue }
            let full = (path as NSString).appendingPathComponent(rel)
            var sub: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &sub), !sub.boolValue { files.append(full) }
        }
        guard !files.isEmpty else { throw RadiomicsError(file: path, "directory holds no files") }
        return files.sorted()
    }

    /// What one file (or one frame of a multi-frame file) says about its place in the series.
    struct SliceHeader: Sendable {
        var path: String
        var frame: Int = 0
        var frameCount: Int = 1
        var sopClass: String
        var seriesUID: String
        var frameOfReferenceUID: String?
        var modality: String
        var seriesDescription: String
        var transferSyntax: String
        var rows: Int
        var columns: Int
        var position: SIMD3<Double>?
        var orientation: [Double]?
        var pixelSpacing: [Double]?
        var sliceThickness: Double?
        var spacingBetweenSlices: Double?
        var slope: Double
        var intercept: Double
        var hasPixels: Bool
        var samplesPerPixel = 1
        var bitsAllocated = 0
        var bitsStored = 0
        var pixelRepresentation = 0
        /// Where uncompressed little-endian pixel data lie in the file (offset, length in bytes).
        var nativePixelData: (offset: Int, length: Int)?

        var isImage: Bool { hasPixels && !DicomUID.isNonImage(sopClass) && rows > 0 && columns > 0 }
    }

    /// Reads every file's header. Inside a directory, files that are not DICOM at all (no DICM preamble:
    /// notes, sidecars, NIfTI files) are skipped and returned; a DICOM file that cannot be read is an error.
    static func scanHeaders(_ files: [String], skipNonDicom: Bool) throws -> (headers: [SliceHeader], skipped: [String]) {
        let results = parallelMap(files) { path -> Result<SliceHeader, RadiomicsError> in
            do {
                let file = try DicomFile(path: path, headerOnly: true)
                return .success(header(of: file))
            } catch let e as RadiomicsError {
                return .failure(e)
            } catch {
                return .failure(RadiomicsError(file: path, "\(error)"))
            }
        }
        var headers: [SliceHeader] = [], skipped: [String] = []
        for (path, result) in zip(files, results) {
            switch result {
            case .success(let h): headers.append(h)
            case .failure(let e) where skipNonDicom && (e.problem.hasPrefix("not a DICOM file") || e.problem == "empty file"):
                skipped.append(path)
            case .failure(let e): throw e
            }
        }
        guard !headers.isEmpty else {
            throw RadiomicsError(file: files.count == 1 ? files[0] : PathText.parent(files[0]),
                                 "no DICOM files found (\(skipped.count) other file(s))")
        }
        return (headers, skipped)
    }

    static func header(of file: DicomFile) -> SliceHeader {
        let ds = file.root
        let frames = Int(ds.number(Tag.numberOfFrames) ?? 1)
        var h = SliceHeader(
            path: file.path, frameCount: max(frames, 1),
            sopClass: ds.string(Tag.sopClassUID) ?? "",
            seriesUID: ds.string(Tag.seriesInstanceUID) ?? "",
            frameOfReferenceUID: ds.string(Tag.frameOfReferenceUID),
            modality: ds.string(Tag.modality) ?? "",
            seriesDescription: ds.string(Tag.seriesDescription) ?? "",
            transferSyntax: file.transferSyntax,
            rows: Int(ds.number(Tag.rows) ?? 0), columns: Int(ds.number(Tag.columns) ?? 0),
            position: ds.numbers(Tag.imagePositionPatient).flatMap(vector3),
            orientation: ds.numbers(Tag.imageOrientationPatient),
            pixelSpacing: ds.numbers(Tag.pixelSpacing),
            sliceThickness: ds.number(Tag.sliceThickness),
            spacingBetweenSlices: ds.number(Tag.spacingBetweenSlices),
            slope: ds.number(Tag.rescaleSlope) ?? 1, intercept: ds.number(Tag.rescaleIntercept) ?? 0,
            hasPixels: ds.has(Tag.pixelData) || ds.has(Tag.rows))
        h.samplesPerPixel = Int(ds.number(Tag.samplesPerPixel) ?? 1)
        h.bitsAllocated = Int(ds.number(Tag.bitsAllocated) ?? 0)
        h.bitsStored = Int(ds.number(Tag.bitsStored) ?? 0)
        h.pixelRepresentation = Int(ds.number(Tag.pixelRepresentation) ?? 0)
        h.nativePixelData = file.nativePixelData
        // Enhanced multi-frame objects keep these in the shared functional groups.
        if let shared = ds.item(Tag.sharedFunctionalGroupsSequence) {
            applyFunctionalGroups(shared, to: &h)
        }
        return h
    }

    static func applyFunctionalGroups(_ group: DicomDataSet, to h: inout SliceHeader) {
        if let p = group.item(Tag.planePositionSequence)?.numbers(Tag.imagePositionPatient).flatMap(vector3) {
            h.position = p
        }
        if let o = group.item(Tag.planeOrientationSequence)?.numbers(Tag.imageOrientationPatient) { h.orientation = o }
        if let m = group.item(Tag.pixelMeasuresSequence) {
            if let s = m.numbers(Tag.pixelSpacing) { h.pixelSpacing = s }
            if let t = m.number(Tag.sliceThickness) { h.sliceThickness = t }
            if let t = m.number(Tag.spacingBetweenSlices) { h.spacingBetweenSlices = t }
        }
        if let t = group.item(Tag.pixelValueTransformationSequence) {
            if let s = t.number(Tag.rescaleSlope) { h.slope = s }
            if let i = t.number(Tag.rescaleIntercept) { h.intercept = i }
        }
    }

    /// One header per frame of a multi-frame file, from its per-frame functional groups.
    static func frameHeaders(_ h: SliceHeader) throws -> [SliceHeader] {
        let file = try DicomFile(path: h.path, headerOnly: true)
        let perFrame = file.root.sequence(Tag.perFrameFunctionalGroupsSequence)
        guard perFrame.count == h.frameCount else {
            throw RadiomicsError(file: h.path, "multi-frame image with \(h.frameCount) frames but \(perFrame.count) per-frame functional groups: frame positions unknown")
        }
        return perFrame.enumerated().map { index, group in
            var f = h
            f.frame = index
            applyFunctionalGroups(group, to: &f)
            return f
        }
    }

    static func vector3(_ v: [Double]) -> SIMD3<Double>? { v.count >= 3 ? SIMD3(v[0], v[1], v[2]) : nil }

    // MARK: - Geometry

    static func assemble(_ headers: [SliceHeader], path: String,
                         slices chooseSlices: (ImageGeometry, String?) throws -> ClosedRange<Int>?) throws -> DicomImage {
        var slices: [SliceHeader]
        if headers.count == 1, headers[0].frameCount > 1 {
            slices = try frameHeaders(headers[0])
        } else if let multi = headers.first(where: { $0.frameCount > 1 }) {
            throw RadiomicsError(file: multi.path, "multi-frame file mixed with other files in one series")
        } else {
            slices = headers
        }
        let first = slices[0]
        for s in slices {
            guard s.rows == first.rows, s.columns == first.columns else {
                throw RadiomicsError(file: s.path, "slice size \(s.columns)x\(s.rows) differs from \(first.columns)x\(first.rows) in \(first.path)")
            }
        }
        guard let o = first.orientation, o.count == 6 else {
            throw RadiomicsError(file: first.path, "no ImageOrientationPatient: cannot place the image in patient space")
        }
        for s in slices {
            guard let so = s.orientation, so.count == 6, zip(so, o).allSatisfy({ abs($0 - $1) < 1e-4 }) else {
                throw RadiomicsError(file: s.path, "ImageOrientationPatient differs from \(first.path): slices are not parallel")
            }
            guard s.position != nil else {
                throw RadiomicsError(file: s.path, "no ImagePositionPatient: cannot place the slice")
            }
        }
        guard let ps = first.pixelSpacing, ps.count == 2, ps[0] > 0, ps[1] > 0 else {
            throw RadiomicsError(file: first.path, "no valid PixelSpacing")
        }
        for s in slices where s.pixelSpacing.map({ zip($0, ps).contains { abs($0 - $1) > 1e-4 * ps[0] } }) ?? true {
            throw RadiomicsError(file: s.path, "PixelSpacing differs from \(first.path)")
        }
        let rowDir = normalized(SIMD3(o[0], o[1], o[2]))
        let colDir = normalized(SIMD3(o[3], o[4], o[5]))
        guard abs(dot(rowDir, colDir)) < 1e-3 else {
            throw RadiomicsError(file: first.path, "ImageOrientationPatient row and column directions are not perpendicular")
        }
        let normal = cross(rowDir, colDir)
        slices.sort { dot($0.position!, normal) < dot($1.position!, normal) }

        let zStep: Double
        if slices.count == 1 {
            zStep = first.spacingBetweenSlices ?? first.sliceThickness ?? 1
        } else {
            zStep = try sliceStep(slices, normal: normal, inPlane: min(ps[0], ps[1]))
        }
        let geometry = ImageGeometry(
            size: SIMD3(first.columns, first.rows, slices.count),
            spacing: SIMD3(ps[1], ps[0], zStep),
            origin: slices[0].position!,
            direction: Matrix3(columns: rowDir, colDir, normal))
        let image: ScalarImage
        if let z = try chooseSlices(geometry, first.frameOfReferenceUID) {
            precondition(z.lowerBound >= 0 && z.upperBound < slices.count, "slices outside the series")
            image = try decode(Array(slices[z]), geometry: geometry.subGrid(geometry.zSlab(z)))
        } else {
            image = try decode(slices, geometry: geometry)
        }
        var files: [String] = []
        for s in slices where files.last != s.path { files.append(s.path) }
        return DicomImage(
            image: image, fullGeometry: geometry, seriesInstanceUID: first.seriesUID, frameOfReferenceUID: first.frameOfReferenceUID,
            modality: first.modality.isEmpty ? nil : first.modality,
            transferSyntaxes: Array(Set(slices.map(\.transferSyntax))).sorted(), files: files)
    }

    /// The uniform step between consecutive slices along the normal, or an error saying what is wrong.
    static func sliceStep(_ slices: [SliceHeader], normal: SIMD3<Double>, inPlane: Double) throws -> Double {
        let d = slices.map { dot($0.position!, normal) }
        let steps = zip(d.dropFirst(), d).map { $0 - $1 }
        let sorted = steps.sorted()
        let median = sorted[sorted.count / 2]
        let tolerance = max(0.01, 0.01 * median) // 1% or 0.01 mm
        for (n, step) in steps.enumerated() {
            let a = slices[n], b = slices[n + 1]
            if step < tolerance {
                throw RadiomicsError(file: b.path, "same slice position as \(a.path) (\(fmt(d[n])) mm along the normal): several acquisitions or duplicate files in one series")
            }
            if abs(step - median) > tolerance {
                let ratio = step / median
                if abs(ratio - ratio.rounded()) < 0.05, ratio.rounded() >= 2 {
                    throw RadiomicsError(file: a.path, "\(Int(ratio.rounded()) - 1) missing slice(s) between this file and \(b.path) (step \(fmt(step)) mm, elsewhere \(fmt(median)) mm)")
                }
                throw RadiomicsError(file: a.path, "non-uniform slice spacing: step to \(b.path) is \(fmt(step)) mm, elsewhere \(fmt(median)) mm; resample the series first")
            }
            // Gantry tilt: the position moves off the normal between slices.
            let delta = b.position! - a.position!
            let offNormal = length(delta - normal * step)
            if offNormal > max(0.01, 0.01 * inPlane) {
                let angle = atan2(offNormal, step) * 180 / .pi
                throw RadiomicsError(file: b.path, "slices are sheared (gantry tilt of about \(fmt(angle)) degrees): positions do not move along the slice normal; correct the tilt (e.g. resample) first")
            }
        }
        return (d.last! - d.first!) / Double(steps.count)
    }

    static func normalized(_ v: SIMD3<Double>) -> SIMD3<Double> { v / length(v) }

    static func fmt(_ x: Double) -> String { String(format: "%.3g", x) }

    // MARK: - Pixels

    /// Decodes every slice into one volume: Int16 when every slice's values fit (integer rescale), else Float.
    static func decode(_ slices: [SliceHeader], geometry: ImageGeometry) throws -> ScalarImage {
        // Rows x columns x slices from the headers: refuse a volume the memory limit cannot hold before allocating.
        try ResourceLimits.check(product: [geometry.size.x, geometry.size.y, geometry.size.z], bytesEach: 4,
                                 for: "a \(geometry.size.x) x \(geometry.size.y) x \(geometry.size.z) image", file: slices.first?.path)
        let integral = slices.allSatisfy { $0.slope == 1 && $0.intercept == $0.intercept.rounded() }
        if integral, let v = try decodeSlices(slices, geometry: geometry, as: Int16.self) {
            return .int16(v)
        }
        return .float(try decodeSlices(slices, geometry: geometry, as: Float.self)!)
    }

    /// Decodes the slices (in parallel, one file at a time per core) into a volume of `T`. Returns nil when a
    /// value does not fit in `T` (Int16 overflow), so the caller can fall back to Float.
    static func decodeSlices<T: PixelTarget>(_ slices: [SliceHeader], geometry: ImageGeometry,
                                              as: T.Type) throws -> Volume<T>? {
        let sliceVoxels = geometry.size.x * geometry.size.y
        // Which slices each file provides (one, or every frame of a multi-frame file).
        var byFile: [(path: String, slots: [(frame: Int, slice: Int)])] = []
        var index: [String: Int] = [:]
        for (k, s) in slices.enumerated() {
            if let i = index[s.path] { byFile[i].slots.append((s.frame, k)) } else {
                index[s.path] = byFile.count
                byFile.append((s.path, [(s.frame, k)]))
            }
        }
        // Every slice is written by exactly one file's decoding, so the volume needs no zeroing first.
        var outcomes: [DecodeOutcome] = []
        let voxels = [T](unsafeUninitializedCapacity: geometry.voxelCount) { out, initialised in
            adviseHugePages(UnsafeMutableRawBufferPointer(out))
            let base = UnsafeSendable(out.baseAddress!)
            outcomes = parallelMap(byFile) { entry -> DecodeOutcome in
                do {
                    let bytes: [UInt8], layout: cdicom_pixel_layout
                    if let native = try readNativePixels(slices[entry.slots[0].slice]) {
                        (bytes, layout) = native
                    } else {
                        (bytes, layout) = try DicomFile(path: entry.path, headerOnly: false).decodePixels()
                    }
                    guard Int(layout.columns) == geometry.size.x, Int(layout.rows) == geometry.size.y,
                          layout.samples_per_pixel == 1 else {
                        return .failed(RadiomicsError(file: entry.path, "decoded pixel data is \(layout.columns)x\(layout.rows)x\(layout.samples_per_pixel) samples, header says \(geometry.size.x)x\(geometry.size.y)x1"))
                    }
                    let bytesPerFrame = sliceVoxels * Int(layout.bits_allocated) / 8
                    guard Int(layout.frames) * bytesPerFrame <= bytes.count,
                          entry.slots.allSatisfy({ $0.frame < Int(layout.frames) }) else {
                        return .failed(RadiomicsError(file: entry.path, "pixel data shorter than the header says (truncated file?)"))
                    }
                    for (frame, k) in entry.slots {
                        let s = slices[k]
                        let dst = UnsafeMutableBufferPointer(start: base.value + k * sliceVoxels, count: sliceVoxels)
                        let ok = bytes.withUnsafeBytes { raw in
                            convert(UnsafeRawBufferPointer(rebasing: raw[(frame * bytesPerFrame)..<((frame + 1) * bytesPerFrame)]),
                                    layout: layout, slope: s.slope, intercept: s.intercept, into: dst)
                        }
                        if !ok { return .overflow }
                    }
                    return .done
                } catch let e as RadiomicsError {
                    return .failed(e)
                } catch {
                    return .failed(RadiomicsError(file: entry.path, "\(error)"))
                }
            }
            initialised = out.count
        }
        for case .failed(let error) in outcomes { throw error }
        if outcomes.contains(where: { if case .overflow = $0 { return true } else { return false } }) { return nil }
        return Volume(geometry: geometry, voxels: voxels)
    }

    /// Uncompressed little-endian pixel data, read straight from where the header scan found them: no
    /// second parse and no intermediate copies (GDCM keeps a copy of the file's pixel data, copies it out and
    /// masks overlay bits in another pass). Nil when the file is not such a case; GDCM decodes it then.
    static func readNativePixels(_ h: SliceHeader) throws -> (bytes: [UInt8], layout: cdicom_pixel_layout)? {
        guard let (start, length) = h.nativePixelData, h.samplesPerPixel == 1, [8, 16, 32].contains(h.bitsAllocated),
              h.rows > 0, h.columns > 0 else { return nil }
        let need = h.rows * h.columns * h.frameCount * h.bitsAllocated / 8
        guard length >= need else {
            throw RadiomicsError(file: h.path, "pixel data holds \(length) bytes, the image needs \(need) (truncated file?)")
        }
        let fd = open(h.path, O_RDONLY)
        guard fd >= 0 else { throw RadiomicsError(file: h.path, "cannot be opened") }
        defer { close(fd) }
        var got = 0
        let bytes = try [UInt8](unsafeUninitializedCapacity: need) { buffer, initialised in
            while got < need {
                let n = pread(fd, buffer.baseAddress! + got, need - got, off_t(start + got))
                if n <= 0 { break }
                got += n
            }
            initialised = need
            guard got == need else {
                throw RadiomicsError(file: h.path, "pixel data ends after \(got) of \(need) bytes (truncated file?)")
            }
        }
        var layout = cdicom_pixel_layout()
        layout.columns = Int32(h.columns)
        layout.rows = Int32(h.rows)
        layout.frames = Int32(h.frameCount)
        layout.samples_per_pixel = 1
        layout.bits_allocated = Int32(h.bitsAllocated)
        layout.bits_stored = Int32(h.bitsStored)
        layout.pixel_representation = Int32(h.pixelRepresentation)
        layout.byte_length = need
        return (bytes, layout)
    }

    /// Stored values -> rescaled values. Handles 8, 16 and 32 bits allocated, signed or not, with fewer
    /// bits stored (masked or sign-extended). Returns false when a value does not fit in `T`.
    static func convert<T: PixelTarget>(_ raw: UnsafeRawBufferPointer, layout: cdicom_pixel_layout, slope: Double,
                                        intercept: Double, into dst: UnsafeMutableBufferPointer<T>) -> Bool {
        let bitsAllocated = Int(layout.bits_allocated), bitsStored = Int(layout.bits_stored)
        let signed = layout.pixel_representation == 1
        let n = dst.count
        switch bitsAllocated {
        case 8:
            let p = raw.bindMemory(to: UInt8.self)
            return T.fill(dst, slope: slope, intercept: intercept) { i in
                storedValue(UInt32(p[i]), bits: min(bitsStored, 8), width: 8, signed: signed)
            }
        case 16:
            let p = raw.bindMemory(to: UInt16.self)
            if !signed || bitsStored == 16 || bitsStored == 0, T.self == Int16.self, slope == 1 {
                // Fast path for the common CT case: 16-bit values, integer intercept.
                return T.fillInt16(dst, source: p, signed: signed, bitsStored: bitsStored, intercept: Int32(intercept), count: n)
            }
            return T.fill(dst, slope: slope, intercept: intercept) { i in
                storedValue(UInt32(UInt16(littleEndian: p[i])), bits: bitsStored, width: 16, signed: signed)
            }
        case 32:
            let p = raw.bindMemory(to: UInt32.self)
            return T.fill(dst, slope: slope, intercept: intercept) { i in
                storedValue(UInt32(littleEndian: p[i]), bits: bitsStored, width: 32, signed: signed)
            }
        default:
            return false
        }
    }

    @inline(__always)
    static func storedValue(_ raw: UInt32, bits: Int, width: Int, signed: Bool) -> Int64 {
        let b = (bits <= 0 || bits > width) ? width : bits
        let masked = b == 32 ? UInt64(raw) : UInt64(raw) & ((1 << UInt64(b)) - 1)
        if signed, masked & (1 << UInt64(b - 1)) != 0 { return Int64(masked) - (1 << Int64(b)) }
        return Int64(masked)
    }
}

/// What decoding one file gave.
enum DecodeOutcome: Sendable { case done, overflow, failed(RadiomicsError) }

/// Voxel types a series decodes into.
protocol PixelTarget: VoxelScalar {
    static func fill(_ dst: UnsafeMutableBufferPointer<Self>, slope: Double, intercept: Double,
                     value: (Int) -> Int64) -> Bool
    static func fillInt16(_ dst: UnsafeMutableBufferPointer<Self>, source: UnsafeBufferPointer<UInt16>, signed: Bool,
                          bitsStored: Int, intercept: Int32, count: Int) -> Bool
}

extension Int16: PixelTarget {
    static func fill(_ dst: UnsafeMutableBufferPointer<Int16>, slope: Double, intercept: Double,
                     value: (Int) -> Int64) -> Bool {
        let b = Int64(intercept)
        var ok = true
        for i in 0..<dst.count {
            let v = value(i) + b
            ok = ok && v >= Int64(Int16.min) && v <= Int64(Int16.max)
            dst[i] = Int16(truncatingIfNeeded: v)
        }
        return ok
    }

    static func fillInt16(_ dst: UnsafeMutableBufferPointer<Int16>, source: UnsafeBufferPointer<UInt16>, signed: Bool,
                          bitsStored: Int, intercept: Int32, count: Int) -> Bool {
        // The range is checked on the stored values first, so the conversion itself is a plain loop the compiler
        // vectorises (wrapping Int16 arithmetic is exact once no result can leave the Int16 range).
        guard let dst = dst.baseAddress, let src = source.baseAddress else { return true }
        let shift = Int16(truncatingIfNeeded: intercept)
        if signed {
            var lo = Int16.max, hi = Int16.min
            for i in 0..<count {
                let v = Int16(bitPattern: src[i])
                lo = Swift.min(lo, v); hi = Swift.max(hi, v)
            }
            guard count == 0 || (Int32(lo) + intercept >= Int32(Int16.min) && Int32(hi) + intercept <= Int32(Int16.max)) else {
                return false
            }
            for i in 0..<count { dst[i] = Int16(bitPattern: src[i]) &+ shift }
        } else {
            let mask: UInt16 = (bitsStored > 0 && bitsStored < 16) ? UInt16((1 << bitsStored) - 1) : 0xFFFF
            var hi = mask
            if Int32(mask) + intercept > Int32(Int16.max) { // only then can a value overflow: find the largest
                hi = 0
                for i in 0..<count { hi = Swift.max(hi, src[i] & mask) }
            }
            guard intercept >= Int32(Int16.min), Int32(hi) + intercept <= Int32(Int16.max) else { return false }
            for i in 0..<count { dst[i] = Int16(bitPattern: src[i] & mask) &+ shift }
        }
        return true
    }
}

extension Float: PixelTarget {
    static func fill(_ dst: UnsafeMutableBufferPointer<Float>, slope: Double, intercept: Double,
                     value: (Int) -> Int64) -> Bool {
        for i in 0..<dst.count { dst[i] = Float(Double(value(i)) * slope + intercept) }
        return true
    }

    static func fillInt16(_ dst: UnsafeMutableBufferPointer<Float>, source: UnsafeBufferPointer<UInt16>, signed: Bool,
                          bitsStored: Int, intercept: Int32, count: Int) -> Bool {
        fill(dst, slope: 1, intercept: Double(intercept)) { i in
            DicomSeriesReader.storedValue(UInt32(source[i]), bits: bitsStored, width: 16, signed: signed)
        }
    }
}
