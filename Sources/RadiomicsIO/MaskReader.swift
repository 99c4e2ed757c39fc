import Foundation
import RadiomicsCore

/// What kind of file a mask came from, and which part of it was used.
public struct MaskSource: Sendable {
    public enum Kind: String, Sendable { case rtstruct = "RTSTRUCT", seg = "SEG", nifti = "NIfTI" }
    public var kind: Kind
    public var path: String
    /// RTSTRUCT ROI name, SEG segment label, or nil.
    public var roiName: String?
    /// SEG segment number or NIfTI label, nil for "any non-zero".
    public var label: Int?
    /// True when the mask was resampled from another grid onto the image's.
    public var resampled: Bool
    /// Things worth telling the user that did not stop the run.
    public var warnings: [String]
}

/// Reads a mask (RTSTRUCT, DICOM SEG or NIfTI label image) onto an image's voxel grid.
public enum MaskReader {

    /// - Parameters:
    ///   - roi: RTSTRUCT ROI name (required when the file holds several).
    ///   - label: SEG segment number, or NIfTI label value (default: any non-zero voxel).
    ///   - frameOfReferenceUID: the image's, to warn when a DICOM mask belongs to another frame of reference.
    public static func read(path: String, onto grid: ImageGeometry, roi: String? = nil, label: Int? = nil,
                            frameOfReferenceUID: String? = nil) throws -> (mask: Mask, source: MaskSource) {
        if Nifti.isNiftiPath(path) { return try readNifti(path: path, onto: grid, label: label) }
        let header = try DicomFile(path: path, headerOnly: true)
        let sop = header.root.string(Tag.sopClassUID) ?? ""
        var warnings: [String] = []
        switch sop {
        case DicomUID.rtStructureSetStorage:
            let set = try RTStructureSet.read(path: path)
            let chosen = try set.roi(named: roi)
            if let a = set.frameOfReferenceUID, let b = frameOfReferenceUID, a != b {
                warnings.append("\(path): RTSTRUCT frame of reference \(a) differs from the image's \(b); contours placed by patient coordinates")
            }
            guard !chosen.contours.isEmpty else {
                throw RadiomicsError(file: path, "ROI '\(chosen.name)' has no closed planar contours (empty mask)")
            }
            let result: ContourRasterizer.Result
            do { result = try ContourRasterizer.rasterize(chosen.contours, onto: grid) } catch let e as RadiomicsError {
                throw e.naming(path)
            }
            if result.contoursOutside == chosen.contours.count {
                throw RadiomicsError(file: path, "ROI '\(chosen.name)' does not overlap the image: all \(chosen.contours.count) contours lie outside its slices")
            }
            if result.contoursOutside > 0 {
                warnings.append("\(path): \(result.contoursOutside) of \(chosen.contours.count) contours of '\(chosen.name)' lie outside the image")
            }
            guard result.mask.regionVoxelCount > 0 else {
                throw RadiomicsError(file: path, "ROI '\(chosen.name)' covers no voxel centre of the image (no overlap or contours too small)")
            }
            return (result.mask, MaskSource(kind: .rtstruct, path: path, roiName: chosen.name, label: nil,
                                            resampled: false, warnings: warnings))
        case DicomUID.segmentationStorage:
            let seg = try DicomSegmentation.read(path: path)
            let segment = try seg.segment(number: label)
            if let a = seg.frameOfReferenceUID, let b = frameOfReferenceUID, a != b {
                warnings.append("\(path): SEG frame of reference \(a) differs from the image's \(b); frames placed by patient coordinates")
            }
            let own = try seg.mask(segment: segment.number)
            let (mask, resampled) = try align(own, onto: grid, path: path, what: "segment \(segment.number) '\(segment.label)'")
            return (mask, MaskSource(kind: .seg, path: path, roiName: segment.label, label: segment.number,
                                     resampled: resampled, warnings: warnings))
        default:
            throw RadiomicsError(file: path, "not a mask: DICOM SOP class \(sop.isEmpty ? "missing" : sop) (expected RTSTRUCT or SEG)")
        }
    }

