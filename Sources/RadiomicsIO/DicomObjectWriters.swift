import Foundation
import RadiomicsCore

/// Identifiers shared by the objects of one synthetic study. Patient name and ID are case identifiers,
/// never a person's.
public struct DicomStudyIdentity: Sendable {
    public var caseID: String
    public var studyInstanceUID: String
    public var seriesInstanceUID: String
    public var frameOfReferenceUID: String
    public var seriesDescription: String
    public var studyDate: String

    /// Deterministic UIDs derived from the case identifier, so regenerated files are identical.
    public init(caseID: String, seriesDescription: String, studyDate: String = "20260101") {
        self.caseID = caseID
        self.seriesDescription = seriesDescription
        self.studyDate = studyDate
        studyInstanceUID = DicomWriter.uid(seed: "\(caseID)/study")
        seriesInstanceUID = DicomWriter.uid(seed: "\(caseID)/\(seriesDescription)/series")
        frameOfReferenceUID = DicomWriter.uid(seed: "\(caseID)/frame-of-reference")
    }

    func writePatientAndStudy(_ w: DicomWriter) {
        w.text(Tag.patientName, "PN", caseID)
        w.text(Tag.patientID, "LO", caseID)
        w.text(Tag.studyInstanceUID, "UI", studyInstanceUID)
        w.text(Tag.studyDate, "DA", studyDate)
        w.text(DicomTag(0x0008, 0x0030), "TM", "120000")
        w.text(DicomTag(0x0020, 0x0010), "SH", "1")
        w.text(DicomTag(0x0008, 0x0050), "SH", "")
        w.text(DicomTag(0x0008, 0x0090), "PN", "")
        w.text(DicomTag(0x0010, 0x0030), "DA", "")
        w.text(DicomTag(0x0010, 0x0040), "CS", "O")
        w.text(Tag.manufacturer, "LO", "radiomics sample generator")
    }
}

/// A slice written by `DicomSeriesWriter`.
public struct WrittenSlice: Sendable {
    public var path: String
    public var sopInstanceUID: String
    public var position: SIMD3<Double>
}

