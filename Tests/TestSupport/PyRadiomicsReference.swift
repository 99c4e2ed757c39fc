import Foundation
import RadiomicsCore
import RadiomicsIO

/// PyRadiomics' test cases and PyRadiomics 3.1's values on them (../shared/data/pyradiomics).
public enum PyRadiomicsReference {
    public static let directory = SharedData.path("data/pyradiomics")
    public static let available = SharedData.exists("data/pyradiomics/reference_v3/settings.json")
    public static let cases = ["brain1", "brain2", "breast1"]

    /// `reference_v3/<featureClass>.csv`: value of every feature (PyRadiomics key, e.g.
    /// `original_glcm_Idmn`) in every configuration column (`brain1`, `brain1_2d`, ...).
    public static func table(_ featureClass: String) throws -> (features: [String], values: [String: [String: Double]]) {
        let path = directory + "/reference_v3/\(featureClass).csv"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        var features: [String] = [], values: [String: [String: Double]] = [:]
        for line in lines {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            features.append(cells[0])
            var row: [String: Double] = [:]
            for (column, cell) in zip(header.dropFirst(), cells.dropFirst()) {
                row[column] = Double(cell) ?? (cell.lowercased() == "nan" ? .nan : nil)
            }
            values[cells[0]] = row
        }
        return (features, values)
    }

    /// The configuration columns of a class table, in file order.
    public static func columns(_ featureClass: String) throws -> [String] {
        let text = try String(contentsOfFile: directory + "/reference_v3/\(featureClass).csv", encoding: .utf8)
        return text.prefix(while: { !$0.isNewline }).split(separator: ",").dropFirst().map(String.init)
    }

    /// The PyRadiomics settings of one configuration column, as in `reference_v3/settings.json`.
    public static func settings(_ featureClass: String, _ column: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/reference_v3/settings.json"))
        let all = try JSONSerialization.jsonObject(with: data) as? [String: [String: [String: Any]]]
        return all?[featureClass]?[column] ?? [:]
    }

    /// A PyRadiomics parameter file holding `settings` (as in settings.json) and enabling `featureClasses`.
    public static func parameterFile(_ settings: [String: Any], featureClasses: [String]) throws -> String {
        var lines = ["setting:"]
        for key in settings.keys.sorted() {
            let value = settings[key]!
            var text = "null"
            if let s = value as? String { text = s } else if !(value is NSNull) {
                text = String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]), as: UTF8.self)
            }
            lines.append("  \(key): \(text)")
        }
        lines += ["imageType:", "  Original: {}", "featureClass:"] + featureClasses.map { "  \($0):" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Image (as Double) and label image of a test case, on the image's grid.
    public static func load(_ name: String) throws -> (image: Volume<Double>, mask: Mask) {
        let image = try Nifti.read(path: directory + "/\(name)_image.nii.gz")
        let labels = try Nifti.read(path: directory + "/\(name)_label.nii.gz")
        let full = BoundingBox(size: image.geometry.size)
        let img = image.cropped(to: full)
        let lab = labels.cropped(to: BoundingBox(size: labels.geometry.size))
        let mask = Mask(geometry: lab.geometry, voxels: lab.voxels.map { UInt8(clamping: Int($0.rounded())) })
        return (img, mask)
    }

    /// Relative agreement used by the acceptance: 1e-6 relative, 1e-9 absolute near zero.
    public static func agrees(_ ours: Double, _ reference: Double, relative: Double = 1e-6, absolute: Double = 1e-9) -> Bool {
        if reference.isNaN { return ours.isNaN }
        return abs(ours - reference) <= max(absolute, relative * abs(reference))
    }
}