    /// The mask over some slices only: `keep` gets the slices (z indices of `grid`) the region spans and returns
    /// the slices to hold (any within the grid: a liver mask is cut to a tumour's slices). The mask comes on
    /// `grid`'s sub-grid of a box starting at `offset`, over those slices and, in x and y, at least the region's
    /// extent (0 outside the box). `keep` is not called when the region is empty on the grid. A NIfTI label image
    /// on the image's grid is read in two passes over the file, the first finding the region's box, the second
    /// reading only the box's rows over the slices kept, so the whole mask is never held (a .nii.gz is
    /// decompressed twice, which for a label image, mostly zeros, costs less than holding it whole); other masks
    /// are made whole and cut to the slices kept.
    public static func read(path: String, onto grid: ImageGeometry, roi: String? = nil, label: Int? = nil,
                            frameOfReferenceUID: String? = nil,
                            keeping keep: (ClosedRange<Int>) throws -> ClosedRange<Int>) throws
        -> (mask: Mask, source: MaskSource, offset: SIMD3<Int>) {
        if Nifti.isNiftiPath(path), try Nifti.header(path: path).isSameGrid(as: grid) {
            guard let box = try Nifti.labelBox(path: path, label: label) else { throw try emptyNifti(path, label: label) }
            let slices = kept(try keep(box.lower.z...box.upper.z), within: grid)
            let region = BoundingBox(lower: SIMD3(box.lower.x, box.lower.y, slices.lowerBound),
                                     upper: SIMD3(box.upper.x, box.upper.y, slices.upperBound))
            var mask = try Nifti.readLabels(path: path, label: label, region: region)
            mask.geometry = grid.subGrid(region)
            return (mask, MaskSource(kind: .nifti, path: path, roiName: nil, label: label, resampled: false, warnings: []), region.lower)
        }
        let whole = try read(path: path, onto: grid, roi: roi, label: label, frameOfReferenceUID: frameOfReferenceUID)
        guard let box = whole.mask.boundingBox else {
            return (whole.mask, whole.source, .zero)
        }
        let slices = kept(try keep(box.lower.z...box.upper.z), within: grid)
        return (whole.mask.cropped(to: grid.zSlab(slices)), whole.source, SIMD3(0, 0, slices.lowerBound))
    }

    static func kept(_ slices: ClosedRange<Int>, within grid: ImageGeometry) -> ClosedRange<Int> {
        precondition(slices.lowerBound >= 0 && slices.upperBound < grid.size.z, "the slices kept must lie within the grid")
        return slices
    }

    static func emptyNifti(_ path: String, label: Int?) throws -> RadiomicsError {
        let present = try Nifti.distinctValues(path: path).map { $0 == $0.rounded() ? "\(Int($0))" : "\($0)" }
        let what = label.map { "no voxel with label \($0)" } ?? "no non-zero voxel"
        return RadiomicsError(file: path, "empty mask: \(what) (values present: \(present.joined(separator: ", ")))")
    }

    static func readNifti(path: String, onto grid: ImageGeometry, label: Int?) throws -> (mask: Mask, source: MaskSource) {
        let mask = try Nifti.readLabels(path: path, label: label)
        if mask.regionVoxelCount == 0 { throw try emptyNifti(path, label: label) }
        let (aligned, resampled) = try align(mask, onto: grid, path: path, what: label.map { "label \($0)" } ?? "mask")
        return (aligned, MaskSource(kind: .nifti, path: path, roiName: nil, label: label, resampled: resampled, warnings: []))
    }

    /// The mask on the image grid: as it is when the grids agree, else resampled by nearest neighbour.
    static func align(_ mask: Mask, onto grid: ImageGeometry, path: String, what: String) throws -> (Mask, Bool) {
        if mask.geometry.isSameGrid(as: grid) {
            var same = mask
            same.geometry = grid
            return (same, false)
        }
        let resampled = mask.resampledNearest(onto: grid)
        guard resampled.regionVoxelCount > 0 else {
            throw RadiomicsError(file: path, "\(what) does not overlap the image (mask grid: \(mask.geometry); image grid: \(grid))")
        }
        return (resampled, true)
    }
}