/// Writes an Int16 volume (HU) as a CT series, one file per slice, stored unsigned with RescaleIntercept
/// -1024 as many scanners do.
public enum DicomSeriesWriter {
    public static func write(_ volume: Volume<Int16>, to directory: String, identity: DicomStudyIdentity,
                             fileName: (Int) -> String = { String(format: "CT%04d.dcm", $0) }) throws -> [WrittenSlice] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let g = volume.geometry
        let n = g.size
        var written: [WrittenSlice] = []
        for k in 0..<n.z {
            let w = DicomWriter()
            let sop = DicomWriter.uid(seed: "\(identity.seriesInstanceUID)/\(k)")
            let position = g.physicalPoint(index: SIMD3(0, 0, Double(k)))
            identity.writePatientAndStudy(w)
            w.text(Tag.sopClassUID, "UI", DicomUID.ctImageStorage)
            w.text(Tag.sopInstanceUID, "UI", sop)
            w.text(DicomTag(0x0008, 0x0008), "CS", "ORIGINAL\\PRIMARY\\AXIAL")
            w.text(Tag.modality, "CS", "CT")
            w.text(Tag.seriesInstanceUID, "UI", identity.seriesInstanceUID)
            w.text(Tag.seriesDescription, "LO", identity.seriesDescription)
            w.integerString(Tag.seriesNumber, 1)
            w.integerString(Tag.instanceNumber, k + 1)
            w.text(Tag.frameOfReferenceUID, "UI", identity.frameOfReferenceUID)
            w.text(DicomTag(0x0020, 0x1040), "LO", "")
            w.decimals(Tag.imagePositionPatient, [position.x, position.y, position.z])
            let d = g.direction
            w.decimals(Tag.imageOrientationPatient, [d[0].x, d[0].y, d[0].z, d[1].x, d[1].y, d[1].z])
            w.decimals(Tag.sliceThickness, [g.spacing.z])
            w.text(DicomTag(0x0018, 0x0060), "DS", "120")
            w.uint16(Tag.samplesPerPixel, [1])
            w.text(Tag.photometricInterpretation, "CS", "MONOCHROME2")
            w.uint16(Tag.rows, [UInt16(n.y)])
            w.uint16(Tag.columns, [UInt16(n.x)])
            w.decimals(Tag.pixelSpacing, [g.spacing.y, g.spacing.x])
            w.uint16(Tag.bitsAllocated, [16])
            w.uint16(Tag.bitsStored, [12])
            w.uint16(Tag.highBit, [11])
            w.uint16(Tag.pixelRepresentation, [0])
            w.decimals(Tag.rescaleIntercept, [-1024])
            w.decimals(Tag.rescaleSlope, [1])
            w.text(DicomTag(0x0028, 0x1054), "LO", "HU")
            var pixels = [UInt8]()
            pixels.reserveCapacity(n.x * n.y * 2)
            for j in 0..<n.y {
                for i in 0..<n.x {
                    let stored = UInt16(clamping: min(4095, max(0, Int(volume[i, j, k]) + 1024)))
                    pixels.append(UInt8(stored & 0xff))
                    pixels.append(UInt8(stored >> 8))
                }
            }
            w.bytes(Tag.pixelData, "OW", pixels)
            let path = (directory as NSString).appendingPathComponent(fileName(k))
            try w.save(to: path)
            written.append(WrittenSlice(path: path, sopInstanceUID: sop, position: position))
        }
        return written
    }

    /// Writes the volume as one Enhanced CT multi-frame file: positions per frame, orientation, pixel measures
    /// and rescale in the shared functional groups. Frames are written from the top slice down.
    public static func writeEnhanced(_ volume: Volume<Int16>, to path: String, identity: DicomStudyIdentity) throws {
        let g = volume.geometry
        let n = g.size
        let w = DicomWriter()
        identity.writePatientAndStudy(w)
        w.text(Tag.sopClassUID, "UI", DicomUID.enhancedCTImageStorage)
        w.text(Tag.sopInstanceUID, "UI", DicomWriter.uid(seed: "\(identity.seriesInstanceUID)/enhanced"))
        w.text(DicomTag(0x0008, 0x0008), "CS", "ORIGINAL\\PRIMARY\\AXIAL\\NONE")
        w.text(Tag.modality, "CS", "CT")
        w.text(Tag.seriesInstanceUID, "UI", identity.seriesInstanceUID)
        w.text(Tag.seriesDescription, "LO", identity.seriesDescription)
        w.integerString(Tag.seriesNumber, 1)
        w.integerString(Tag.instanceNumber, 1)
        w.text(Tag.frameOfReferenceUID, "UI", identity.frameOfReferenceUID)
        w.uint16(Tag.samplesPerPixel, [1])
        w.text(Tag.photometricInterpretation, "CS", "MONOCHROME2")
        w.integerString(Tag.numberOfFrames, n.z)
        w.uint16(Tag.rows, [UInt16(n.y)])
        w.uint16(Tag.columns, [UInt16(n.x)])
        w.uint16(Tag.bitsAllocated, [16])
        w.uint16(Tag.bitsStored, [16])
        w.uint16(Tag.highBit, [15])
        w.uint16(Tag.pixelRepresentation, [0])
        let shared: DicomWriter.Path = [(Tag.sharedFunctionalGroupsSequence, 0)]
        let d = g.direction
        w.decimals(Tag.imageOrientationPatient, [d[0].x, d[0].y, d[0].z, d[1].x, d[1].y, d[1].z],
                   in: shared + [(Tag.planeOrientationSequence, 0)])
        let measures = shared + [(Tag.pixelMeasuresSequence, 0)]
        w.decimals(Tag.pixelSpacing, [g.spacing.y, g.spacing.x], in: measures)
        w.decimals(Tag.sliceThickness, [g.spacing.z], in: measures)
        let rescale = shared + [(Tag.pixelValueTransformationSequence, 0)]
        w.decimals(Tag.rescaleIntercept, [-1024], in: rescale)
        w.decimals(Tag.rescaleSlope, [1], in: rescale)
        w.text(DicomTag(0x0028, 0x1054), "LO", "HU", in: rescale)
        var pixels = [UInt8]()
        pixels.reserveCapacity(n.x * n.y * n.z * 2)
        for (f, k) in (0..<n.z).reversed().enumerated() {
            let p = g.physicalPoint(index: SIMD3(0, 0, Double(k)))
            w.decimals(Tag.imagePositionPatient, [p.x, p.y, p.z],
                       in: [(Tag.perFrameFunctionalGroupsSequence, f), (Tag.planePositionSequence, 0)])
            for j in 0..<n.y {
                for i in 0..<n.x {
                    let stored = UInt16(clamping: max(0, Int(volume[i, j, k]) + 1024))
                    pixels.append(UInt8(stored & 0xff))
                    pixels.append(UInt8(stored >> 8))
                }
            }
        }
        w.bytes(Tag.pixelData, "OW", pixels)
        try w.save(to: path)
    }
}

