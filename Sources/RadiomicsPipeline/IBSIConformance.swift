import Foundation
import RadiomicsCore
import RadiomicsFeatures
import RadiomicsFilters
import RadiomicsIO

/// One reference value of the IBSI tables: `value;tolerance;tag`.
public struct IBSIReferenceValue: Sendable {
    public var tag: String
    public var value: Double
    public var tolerance: Double
    /// Half a unit of the last digit printed (published values are rounded, mostly to 3 significant digits,
    /// so a tolerance of 0 means "equal when rounded like the reference").
    public var rounding: Double

    /// |x - value| <= tolerance + rounding
    public func accepts(_ x: Double) -> Bool { x.isFinite && abs(x - value) <= tolerance + rounding + 1e-12 * abs(value) }

    /// Reads a reference CSV (header line, then `value;tolerance;tag` rows; rows without a value are skipped).
    public static func read(path: String) throws -> [IBSIReferenceValue] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw RadiomicsError(file: path, "cannot read IBSI reference table")
        }
        var rows: [IBSIReferenceValue] = []
        for (n, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let parts = line.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            // Features without an IBSI consensus value (e.g. morph_vol_dens_ombb) have empty fields.
            if parts.count >= 3, parts[0].isEmpty, parts[1].isEmpty { continue }
            guard parts.count >= 3, let v = Double(parts[0]), let t = Double(parts[1]) else {
                if n == 0 { continue } // header
                throw RadiomicsError(file: path, "line \(n + 1): expected value;tolerance;tag")
            }
            rows.append(IBSIReferenceValue(tag: parts[2], value: v, tolerance: t, rounding: halfUnitOfLastDigit(parts[0])))
        }
        return rows
    }

    /// Half a unit of the last significant digit of a published value, taking at least 3 significant digits
        /// ("2.15" -> 0.005, "60" -> 0.05, "1490" -> 5, "125256" -> 0.5, "0.0455" -> 0.00005).
    public static func halfUnitOfLastDigit(_ text: String) -> Double {
        guard let value = Double(text), value != 0 else { return 0 }
        // Significant digits printed: without leading zeros, and for integers without trailing zeros.
        var mantissa = text.lowercased()
        if let e = mantissa.firstIndex(of: "e") { mantissa = String(mantissa[..<e]) }
        var digits = Substring(mantissa.filter(\.isNumber)).drop { $0 == "0" }
        if !mantissa.contains(".") { while digits.last == "0" { digits = digits.dropLast() } }
        // IBSI publishes at least 3 significant digits: "60" is 60.0, "1490" is 1.49e3, "125256" is exact.
        let significant = max(digits.count, 3)
        return 0.5 * pow(10, (log10(abs(value))).rounded(.down) - Double(significant - 1))
    }
}

/// One row of the conformance report.
public struct ConformanceCheck: Sendable {
    public var configuration: String
    public var reference: IBSIReferenceValue
    public var value: Double?
    public var passed: Bool { value.map(reference.accepts) ?? false }
}

/// Runs the IBSI chapter 1 phantoms through the shipped presets and compares every reference value.
public enum IBSIConformance {
    public struct Case: Sendable {
        public var preset: String
        public var referenceFile: String
        public var image: String
        public var mask: String
    }

    public static let cases: [Case] = [
        Case(preset: "ibsi-digital-phantom", referenceFile: "ibsi_1_dig_phantom.csv",
             image: "digital_phantom/nifti/image/phantom.nii.gz", mask: "digital_phantom/nifti/mask/mask.nii.gz"),
    ] + ["a", "b", "c", "d", "e"].map {
        Case(preset: "ibsi-config-\($0)", referenceFile: "ibsi_1_chest_config_\($0).csv",
             image: "ct_radiomics_phantom/nifti/image/phantom.nii.gz", mask: "ct_radiomics_phantom/nifti/mask/mask.nii.gz")
    }

