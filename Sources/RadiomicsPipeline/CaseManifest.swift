import Foundation
import RadiomicsCore
import RadiomicsIO

/// A CSV list of cases: `case_id,image,mask` and optionally `portal,precontrast,liver_mask,roi,label,series`,
/// the series of the other phases (`portal_series`, `precontrast_series`) and the liver's region (`liver_roi`,
/// `liver_label`) when their folder or file holds several, and `phase_source` (written by archive discovery,
/// not read). `image` is the arterial phase (or the one image of a case); paths are taken relative to the
/// manifest's folder unless absolute. Errors name the manifest, the line and the column.
public enum CaseManifest {
    public static let requiredColumns = ["case_id", "image", "mask"]
    public static let optionalColumns = ["portal", "precontrast", "liver_mask", "roi", "label", "series", "portal_series", "precontrast_series",
                                         "liver_roi", "liver_label", "phase_source"]

    /// Every case of a manifest (a row that cannot be a case fails the whole list; see `BatchManifest` for
    /// a list read row by row where a bad row is one failed case).
    public static func read(path: String) throws -> [CaseInput] {
        let table = try CSVTable.read(path: path)
        try checkHeader(table.header, source: table.source)
        _ = try table.caseIDs()
        let folder = PathText.parent(path)
        return try table.rows.indices.map {
            try input(CSVRecord(fields: table.rows[$0], line: table.lines[$0]), header: table.header, source: table.source, folder: folder)
        }
    }

    /// Refuses a header without the required columns or with a column this format does not know.
    public static func checkHeader(_ header: [String], source: String) throws {
        for name in header where !(requiredColumns + optionalColumns).contains(name) {
            throw RadiomicsError(file: source, "unknown column '\(name)' (columns: \((requiredColumns + optionalColumns).joined(separator: ", ")))")
        }
        for name in requiredColumns where !header.contains(name) {
            throw RadiomicsError(file: source, "no column '\(name)' (columns: \(header.joined(separator: ", ")))")
        }
    }

    /// A path of a manifest: relative to the manifest's folder unless absolute.
    public static func resolve(_ path: String, folder: String) -> String {
        path.hasPrefix("/") || folder.isEmpty ? path : (folder as NSString).appendingPathComponent(path)
    }

    /// The case of one row (header checked by `checkHeader`).
    public static func input(_ record: CSVRecord, header: [String], source: String, folder: String) throws -> CaseInput {
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        func cell(_ c: Int?) -> String? {
            guard let c else { return nil }
            let v = record.fields[c].trimmingCharacters(in: .whitespaces)
            return v.isEmpty ? nil : v
        }
        let id = cell(column("case_id"))
        func problem(_ name: String, _ text: String) -> RadiomicsError {
            RadiomicsError(file: source, "line \(record.line)\(id.map { " (case \($0))" } ?? ""), column '\(name)': \(text)")
        }
        func resolve(_ p: String) -> String { Self.resolve(p, folder: folder) }
        guard let caseID = id else { throw problem("case_id", "missing case_id") }
        guard let imagePath = cell(column("image")) else { throw problem("image", "missing image path") }
        guard let maskPath = cell(column("mask")) else { throw problem("mask", "missing mask path") }
        func integer(_ name: String) throws -> Int? {
            guard let text = cell(column(name)) else { return nil }
            guard let l = Int(text) else { throw problem(name, "'\(text)' is not an integer label") }
            return l
        }
        var images: [CasePhase: ImageInput] = [.arterial: ImageInput(path: resolve(imagePath), seriesUID: cell(column("series")))]
        if let p = cell(column("portal")) { images[.portal] = ImageInput(path: resolve(p), seriesUID: cell(column("portal_series"))) }
        if let p = cell(column("precontrast")) { images[.precontrast] = ImageInput(path: resolve(p), seriesUID: cell(column("precontrast_series"))) }
        var masks: [MaskRole: MaskInput] = [.tumour: MaskInput(path: resolve(maskPath), roi: cell(column("roi")), label: try integer("label"))]
        if let p = cell(column("liver_mask")) {
            masks[.liver] = MaskInput(path: resolve(p), roi: cell(column("liver_roi")), label: try integer("liver_label"))
        }
        return CaseInput(caseID: caseID, images: images, masks: masks)
    }
}