/// Writes one ROI as an RT Structure Set referencing a written series.
public enum RTStructWriter {
    public static func write(roiName: String, contours: [[SIMD3<Double>]], referencing slices: [WrittenSlice],
                             identity: DicomStudyIdentity, to path: String) throws {
        let w = DicomWriter()
        identity.writePatientAndStudy(w)
        w.text(Tag.sopClassUID, "UI", DicomUID.rtStructureSetStorage)
        w.text(Tag.sopInstanceUID, "UI", DicomWriter.uid(seed: "\(identity.caseID)/rtstruct/\(roiName)"))
        w.text(Tag.modality, "CS", "RTSTRUCT")
        w.text(Tag.seriesInstanceUID, "UI", DicomWriter.uid(seed: "\(identity.caseID)/rtstruct-series"))
        w.integerString(Tag.seriesNumber, 2)
        w.integerString(Tag.instanceNumber, 1)
        w.text(Tag.structureSetLabel, "SH", "tumour")
        w.text(DicomTag(0x3006, 0x0008), "DA", identity.studyDate)
        w.text(DicomTag(0x3006, 0x0009), "TM", "120000")
        // Referenced frame of reference -> study -> series -> images.
        let forItem: DicomWriter.Path = [(Tag.referencedFrameOfReferenceSequence, 0)]
        w.text(Tag.frameOfReferenceUID, "UI", identity.frameOfReferenceUID, in: forItem)
        let study = forItem + [(DicomTag(0x3006, 0x0012), 0)]
        w.text(Tag.referencedSOPClassUID, "UI", "1.2.840.10008.3.1.2.3.1", in: study)
        w.text(Tag.referencedSOPInstanceUID, "UI", identity.studyInstanceUID, in: study)
        let series = study + [(DicomTag(0x3006, 0x0014), 0)]
        w.text(Tag.seriesInstanceUID, "UI", identity.seriesInstanceUID, in: series)
        for (i, s) in slices.enumerated() {
            let image = series + [(DicomTag(0x3006, 0x0016), i)]
            w.text(Tag.referencedSOPClassUID, "UI", DicomUID.ctImageStorage, in: image)
            w.text(Tag.referencedSOPInstanceUID, "UI", s.sopInstanceUID, in: image)
        }
        let roi: DicomWriter.Path = [(Tag.structureSetROISequence, 0)]
        w.integerString(Tag.roiNumber, 1, in: roi)
        w.text(DicomTag(0x3006, 0x0024), "UI", identity.frameOfReferenceUID, in: roi)
        w.text(Tag.roiName, "LO", roiName, in: roi)
        w.text(Tag.roiGenerationAlgorithm, "CS", "MANUAL", in: roi)
        let roiContour: DicomWriter.Path = [(Tag.roiContourSequence, 0)]
        w.text(Tag.roiDisplayColor, "IS", "255\\0\\0", in: roiContour)
        w.integerString(Tag.referencedROINumber, 1, in: roiContour)
        for (c, contour) in contours.enumerated() {
            let item = roiContour + [(Tag.contourSequence, c)]
            if let nearest = slices.min(by: { abs($0.position.z - contour[0].z) < abs($1.position.z - contour[0].z) }) {
                let image = item + [(DicomTag(0x3006, 0x0016), 0)]
                w.text(Tag.referencedSOPClassUID, "UI", DicomUID.ctImageStorage, in: image)
                w.text(Tag.referencedSOPInstanceUID, "UI", nearest.sopInstanceUID, in: image)
            }
            w.text(Tag.contourGeometricType, "CS", "CLOSED_PLANAR", in: item)
            w.integerString(Tag.numberOfContourPoints, contour.count, in: item)
            w.decimals(Tag.contourData, contour.flatMap { [$0.x, $0.y, $0.z] }, in: item)
        }
        let obs: DicomWriter.Path = [(Tag.rtROIObservationsSequence, 0)]
        w.integerString(Tag.observationNumber, 1, in: obs)
        w.integerString(Tag.referencedROINumber, 1, in: obs)
        w.text(Tag.rtROIInterpretedType, "CS", "GTV", in: obs)
        w.text(Tag.roiInterpreter, "PN", "", in: obs)
        try w.save(to: path)
    }
}

