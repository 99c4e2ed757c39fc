import Foundation
import RadiomicsCore

/// What one DICOM file of an archive says about where it belongs: study, series, kind, phase hints, and for a
/// structure set or segmentation the series it references and the regions it holds. Read from the header only.
public struct DicomInstance: Sendable {
    public enum Kind: String, Sendable { case image, rtstruct, seg, other }

    public var path: String
    public var kind: Kind
    public var sopInstanceUID: String
    public var studyUID: String
    public var seriesUID: String
    public var modality: String
    public var seriesDescription: String
    /// ImageType (0008,0008) values, upper case (LOCALIZER marks a scout).
    public var imageType: [String]
    public var patientID: String
    public var studyDate: String
    /// AcquisitionTime, else ContentTime, else SeriesTime, in seconds of the day.
    public var time: Double?
    /// ContrastBolusAgent (0018,0010) when the attribute is present: "" means present and empty.
    public var contrastAgent: String?
    /// Frames in the file (multi-frame images).
    public var frames: Int
    /// RTSTRUCT / SEG: the image series they are drawn on.
    public var referencedSeries: [String]
    /// RTSTRUCT ROI names, or SEG segment labels, with their numbers (ROI number / segment number).
    public var regions: [(number: Int, name: String)]
}

/// The DICOM files under a folder, their headers read in parallel (pixel data are not read).
public enum DicomArchive {
    public struct Scan: Sendable {
        public var instances: [DicomInstance]
        /// Files that are not DICOM (no preamble): NIfTI files, notes, sidecars.
        public var otherFiles: [String]
        /// DICOM files that could not be read, with why.
        public var unreadable: [RadiomicsError]
    }

    public static func scan(_ root: String) throws -> Scan {
        let files = try DicomSeriesReader.listFiles(root)
        let results = parallelMap(files) { path -> Result<DicomInstance, RadiomicsError> in
            do { return .success(try instance(DicomFile(path: path, headerOnly: true))) } catch let e as RadiomicsError {
                return .failure(e)
            } catch {
                return .failure(RadiomicsError(file: path, "\(error)"))
            }
        }
        var scan = Scan(instances: [], otherFiles: [], unreadable: [])
        for (path, r) in zip(files, results) {
            switch r {
            case .success(let i): scan.instances.append(i)
            case .failure(let e) where e.problem.hasPrefix("not a DICOM file") || e.problem == "empty file": scan.otherFiles.append(path)
            case .failure(let e): scan.unreadable.append(e)
            }
        }
        return scan
    }

    static let acquisitionTime = DicomTag(0x0008, 0x0032), contentTime = DicomTag(0x0008, 0x0033), seriesTime = DicomTag(0x0008, 0x0031)
    static let imageType = DicomTag(0x0008, 0x0008), contrastBolusAgent = DicomTag(0x0018, 0x0010)
    static let rtReferencedStudySequence = DicomTag(0x3006, 0x0012), rtReferencedSeriesSequence = DicomTag(0x3006, 0x0014)

    static func instance(_ file: DicomFile) -> DicomInstance {
        let ds = file.root
        let sop = ds.string(Tag.sopClassUID) ?? ""
        let kind: DicomInstance.Kind
        if sop == DicomUID.rtStructureSetStorage {
            kind = .rtstruct
        } else if sop == DicomUID.segmentationStorage {
            kind = .seg
        } else if !DicomUID.isNonImage(sop) && (ds.number(Tag.rows) ?? 0) > 0 && (ds.number(Tag.columns) ?? 0) > 0 {
            kind = .image
        } else {
            kind = .other
        }
        var referenced: [String] = []
        var regions: [(Int, String)] = []
        switch kind {
        case .rtstruct:
            for frame in ds.sequence(Tag.referencedFrameOfReferenceSequence) {
                for study in frame.sequence(rtReferencedStudySequence) {
                    for series in study.sequence(rtReferencedSeriesSequence) {
                        if let uid = series.string(Tag.seriesInstanceUID) { referenced.append(uid) }
                    }
                }
            }
            for roi in ds.sequence(Tag.structureSetROISequence) {
                regions.append((Int(roi.number(Tag.roiNumber) ?? 0), roi.string(Tag.roiName) ?? ""))
            }
        case .seg:
            for series in ds.sequence(Tag.referencedSeriesSequence) {
                if let uid = series.string(Tag.seriesInstanceUID) { referenced.append(uid) }
            }
            for segment in ds.sequence(Tag.segmentSequence) {
                regions.append((Int(segment.number(Tag.segmentNumber) ?? 0), segment.string(Tag.segmentLabel) ?? ""))
            }
        case .image, .other:
            break
        }
        let time = [acquisitionTime, contentTime, seriesTime].lazy.compactMap { ds.string($0).flatMap(secondsOfDay) }.first
        return DicomInstance(
            path: file.path, kind: kind, sopInstanceUID: ds.string(Tag.sopInstanceUID) ?? "", studyUID: ds.string(Tag.studyInstanceUID) ?? "",
            seriesUID: ds.string(Tag.seriesInstanceUID) ?? "", modality: ds.string(Tag.modality) ?? "",
            seriesDescription: ds.string(Tag.seriesDescription) ?? "",
            imageType: (ds.string(imageType) ?? "").uppercased().split(separator: "\\").map { $0.trimmingCharacters(in: .whitespaces) },
            patientID: ds.string(Tag.patientID) ?? "", studyDate: ds.string(Tag.studyDate) ?? "", time: time,
            contrastAgent: ds.has(contrastBolusAgent) ? (ds.string(contrastBolusAgent) ?? "") : nil,
            frames: max(1, Int(ds.number(Tag.numberOfFrames) ?? 1)), referencedSeries: referenced, regions: regions)
    }

    /// DICOM TM "HHMMSS.FFFFFF" (or "HH:MM:SS" of old files) -> seconds.
    static func secondsOfDay(_ text: String) -> Double? {
        let t = text.replacingOccurrences(of: ":", with: "").trimmingCharacters(in: .whitespaces)
        guard t.count >= 2, let h = Double(t.prefix(2)) else { return nil }
        let rest = t.dropFirst(2)
        let m = rest.count >= 2 ? Double(rest.prefix(2)) ?? 0 : 0
        let s = rest.count > 2 ? Double(rest.dropFirst(2)) ?? 0 : 0
        let v = h * 3600 + m * 60 + s
        return v.isFinite && v >= 0 && v < 86_400 + 1 ? v : nil
    }
}
