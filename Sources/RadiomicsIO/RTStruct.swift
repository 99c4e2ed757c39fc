import Foundation
import RadiomicsCore

/// One ROI of an RTSTRUCT: its name and closed planar contours (patient coordinates, mm).
public struct RTStructROI: Sendable {
    public var number: Int
    public var name: String
    public var contours: [[SIMD3<Double>]]
    /// Contours of other geometric types (POINT, OPEN_PLANAR, ...), which enclose no volume.
    public var ignoredContours: Int
}

/// A DICOM RT Structure Set.
public struct RTStructureSet: Sendable {
    public var path: String
    public var rois: [RTStructROI]
    public var frameOfReferenceUID: String?

    /// Reads the ROIs (3006,0020) and their contours (3006,0039) -> (3006,0040) -> (3006,0050).
    public static func read(path: String) throws -> RTStructureSet {
        let file = try DicomFile(path: path, headerOnly: true)
        let ds = file.root
        let sop = ds.string(Tag.sopClassUID) ?? ""
        guard sop == DicomUID.rtStructureSetStorage else {
            throw RadiomicsError(file: path, "not an RTSTRUCT (SOP class \(sop.isEmpty ? "missing" : sop), modality \(ds.string(Tag.modality) ?? "?"))")
        }
        var names: [Int: String] = [:]
        var order: [Int] = []
        for item in ds.sequence(Tag.structureSetROISequence) {
            guard let number = item.number(Tag.roiNumber) else { continue }
            names[Int(number)] = item.string(Tag.roiName) ?? "ROI \(Int(number))"
            order.append(Int(number))
        }
        var contours: [Int: [[SIMD3<Double>]]] = [:]
        var ignored: [Int: Int] = [:]
        for roi in ds.sequence(Tag.roiContourSequence) {
            guard let ref = roi.number(Tag.referencedROINumber).map(Int.init) else { continue }
            for contour in roi.sequence(Tag.contourSequence) {
                let type = contour.string(Tag.contourGeometricType) ?? "CLOSED_PLANAR"
                guard type == "CLOSED_PLANAR" else { ignored[ref, default: 0] += 1; continue }
                guard let data = contour.numbers(Tag.contourData), data.count >= 9, data.count % 3 == 0 else {
                    throw RadiomicsError(file: path, "ROI '\(names[ref] ?? "\(ref)")': contour data is not a list of x y z triplets")
                }
                contours[ref, default: []].append(stride(from: 0, to: data.count, by: 3).map {
                    SIMD3(data[$0], data[$0 + 1], data[$0 + 2])
                })
            }
        }
        let rois = order.map { n in
            RTStructROI(number: n, name: names[n] ?? "", contours: contours[n] ?? [], ignoredContours: ignored[n] ?? 0)
        }
        let forUID = ds.item(Tag.referencedFrameOfReferenceSequence)?.string(Tag.frameOfReferenceUID)
        return RTStructureSet(path: path, rois: rois, frameOfReferenceUID: forUID)
    }

    /// The ROI called `name` (case-insensitive); without a name, the only ROI. Errors list the ROIs there are.
    public func roi(named name: String?) throws -> RTStructROI {
        let list = rois.map { "'\($0.name)'" }.joined(separator: ", ")
        if let name {
            if let r = rois.first(where: { $0.name == name }) ?? rois.first(where: { $0.name.lowercased() == name.lowercased() }) {
                return r
            }
            throw RadiomicsError(file: path, "no ROI named '\(name)'; ROIs: \(list.isEmpty ? "none" : list)")
        }
        guard rois.count == 1 else {
            throw RadiomicsError(file: path, rois.isEmpty ? "RTSTRUCT holds no ROI" : "\(rois.count) ROIs; choose one with --roi NAME: \(list)")
        }
        return rois[0]
    }
}