/// Writes a mask on a series' grid as a DICOM SEG with one segment (frames: the slices it touches).
public enum DicomSEGWriter {
    /// Binary segmentation (1 bit per pixel).
    public static func write(mask: Mask, segmentLabel: String, referencing slices: [WrittenSlice],
                             identity: DicomStudyIdentity, to path: String) throws {
        let fractions = Volume<Float>(geometry: mask.geometry, voxels: mask.voxels.map { $0 != 0 ? 1 : 0 })
        try write(fractions, fractional: false, segmentLabel: segmentLabel, referencing: slices, identity: identity, to: path)
    }

    /// Fractional segmentation (PROBABILITY, 8 bits, MaximumFractionalValue 255) from fractions in [0, 1].
    public static func writeFractional(_ fractions: Volume<Float>, segmentLabel: String, referencing slices: [WrittenSlice],
                                       identity: DicomStudyIdentity, to path: String) throws {
        try write(fractions, fractional: true, segmentLabel: segmentLabel, referencing: slices, identity: identity, to: path)
    }

    static func write(_ fractions: Volume<Float>, fractional: Bool, segmentLabel: String, referencing slices: [WrittenSlice],
                      identity: DicomStudyIdentity, to path: String) throws {
        let g = fractions.geometry
        let n = g.size
        let plane = n.x * n.y
        let framesK = (0..<n.z).filter { k in (0..<plane).contains { fractions.voxels[k * plane + $0] > 0 } }
        guard !framesK.isEmpty else { throw RadiomicsError(file: path, "cannot write an empty segmentation") }
        let w = DicomWriter()
        identity.writePatientAndStudy(w)
        w.text(Tag.sopClassUID, "UI", DicomUID.segmentationStorage)
        w.text(Tag.sopInstanceUID, "UI", DicomWriter.uid(seed: "\(identity.caseID)/seg/\(segmentLabel)/\(fractional)"))
        w.text(DicomTag(0x0008, 0x0008), "CS", "DERIVED\\PRIMARY")
        w.text(Tag.modality, "CS", "SEG")
        w.text(Tag.seriesInstanceUID, "UI", DicomWriter.uid(seed: "\(identity.caseID)/seg-series"))
        w.integerString(Tag.seriesNumber, 3)
        w.integerString(Tag.instanceNumber, 1)
        w.text(Tag.frameOfReferenceUID, "UI", identity.frameOfReferenceUID)
        w.text(DicomTag(0x0020, 0x1040), "LO", "")
        w.text(DicomTag(0x0018, 0x1020), "LO", "1")
        w.text(DicomTag(0x0008, 0x0023), "DA", identity.studyDate)
        w.text(DicomTag(0x0008, 0x0033), "TM", "120000")
        w.text(DicomTag(0x0070, 0x0080), "CS", "TUMOUR")
        w.text(DicomTag(0x0070, 0x0081), "LO", "")
        w.text(DicomTag(0x0070, 0x0084), "PN", "")
        w.text(Tag.segmentationType, "CS", fractional ? "FRACTIONAL" : "BINARY")
        if fractional {
            w.text(Tag.segmentationFractionalType, "CS", "PROBABILITY")
            w.uint16(Tag.maximumFractionalValue, [255])
        }
        w.text(DicomTag(0x0028, 0x2110), "CS", "00")
        w.uint16(Tag.samplesPerPixel, [1])
        w.text(Tag.photometricInterpretation, "CS", "MONOCHROME2")
        w.integerString(Tag.numberOfFrames, framesK.count)
        w.uint16(Tag.rows, [UInt16(n.y)])
        w.uint16(Tag.columns, [UInt16(n.x)])
        let bits: UInt16 = fractional ? 8 : 1
        w.uint16(Tag.bitsAllocated, [bits])
        w.uint16(Tag.bitsStored, [bits])
        w.uint16(Tag.highBit, [bits - 1])
        w.uint16(Tag.pixelRepresentation, [0])
        w.text(DicomTag(0x0062, 0x0013), "CS", "NO") // SegmentsOverlap: one segment
        // Source series.
        let ref: DicomWriter.Path = [(Tag.referencedSeriesSequence, 0)]
        w.text(Tag.seriesInstanceUID, "UI", identity.seriesInstanceUID, in: ref)
        for (i, s) in slices.enumerated() {
            let item = ref + [(DicomTag(0x0008, 0x114A), i)]
            w.text(Tag.referencedSOPClassUID, "UI", DicomUID.ctImageStorage, in: item)
            w.text(Tag.referencedSOPInstanceUID, "UI", s.sopInstanceUID, in: item)
        }
        // The one segment.
        let seg: DicomWriter.Path = [(Tag.segmentSequence, 0)]
        w.uint16(Tag.segmentNumber, [1], in: seg)
        w.text(Tag.segmentLabel, "LO", segmentLabel, in: seg)
        w.text(Tag.segmentAlgorithmType, "CS", "MANUAL", in: seg)
        let category = seg + [(DicomTag(0x0062, 0x0003), 0)]
        w.text(DicomTag(0x0008, 0x0100), "SH", "49755003", in: category)
        w.text(DicomTag(0x0008, 0x0102), "SH", "SCT", in: category)
        w.text(DicomTag(0x0008, 0x0104), "LO", "Morphologically Abnormal Structure", in: category)
        let type = seg + [(DicomTag(0x0062, 0x000F), 0)]
        w.text(DicomTag(0x0008, 0x0100), "SH", "108369006", in: type)
        w.text(DicomTag(0x0008, 0x0102), "SH", "SCT", in: type)
        w.text(DicomTag(0x0008, 0x0104), "LO", "Neoplasm", in: type)
        // Shared functional groups: orientation and pixel measures.
        let shared: DicomWriter.Path = [(Tag.sharedFunctionalGroupsSequence, 0)]
        let d = g.direction
        w.decimals(Tag.imageOrientationPatient, [d[0].x, d[0].y, d[0].z, d[1].x, d[1].y, d[1].z],
                   in: shared + [(Tag.planeOrientationSequence, 0)])
        let measures = shared + [(Tag.pixelMeasuresSequence, 0)]
        w.decimals(Tag.pixelSpacing, [g.spacing.y, g.spacing.x], in: measures)
        w.decimals(Tag.sliceThickness, [g.spacing.z], in: measures)
        w.decimals(Tag.spacingBetweenSlices, [g.spacing.z], in: measures)
        // Per frame: position and segment. Binary bits run on across frames, least significant bit first.
        var pixels = [UInt8](repeating: 0, count: fractional ? framesK.count * plane : (framesK.count * plane + 7) / 8)
        for (f, k) in framesK.enumerated() {
            let item: DicomWriter.Path = [(Tag.perFrameFunctionalGroupsSequence, f)]
            let p = g.physicalPoint(index: SIMD3(0, 0, Double(k)))
            w.decimals(Tag.imagePositionPatient, [p.x, p.y, p.z], in: item + [(Tag.planePositionSequence, 0)])
            w.uint16(Tag.referencedSegmentNumber, [1], in: item + [(Tag.segmentIdentificationSequence, 0)])
            for p in 0..<plane {
                let value = fractions.voxels[k * plane + p]
                if fractional {
                    pixels[f * plane + p] = UInt8((min(1, max(0, value)) * 255).rounded())
                } else if value > 0 {
                    let bit = f * plane + p
                    pixels[bit >> 3] |= 1 << UInt8(bit & 7)
                }
            }
        }
        w.bytes(Tag.pixelData, "OB", pixels)
        try w.save(to: path)
    }
}
