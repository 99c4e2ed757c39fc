import Foundation
import RadiomicsCore
import RadiomicsIO
import RadiomicsPipeline

/// A column copied from the manifest into the feature table (PyRadiomics' batch CSV keeps all its columns).
public struct ManifestColumn: Codable, Sendable, Equatable {
    public var key: String
    public var value: String
}

/// One row of a batch manifest: the case, or why the row cannot be one (a bad row is one failed case).
public struct BatchCase: Sendable {
    /// 1-based data row in the manifest: the order of every output table.
    public var row: Int
    public var caseID: String
    public var input: Result<CaseInput, RadiomicsError>
    public var copiedColumns: [ManifestColumn]
}

/// The list of cases of a batch run, read row by row (a manifest of any length takes the memory of one row).
///
/// Two formats:
/// - this tool's (`CaseManifest`): `case_id,image,mask` and optionally `portal,precontrast,liver_mask,roi,label,series`;
/// - PyRadiomics' batch CSV: `Image,Mask` and optionally `Label`; every column is copied into `features.csv`, as
///   PyRadiomics does. The case identifier is the `case_id` or `ID` column when there is one, else the image's
///   file name without extension, or, when those repeat (`patient7/image.nrrd`), the image's path relative to
///   the manifest with `/` as `_`.
///
/// Paths are relative to the manifest's folder unless absolute. Opening reads the manifest once to count its rows
/// and to refuse repeated case identifiers (a manifest error, before any case runs).
public struct BatchManifest: Sendable {
    public enum Format: String, Sendable { case radiomics, pyradiomics }

    public let path: String
    public let format: Format
    public let header: [String]
    public let count: Int
    let folder: String
    /// PyRadiomics format without an ID column: whether file-name stems repeat (then paths name the cases).
    let stemsRepeat: Bool

    public init(path: String) throws {
        self.path = path
        folder = PathText.parent(path)
        let reader = try CSVRecordReader(path: path)
        header = reader.header
        if header.contains("Image") && header.contains("Mask") && !header.contains("image") {
            format = .pyradiomics
        } else {
            format = .radiomics
            try CaseManifest.checkHeader(header, source: path)
        }
        var ids: [String: Int] = [:]
        var stems = Set<String>(), repeated = false
        var n = 0
        let idColumn = Self.idColumn(header, format)
        let imageColumn = header.firstIndex(of: format == .pyradiomics ? "Image" : "image")!
        while let record = try reader.nextRow() {
            n += 1
            if let c = idColumn {
                let id = record.fields[c].trimmingCharacters(in: .whitespaces)
                if id.isEmpty { continue } // this row fails alone
                if let first = ids[id] {
                    throw RadiomicsError(file: path, "line \(record.line): case_id '\(id)' already used in row \(first)")
                }
                ids[id] = n
            } else if !stems.insert(CaseExtractor.caseID(for: record.fields[imageColumn].trimmingCharacters(in: .whitespaces))).inserted {
                repeated = true
            }
        }
        count = n
        stemsRepeat = repeated
    }

    static func idColumn(_ header: [String], _ format: Format) -> Int? {
        format == .radiomics ? header.firstIndex(of: "case_id") : header.firstIndex(of: "case_id") ?? header.firstIndex(of: "ID")
    }

    /// Calls `body` with every row, in order.
    public func forEach(_ body: (BatchCase) throws -> Void) throws {
        let reader = try CSVRecordReader(path: path)
        var row = 0
        var derivedIDs: [String: Int] = [:]
        while let record = try reader.nextRow() {
            row += 1
            switch format {
            case .radiomics:
                let id = record.fields[header.firstIndex(of: "case_id")!].trimmingCharacters(in: .whitespaces)
                let input = Result { () throws(RadiomicsError) -> CaseInput in
                    do { return try CaseManifest.input(record, header: header, source: path, folder: folder) } catch let e as RadiomicsError {
                        throw e
                    } catch { throw RadiomicsError(file: path, "\(error)") }
                }
                try body(BatchCase(row: row, caseID: id.isEmpty ? "row-\(row)" : id, input: input, copiedColumns: []))
            case .pyradiomics:
                let c = try pyradiomicsCase(record, row: row)
                if Self.idColumn(header, format) == nil {
                    if let first = derivedIDs[c.caseID] {
                        throw RadiomicsError(file: path, "line \(record.line): rows \(first) and \(row) name the same image; add a case_id column")
                    }
                    derivedIDs[c.caseID] = row
                }
                try body(c)
            }
        }
    }

    func pyradiomicsCase(_ record: CSVRecord, row: Int) throws -> BatchCase {
        func cell(_ name: String) -> String? {
            guard let c = header.firstIndex(of: name) else { return nil }
            let v = record.fields[c].trimmingCharacters(in: .whitespaces)
            return v.isEmpty ? nil : v
        }
        func resolve(_ p: String) -> String { CaseManifest.resolve(p, folder: folder) }
        let copied = zip(header, record.fields).map { ManifestColumn(key: $0.0, value: $0.1) }
        let image = cell("Image"), mask = cell("Mask")
        var id = Self.idColumn(header, format).flatMap { cell(header[$0]) }
        if id == nil, let image {
            id = stemsRepeat ? Self.pathID(image) : CaseExtractor.caseID(for: image)
        }
        let caseID = id ?? "row-\(row)"
        func failure(_ column: String, _ text: String) -> BatchCase {
            BatchCase(row: row, caseID: caseID, input: .failure(RadiomicsError(file: path, "line \(record.line) (case \(caseID)), column '\(column)': \(text)")),
                      copiedColumns: copied)
        }
        guard let image else { return failure("Image", "missing image path") }
        guard let mask else { return failure("Mask", "missing mask path") }
        var label: Int?
        if let text = cell("Label") {
            guard let l = Int(text) else { return failure("Label", "'\(text)' is not an integer label") }
            label = l
        }
        let input = CaseInput(caseID: caseID, image: ImageInput(path: resolve(image)), mask: MaskInput(path: resolve(mask), label: label))
        return BatchCase(row: row, caseID: caseID, input: .success(input), copiedColumns: copied)
    }

    /// `patient7/image.nrrd` -> `patient7_image`.
    static func pathID(_ path: String) -> String {
        let parts = path.split(separator: "/").map(String.init).filter { $0 != "." && $0 != ".." }
        let name = CaseExtractor.caseID(for: parts.last ?? path)
        return (parts.dropLast() + [name]).joined(separator: "_")
    }
}
