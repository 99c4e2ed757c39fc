import Foundation
import RadiomicsCore
import Yams

/// Extraction settings read from a YAML parameter file (`--params FILE`).
///
/// The file is a mapping with a `setting:` section (PyRadiomics' layout). Keys this version acts on are
/// listed in `known`; others are reported as warnings, never silently ignored. Later issues add the IBSI
/// preprocessing and feature-class keys here.
public struct ExtractionSettings: Sendable, Equatable {
    /// NIfTI label value or SEG segment number to use as the ROI (PyRadiomics `label`).
    public var label: Int?
    /// RTSTRUCT ROI name.
    public var roi: String?
    /// Keys present in the file that this version does not use.
    public var unknownKeys: [String] = []

    public init(label: Int? = nil, roi: String? = nil) {
        self.label = label
        self.roi = roi
    }

    static let known: Set<String> = ["label", "roi"]

    /// Reads a parameter file; errors name the file and the key.
    public static func load(path: String) throws -> ExtractionSettings {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RadiomicsError(file: path, "cannot read parameter file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RadiomicsError(file: path, "parameter file is not UTF-8 text")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String = "<params>") throws -> ExtractionSettings {
        let node: Any?
        do { node = try Yams.load(yaml: text) } catch {
            throw RadiomicsError(file: path, "not valid YAML: \(error)")
        }
        var settings = ExtractionSettings()
        guard let node else { return settings }
        guard let top = node as? [String: Any] else {
            throw RadiomicsError(file: path, "expected a mapping with a 'setting:' section at the top level")
        }
        for (key, value) in top.sorted(by: { $0.key < $1.key }) {
            guard key == "setting" else { settings.unknownKeys.append(key); continue }
            guard let section = value as? [String: Any] else {
                if value is NSNull { continue }
                throw RadiomicsError(file: path, "'setting' must be a mapping of key: value")
            }
            for (k, v) in section.sorted(by: { $0.key < $1.key }) {
                switch k {
                case "label":
                    guard let n = v as? Int else { throw RadiomicsError(file: path, "setting.label must be an integer, got '\(v)'") }
                    settings.label = n
                case "roi":
                    guard let s = v as? String else { throw RadiomicsError(file: path, "setting.roi must be text, got '\(v)'") }
                    settings.roi = s
                default:
                    settings.unknownKeys.append("setting.\(k)")
                }
            }
        }
        return settings
    }
}
