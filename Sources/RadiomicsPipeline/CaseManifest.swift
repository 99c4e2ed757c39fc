import Foundation
import RadiomicsCore
import RadiomicsIO

/// A CSV list of cases: `case_id,image,mask` and optionally `portal,precontrast,liver_mask,roi,label,series`.
/// `image` is the arterial phase (or the one image of a case); paths are taken relative to the manifest's
/// folder unless absolute. Errors name the manifest, the row and the column.
public enum CaseManifest {
    public static let requiredColumns = ["case_id", "image", "mask"]
    public static let optionalColumns = ["portal", "precontrast", "liver_mask", "roi", "label", "series"]

    public static func read(path: String) throws -> [CaseInput] {
        try parse(CSVTable.read(path: path), folder: (path as NSString).deletingLastPathComponent)
    }

    public static func parse(_ table: CSVTable, folder: String) throws -> [CaseInput] {
        for name in table.header where !(requiredColumns + optionalColumns).contains(name) {
            throw RadiomicsError(file: table.source, "unknown column '\(name)' (columns: \((requiredColumns + optionalColumns).joined(separator: ", ")))")
        }
        let ids = try table.caseIDs()
        let image = try table.columnIndex("image"), mask = try table.columnIndex("mask")
        func column(_ name: String) -> Int? { table.header.firstIndex(of: name) }
        func resolve(_ p: String) -> String {
            p.hasPrefix("/") || folder.isEmpty ? p : (folder as NSString).appendingPathComponent(p)
        }
        return try table.rows.indices.map { r in
            let row = table.rows[r]
            func cell(_ c: Int?) -> String? {
                guard let c else { return nil }
                let v = row[c].trimmingCharacters(in: .whitespaces)
                return v.isEmpty ? nil : v
            }
            guard let imagePath = cell(image) else { throw RadiomicsError(file: table.source, "\(table.location(row: r, column: image)): missing image path") }
            guard let maskPath = cell(mask) else { throw RadiomicsError(file: table.source, "\(table.location(row: r, column: mask)): missing mask path") }
            var label: Int?
            if let c = column("label"), let text = cell(c) {
                guard let l = Int(text) else { throw RadiomicsError(file: table.source, "\(table.location(row: r, column: c)): '\(text)' is not an integer label") }
                label = l
            }
            let series = cell(column("series"))
            var images: [CasePhase: ImageInput] = [.arterial: ImageInput(path: resolve(imagePath), seriesUID: series)]
            if let p = cell(column("portal")) { images[.portal] = ImageInput(path: resolve(p)) }
            if let p = cell(column("precontrast")) { images[.precontrast] = ImageInput(path: resolve(p)) }
            var masks: [MaskRole: MaskInput] = [.tumour: MaskInput(path: resolve(maskPath), roi: cell(column("roi")), label: label)]
            if let p = cell(column("liver_mask")) { masks[.liver] = MaskInput(path: resolve(p)) }
            return CaseInput(caseID: ids[r], images: images, masks: masks)
        }
    }
}