    /// The settings of a shipped preset.
    public static func settings(preset: String) throws -> ExtractionSettings {
        guard let yaml = IBSIPresets.yaml[preset] else { throw RadiomicsError("no preset named \(preset)") }
        return try ExtractionSettings.parse(yaml, path: "params/\(preset).yaml")
    }

    /// Runs one case from `dataDirectory` (holding digital_phantom/, ct_radiomics_phantom/ and reference_values/).
    public static func run(_ c: Case, dataDirectory: String) throws -> [ConformanceCheck] {
        func path(_ p: String) -> String { (dataDirectory as NSString).appendingPathComponent(p) }
        let references = try IBSIReferenceValue.read(path: path("reference_values/\(c.referenceFile)"))
        let loaded = try CaseLoader.load(CaseInput(image: ImageInput(path: path(c.image)), mask: MaskInput(path: path(c.mask))))
        let (diagnostics, features) = try FeatureExtractor.extract(image: loaded.reference.image, mask: loaded.tumour,
                                                                   settings: try settings(preset: c.preset))
        var values: [String: Double] = [:]
        for f in diagnostics + features where values[f.tag] == nil { values[f.tag] = f.value }
        return references.map { ConformanceCheck(configuration: c.preset, reference: $0, value: values[$0.tag]) }
    }
}

/// IBSI chapter 2, phase 1: each shipped preset (params/ibsi2/phase1/<id>.yaml) on its digital phantom against the
/// published response map. A test passes when every voxel is within 1% of the reference map's intensity range.
public enum IBSI2PhaseOne {
    /// Test id (as in the reference map's file name) and its phantom.
    public static let tests: [(id: String, phantom: String)] = [
        ("1a1", "checkerboard"), ("1a2", "checkerboard"), ("1a3", "checkerboard"), ("1a4", "checkerboard"), ("1b1", "impulse"),
        ("2a", "impulse"), ("2b", "checkerboard"), ("2c", "checkerboard"),
        ("3a1", "impulse"), ("3a2", "impulse"), ("3a3", "impulse"), ("3b1", "checkerboard"), ("3b2", "checkerboard"),
        ("3b3", "checkerboard"), ("3c1", "checkerboard"), ("3c2", "checkerboard"), ("3c3", "checkerboard"),
        ("4a1", "impulse"), ("4a2", "impulse"), ("4b1", "sphere"), ("4b2", "sphere"),
        ("5a1", "impulse"), ("5a2", "impulse"), ("6a1", "sphere"), ("6a2", "sphere"), ("7a1", "checkerboard"), ("7a2", "checkerboard"),
        ("8a1", "checkerboard"), ("8a2", "checkerboard"), ("8a3", "checkerboard"),
        ("9a", "impulse"), ("9b1", "sphere"), ("10b1", "pattern_1"),
    ]

    public struct Result: Sendable {
        public var id: String
        /// max |response - reference| / (reference max - reference min).
        public var score: Double
        public var passed: Bool { score <= 0.01 }
    }

    /// The filter a preset describes (its only entry of `filters`).
    public static func filter(preset: String) throws -> any ImageFilter {
        let settings = try IBSIConformance.settings(preset: preset)
        guard settings.filters.count == 1 else { throw RadiomicsError("preset \(preset) should hold one filter, holds \(settings.filters.count)") }
        return try settings.filters[0].make()
    }

