import Foundation
import RadiomicsIO
import RadiomicsCore

/// One patient's baseline values for the p-TACE score.
public struct ClinicalRecord: Sendable, Equatable {
    public var caseID: String
    /// Arterial-phase vascularization pattern 1-4 (see shared/docs/DOMAIN.md).
    public var vascularizationType: Int
    /// Alpha-fetoprotein, ng/mL.
    public var afp: Double
    /// Gamma-glutamyl transferase, U/L.
    public var ggt: Double
    /// Serum albumin, g/L.
    public var albumin: Double
    /// Total bilirubin, µmol/L.
    public var bilirubin: Double
    /// Largest diameter of the main tumour, cm.
    public var tumorSizeCM: Double

    public init(caseID: String, vascularizationType: Int, afp: Double, ggt: Double, albumin: Double,
                bilirubin: Double, tumorSizeCM: Double) {
        self.caseID = caseID
        self.vascularizationType = vascularizationType
        self.afp = afp
        self.ggt = ggt
        self.albumin = albumin
        self.bilirubin = bilirubin
        self.tumorSizeCM = tumorSizeCM
    }
}

/// The clinical table: `case_id`, `vascularization_type`, `afp`, `ggt`, `albumin`, `bilirubin`,
/// `tumor_size_cm`, and any further columns (outcomes, other covariates), kept as read.
///
/// Every row must hold every required value, and each must be possible: type an integer 1-4, AFP and gGT
/// >= 0, bilirubin and tumour size > 0, albumin between 10 and 100 g/L (values below 10 are almost surely
/// g/dL). Otherwise reading fails with the file, row and column; no row is dropped.
public struct ClinicalTable: Sendable {
    public static let requiredColumns = ["case_id", "vascularization_type", "afp", "ggt", "albumin", "bilirubin", "tumor_size_cm"]

    public var table: CSVTable
    public var records: [ClinicalRecord]
    /// Disagreements between the table's vascularization types and the measured ones (the table's win).
    public var warnings: [String] = []

    /// Reads the clinical table. With `measuredSizes` (case_id -> cm, see `TumourSizes`), the
    /// `tumor_size_cm` column may be absent or have empty cells: those cases take the size measured on the mask.
    /// With `measuredTypes` (from `radiomics vasc classify`), the same holds for `vascularization_type`; a type
    /// in the table wins over the measured one, and a disagreement is a warning.
    public static func read(path: String, measuredSizes: TumourSizes? = nil, measuredTypes: MeasuredTypes? = nil) throws -> ClinicalTable {
        try ClinicalTable(table: CSVTable.read(path: path), measuredSizes: measuredSizes, measuredTypes: measuredTypes)
    }

    public init(table: CSVTable, measuredSizes: TumourSizes? = nil, measuredTypes: MeasuredTypes? = nil) throws {
        self.table = table
        let rows = try Self.rows(of: table, measuredSizes: measuredSizes, measuredTypes: measuredTypes)
        records = try rows.map { try $0.record.get() }
        warnings = rows.compactMap(\.warning)
    }

    /// One row read: its record or the error naming row and column, and a disagreement with the measured type.
    public struct Row: Sendable {
        public var caseID: String
        public var record: Result<ClinicalRecord, RadiomicsError>
        public var warning: String?
    }

