import Foundation
import RadiomicsCore

/// A DICOM Segmentation (binary or fractional): its segments and its frames placed in patient space.
public struct DicomSegmentation: Sendable {
    public struct Segment: Sendable {
        public var number: Int
        public var label: String
    }

    public var path: String
    public var segments: [Segment]
    public var isFractional: Bool
    public var frameOfReferenceUID: String?

    let rows: Int
    let columns: Int
    let pixelSpacing: SIMD2<Double> // (row spacing, column spacing)
    let rowDirection: SIMD3<Double>
    let columnDirection: SIMD3<Double>
    let sliceSpacing: Double?
    let framePositions: [SIMD3<Double>]
    let frameSegments: [Int]
    /// Per frame, 1 where the segment is present (fractional values thresholded at half the maximum).
    let frames: [[UInt8]]

    public static func read(path: String) throws -> DicomSegmentation {
        let file = try DicomFile(path: path, headerOnly: false)
        let ds = file.root
        let sop = ds.string(Tag.sopClassUID) ?? ""
        guard sop == DicomUID.segmentationStorage else {
            throw RadiomicsError(file: path, "not a DICOM SEG (SOP class \(sop.isEmpty ? "missing" : sop))")
        }
        let segments = ds.sequence(Tag.segmentSequence).compactMap { item -> Segment? in
            guard let n = item.number(Tag.segmentNumber) else { return nil }
            return Segment(number: Int(n), label: item.string(Tag.segmentLabel) ?? "")
        }
        let fractional = (ds.string(Tag.segmentationType) ?? "BINARY").uppercased() == "FRACTIONAL"
        let maxFraction = ds.number(Tag.maximumFractionalValue) ?? 255
        let rows = Int(ds.number(Tag.rows) ?? 0), columns = Int(ds.number(Tag.columns) ?? 0)
        let shared = ds.item(Tag.sharedFunctionalGroupsSequence)
        let perFrame = ds.sequence(Tag.perFrameFunctionalGroupsSequence)
        let frameCount = Int(ds.number(Tag.numberOfFrames) ?? 1)
        guard rows > 0, columns > 0, frameCount > 0 else { throw RadiomicsError(file: path, "SEG without frames") }
        guard perFrame.count == frameCount else {
            throw RadiomicsError(file: path, "\(frameCount) frames but \(perFrame.count) per-frame functional groups: frames cannot be placed")
        }

        func lookup(_ frame: DicomDataSet, _ seq: DicomTag, _ tag: DicomTag) -> [Double]? {
            frame.item(seq)?.numbers(tag) ?? shared?.item(seq)?.numbers(tag)
        }
        guard let orientation = lookup(perFrame[0], Tag.planeOrientationSequence, Tag.imageOrientationPatient),
              orientation.count == 6 else {
            throw RadiomicsError(file: path, "SEG without ImageOrientationPatient in its functional groups")
        }
        guard let spacing = lookup(perFrame[0], Tag.pixelMeasuresSequence, Tag.pixelSpacing), spacing.count == 2 else {
            throw RadiomicsError(file: path, "SEG without PixelSpacing in its functional groups")
        }
        let between = lookup(perFrame[0], Tag.pixelMeasuresSequence, Tag.spacingBetweenSlices)?.first
        var positions: [SIMD3<Double>] = []
        var frameSegments: [Int] = []
        for (f, item) in perFrame.enumerated() {
            guard let p = item.item(Tag.planePositionSequence)?.numbers(Tag.imagePositionPatient), p.count == 3 else {
                throw RadiomicsError(file: path, "frame \(f + 1) has no ImagePositionPatient")
            }
            positions.append(SIMD3(p[0], p[1], p[2]))
            let seg = item.item(Tag.segmentIdentificationSequence)?.number(Tag.referencedSegmentNumber)
            frameSegments.append(Int(seg ?? 1))
        }

        let (bytes, layout) = try file.decodePixels()
        let frameSize = rows * columns
        var frames: [[UInt8]] = []
        frames.reserveCapacity(frameCount)
        switch layout.bits_allocated {
        case 1:
            // Bits run on across frame boundaries, least significant bit first.
            guard bytes.count * 8 >= frameSize * frameCount else {
                throw RadiomicsError(file: path, "pixel data shorter than \(frameCount) frames (truncated file?)")
            }
            for f in 0..<frameCount {
                let start = f * frameSize
                frames.append((0..<frameSize).map { p in
                    let bit = start + p
                    return (bytes[bit >> 3] >> UInt8(bit & 7)) & 1
                })
            }
        case 8:
            guard bytes.count >= frameSize * frameCount else {
                throw RadiomicsError(file: path, "pixel data shorter than \(frameCount) frames (truncated file?)")
            }
            let threshold = fractional ? maxFraction / 2 : 0.5
            for f in 0..<frameCount {
                frames.append(bytes[(f * frameSize)..<((f + 1) * frameSize)].map { Double($0) >= threshold ? 1 : 0 })
            }
        default:
            throw RadiomicsError(file: path, "SEG with \(layout.bits_allocated) bits allocated is not supported (1 or 8)")
        }
        let forUID = ds.string(Tag.frameOfReferenceUID)
        return DicomSegmentation(
            path: path, segments: segments, isFractional: fractional, frameOfReferenceUID: forUID, rows: rows,
            columns: columns, pixelSpacing: SIMD2(spacing[0], spacing[1]),
            rowDirection: SIMD3(orientation[0], orientation[1], orientation[2]),
            columnDirection: SIMD3(orientation[3], orientation[4], orientation[5]), sliceSpacing: between,
            framePositions: positions, frameSegments: frameSegments, frames: frames)
    }