    /// Runs test `id` on the data in `dataDirectory` (holding phase1/ and reference_response_maps/).
    public static func run(id: String, dataDirectory: String) throws -> Result {
        guard let test = tests.first(where: { $0.id == id }) else { throw RadiomicsError("no IBSI 2 phase-1 test \(id)") }
        func path(_ p: String) -> String { (dataDirectory as NSString).appendingPathComponent(p) }
        let filter = try filter(preset: "ibsi2/phase1/\(id)")
        let phantom = FilterImage(try Nifti.read(path: path("phase1/\(test.phantom).nii.gz")).doubleVolume)
        let reference = try Nifti.read(path: path("reference_response_maps/\(id).nii.gz")).doubleVolume.voxels
        let response = filter.response(phantom)
        guard response.count == reference.count else {
            throw RadiomicsError(file: path("reference_response_maps/\(id).nii.gz"), "the reference map is not on the phantom's grid")
        }
        let range = (reference.max() ?? 0) - (reference.min() ?? 0)
        var worst = 0.0
        for i in 0..<reference.count { worst = max(worst, abs(response[i] - reference[i])) }
        return Result(id: id, score: range > 0 ? worst / range : worst)
    }
}

/// IBSI chapter 2, phase 2: the shipped presets (params/ibsi2/phase2/<n><A|B>.yaml) on the IBSI 1 CT phantom (ROI
/// GTV-1), each intensity statistic of the filter's response against reference_feature_values.csv (value and
/// tolerance per configuration and tag).
public enum IBSI2PhaseTwo {
    public struct Check: Sendable {
        public var configuration: String
        public var tag: String
        public var reference: Double
        public var tolerance: Double
        public var value: Double?
        public var passed: Bool { value.map { abs($0 - reference) <= tolerance + 1e-12 * abs(reference) } ?? false }
    }

    /// Reads the reference table: config_id,dimensionality,feature_tag,feature_name,reference_value,tolerance
    /// (rows without a value are skipped).
    public static func references(path: String) throws -> [(configuration: String, tag: String, value: Double, tolerance: Double)] {
        let table = try CSVTable.read(path: path)
        func column(_ name: String) throws -> Int {
            guard let c = table.header.firstIndex(of: name) else { throw RadiomicsError(file: path, "no column \(name)") }
            return c
        }
        let id = try column("config_id"), tag = try column("feature_tag"), value = try column("reference_value"), tolerance = try column("tolerance")
        return try table.rows.enumerated().compactMap { r, row in
            guard !row[value].trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            guard let v = Double(row[value]), let t = Double(row[tolerance]) else {
                throw RadiomicsError(file: path, "line \(table.lines[r]): value and tolerance must be numbers")
            }
            return (row[id].replacingOccurrences(of: ".", with: ""), row[tag], v, t)
        }
    }

    /// Runs configuration `id` (e.g. `3B`): the IBSI 1 data in `ibsi` (ct_radiomics_phantom/), the references in `ibsi2`.
    public static func run(configuration id: String, ibsi: String, ibsi2: String) throws -> [Check] {
        let references = try Self.references(path: (ibsi2 as NSString).appendingPathComponent("reference_feature_values.csv"))
            .filter { $0.configuration == id }
        guard !references.isEmpty else { throw RadiomicsError("no IBSI 2 phase-2 configuration \(id)") }
        let settings = try IBSIConformance.settings(preset: "ibsi2/phase2/\(id)")
        func path(_ p: String) -> String { (ibsi as NSString).appendingPathComponent(p) }
        let loaded = try CaseLoader.load(CaseInput(image: ImageInput(path: path("ct_radiomics_phantom/nifti/image/phantom.nii.gz")),
                                                   mask: MaskInput(path: path("ct_radiomics_phantom/nifti/mask/mask.nii.gz"))))
        let (_, features) = try FeatureExtractor.extract(image: loaded.reference.image, mask: loaded.tumour, settings: settings)
        let prefix = try settings.filters.first.map { try $0.make().name + "_" } ?? ""
        var values: [String: Double] = [:]
        for f in features { values[f.tag] = f.value }
        return references.map { Check(configuration: id, tag: $0.tag, reference: $0.value, tolerance: $0.tolerance, value: values[prefix + $0.tag]) }
    }

    /// The configurations, in the reference table's order.
    public static let configurations = (1...9).flatMap { ["\($0)A", "\($0)B"] }
}