    /// Every row of the table, each with its own record or error (a batch scores the rows it can and reports
    /// the others); a missing required column or a missing or repeated case_id fails the whole table.
    public static func rows(of table: CSVTable, measuredSizes: TumourSizes? = nil, measuredTypes: MeasuredTypes? = nil) throws -> [Row] {
        for name in Self.requiredColumns where (name != "tumor_size_cm" || measuredSizes == nil)
            && (name != "vascularization_type" || measuredTypes == nil) {
            _ = try table.columnIndex(name)
        }
        let ids = try table.caseIDs()
        let c = Self.requiredColumns.dropFirst().map { table.header.firstIndex(of: $0) ?? -1 }
        return table.rows.indices.map { r in
            var warning: String?
            func empty(_ k: Int) -> Bool { c[k] < 0 || table.rows[r][c[k]].trimmingCharacters(in: .whitespaces).isEmpty }
            func value(_ k: Int, _ check: (Double) -> String?) throws -> Double {
                if k == 0, let measuredTypes {
                    if empty(k) { return Double(try measuredTypes.type(of: ids[r], neededBy: table.source)) }
                    if let measured = measuredTypes.types[ids[r]], let v = Double(table.rows[r][c[k]].trimmingCharacters(in: .whitespaces)),
                       v != Double(measured) {
                        warning = "\(table.source): case \(ids[r]): vascularization type \(Self.show(v)) in the table, \(measured) measured (\(measuredTypes.source)); the table's is used"
                    }
                }
                if k == 5, let measuredSizes, empty(k) {
                    let v = try measuredSizes.size(of: ids[r], neededBy: table.source)
                    if let problem = check(v) { throw RadiomicsError(file: measuredSizes.source, "case \(ids[r]): \(problem)") }
                    return v
                }
                let v = try table.number(row: r, column: c[k])
                if let problem = check(v) {
                    throw RadiomicsError(file: table.source, "\(table.location(row: r, column: c[k])): \(problem)")
                }
                return v
            }
            func build() throws -> ClinicalRecord {
                let type = try value(0) { v in
                    v == v.rounded() && (1...4).contains(v) ? nil : "vascularization type \(Self.show(v)) is not one of 1, 2, 3, 4"
                }
                let afp = try value(1) { $0 < 0 ? "AFP \(Self.show($0)) ng/mL is negative" : nil }
                let ggt = try value(2) { $0 < 0 ? "gGT \(Self.show($0)) U/L is negative" : nil }
                let albumin = try value(3) { v in
                    if v <= 0 { return "albumin \(Self.show(v)) g/L is not positive" }
                    if v < 10 { return "albumin \(Self.show(v)) g/L is impossible (g/dL? multiply by 10)" }
                    return v > 100 ? "albumin \(Self.show(v)) g/L is impossible" : nil
                }
                let bilirubin = try value(4) { $0 <= 0 ? "bilirubin \(Self.show($0)) umol/L is not positive" : nil }
                let size = try value(5) { $0 <= 0 ? "tumour size \(Self.show($0)) cm is not positive" : nil }
                return ClinicalRecord(caseID: ids[r], vascularizationType: Int(type), afp: afp, ggt: ggt, albumin: albumin,
                                      bilirubin: bilirubin, tumorSizeCM: size)
            }
            let record: Result<ClinicalRecord, RadiomicsError>
            do { record = .success(try build()) } catch let e as RadiomicsError { record = .failure(e) } catch {
                record = .failure(RadiomicsError(file: table.source, "\(error)"))
            }
            return Row(caseID: ids[r], record: record, warning: warning)
        }
    }

    static func show(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }
}

/// Tumour sizes measured on the masks: the largest 3D diameter from a features table written by
/// `radiomics extract` (`morph_diam`, IBSI, mm) or by PyRadiomics (`original_shape_Maximum3DDiameter`, mm),
/// converted to cm, keyed by case identifier.
public struct TumourSizes: Sendable {
    public static let diameterColumns = ["morph_diam", "original_shape_Maximum3DDiameter"]
    public var source: String
    public var centimetres: [String: Double]

    public static func read(path: String) throws -> TumourSizes { try TumourSizes(table: CSVTable.read(path: path)) }

    public init(source: String, centimetres: [String: Double]) {
        self.source = source
        self.centimetres = centimetres
    }

    public init(table: CSVTable) throws {
        source = table.source
        guard let column = Self.diameterColumns.lazy.compactMap({ table.header.firstIndex(of: $0) }).first else {
            throw RadiomicsError(file: table.source, "no tumour diameter column (\(Self.diameterColumns.joined(separator: " or ")))")
        }
        let ids = try table.caseIDs()
        var sizes: [String: Double] = [:]
        for r in table.rows.indices { sizes[ids[r]] = try table.number(row: r, column: column) / 10 }
        centimetres = sizes
    }

    func size(of caseID: String, neededBy clinical: String) throws -> Double {
        guard let cm = centimetres[caseID] else {
            throw RadiomicsError(file: source, "case \(caseID) has no tumour_size_cm in \(clinical) and no measured diameter here")
        }
        return cm
    }
}

/// Vascularization types measured from the CT phases: the `case_id` and `type` columns of a table written by
/// `radiomics vasc classify --format csv`. A case whose typing failed (empty type) has none.
public struct MeasuredTypes: Sendable {
    public var source: String
    public var types: [String: Int]

    public static func read(path: String) throws -> MeasuredTypes { try MeasuredTypes(table: CSVTable.read(path: path)) }

    public init(source: String, types: [String: Int]) {
        self.source = source
        self.types = types
    }

    public init(table: CSVTable) throws {
        source = table.source
        let column = try table.columnIndex("type")
        let ids = try table.caseIDs()
        var types: [String: Int] = [:]
        for r in table.rows.indices {
            let text = table.rows[r][column].trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            guard let t = Int(text), (1...4).contains(t) else {
                throw RadiomicsError(file: table.source, "\(table.location(row: r, column: column)): '\(text)' is not a vascularization type 1-4")
            }
            types[ids[r]] = t
        }
        self.types = types
    }

    func type(of caseID: String, neededBy clinical: String) throws -> Int {
        guard let t = types[caseID] else {
            throw RadiomicsError(file: source, "case \(caseID) has no vascularization_type in \(clinical) and no measured type here (typing failed or the case is missing)")
        }
        return t
    }
}
