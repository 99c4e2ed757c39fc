import Foundation
import RadiomicsCore
import RadiomicsFeatures

/// Which engine extracts a case and with what settings, resolved once from a parameter file: this project's
/// IBSI settings, or PyRadiomics' parameters (PyRadiomics 3.1's keys and definitions). A PyRadiomics file
/// (`setting:`, `imageType:`, `featureClass:`) picks PyRadiomics unless told otherwise.
public struct ExtractionPlan: Sendable {
    public enum Naming: String, Sendable, CaseIterable, Codable {
        case ibsi, pyradiomics
    }

    public var settings: ExtractionSettings
    public var pyradiomics: PyRadiomicsParameters?

    public init(settings: ExtractionSettings = ExtractionSettings(), pyradiomics: PyRadiomicsParameters? = nil) {
        self.settings = settings
        self.pyradiomics = pyradiomics
    }

    /// The plan of a parameter file (nil: every IBSI family with default settings, or PyRadiomics' defaults when
    /// `naming` is `.pyradiomics`).
    public static func load(parameterFile path: String?, naming: Naming? = nil) throws -> ExtractionPlan {
        let text = try path.map(ExtractionSettings.parameterText)
        let isPyRadiomicsFile = text.map(PyRadiomicsParameters.isPyRadiomicsFile) ?? false
        switch naming ?? (isPyRadiomicsFile ? .pyradiomics : .ibsi) {
        case .pyradiomics:
            return ExtractionPlan(pyradiomics: try text.map { try PyRadiomicsParameters.parse($0, path: path!) } ?? PyRadiomicsParameters())
        case .ibsi:
            if isPyRadiomicsFile {
                throw RadiomicsError(file: path!, "this is a PyRadiomics parameter file; use --naming pyradiomics (the default for such files)")
            }
            return ExtractionPlan(settings: try text.map { try ExtractionSettings.parse($0, path: path!) } ?? ExtractionSettings())
        }
    }

    /// The request for one case: the tumour mask's label and ROI name default to the parameter file's
    /// (PyRadiomics' `setting: label`, this tool's `mask: label` / `mask: roi`).
    public func request(for input: CaseInput) -> CaseRequest {
        var input = input
        if var mask = input.masks[.tumour] {
            mask.label = mask.label ?? pyradiomics.map(\.settings.label) ?? settings.label
            mask.roi = mask.roi ?? settings.roi
            input.masks[.tumour] = mask
        }
        return CaseRequest(input: input, settings: settings, pyradiomics: pyradiomics)
    }
}