    /// The segment chosen by number; without a number, the only segment. Errors list the segments there are.
    public func segment(number: Int?) throws -> Segment {
        let list = segments.map { "\($0.number) '\($0.label)'" }.joined(separator: ", ")
        if let number {
            guard let s = segments.first(where: { $0.number == number }) else {
                throw RadiomicsError(file: path, "no segment number \(number); segments: \(list.isEmpty ? "none" : list)")
            }
            return s
        }
        guard segments.count == 1 else {
            throw RadiomicsError(file: path, segments.isEmpty ? "SEG holds no segment" : "\(segments.count) segments; choose one with --label N: \(list)")
        }
        return segments[0]
    }

    /// The segment as a mask on the SEG's own grid: frames stacked along the slice normal at their positions.
    public func mask(segment: Int) throws -> Mask {
        let normal = cross(rowDirection, columnDirection)
        let all = framePositions.map { dot($0, normal) }
        let chosen = frameSegments.indices.filter { frameSegments[$0] == segment }
        guard !chosen.isEmpty else { throw RadiomicsError(file: path, "segment \(segment) has no frames (empty mask)") }
        // Slice step: the tag when given, else the smallest gap between distinct frame positions.
        let distinct = Array(Set(all.map { ($0 * 1000).rounded() / 1000 })).sorted()
        let gaps = zip(distinct.dropFirst(), distinct).map { $0 - $1 }.filter { $0 > 1e-3 }
        let step = sliceSpacing ?? gaps.min() ?? 1
        guard step.isFinite, step >= 1e-3 else {
            throw RadiomicsError(file: path, "slice spacing \(step) mm between frames is not usable")
        }
        let d0 = chosen.map { all[$0] }.min()!
        let d1 = chosen.map { all[$0] }.max()!
        let steps = ((d1 - d0) / step).rounded()
        guard steps.isFinite, steps < 1e7 else { throw RadiomicsError(file: path, "frames span \(d1 - d0) mm in steps of \(step) mm: not a usable grid") }
        let depth = Int(steps) + 1
        try ResourceLimits.check(product: [depth, rows, columns], bytesEach: 1, for: "the segmentation's grid (\(columns) x \(rows) x \(depth))", file: path)
        let originFrame = chosen.min { all[$0] < all[$1] }!
        let geometry = ImageGeometry(
            size: SIMD3(columns, rows, depth), spacing: SIMD3(pixelSpacing.y, pixelSpacing.x, step),
            origin: framePositions[originFrame], direction: Matrix3(columns: rowDirection, columnDirection, normal))
        var mask = Mask(geometry: geometry, repeating: 0)
        for f in chosen {
            let offset = framePositions[f] - geometry.origin
            let along = dot(offset, normal)
            let k = Int((along / step).rounded())
            guard abs(Double(k) * step - along) < 0.1 * step, length(offset - normal * along) < 0.01 * pixelSpacing.x else {
                throw RadiomicsError(file: path, "frame \(f + 1) is not on the grid of the other frames")
            }
            let base = k * rows * columns
            for p in 0..<(rows * columns) where frames[f][p] != 0 { mask.voxels[base + p] = 1 }
        }
        return mask
    }
}
