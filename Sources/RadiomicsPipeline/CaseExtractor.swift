import Foundation
import RadiomicsCore
import RadiomicsFeatures
import RadiomicsIO

/// One case to extract: its inputs (one image and its ROI mask) and the settings.
public struct CaseRequest: Sendable {
    public var input: CaseInput
    public var settings: ExtractionSettings
    /// When set, the case is extracted as PyRadiomics does it, with its keys (`original_<class>_<Feature>`).
    public var pyradiomics: PyRadiomicsParameters?

    public init(input: CaseInput, settings: ExtractionSettings = ExtractionSettings(), pyradiomics: PyRadiomicsParameters? = nil) {
        self.input = input
        self.settings = settings
        self.pyradiomics = pyradiomics
    }

    /// A one-image case. `label` and `roi` default to the parameter file's (`mask.label`, `setting.label`, `mask.roi`).
    public init(imagePath: String, maskPath: String, roi: String? = nil, label: Int? = nil, seriesUID: String? = nil,
                settings: ExtractionSettings = ExtractionSettings(), pyradiomics: PyRadiomicsParameters? = nil,
                caseID: String? = nil) {
        self = ExtractionPlan(settings: settings, pyradiomics: pyradiomics).request(
            for: CaseInput(caseID: caseID, image: ImageInput(path: imagePath, seriesUID: seriesUID),
                           mask: MaskInput(path: maskPath, roi: roi, label: label)))
    }
}

/// The result of a case and the warnings met on the way.
public struct CaseOutcome: Sendable {
    public var result: ExtractionResult
    public var warnings: [String]
}

/// Files -> image and mask on one grid -> diagnostics and features.
public enum CaseExtractor {
    /// The diagnostics `run` reports about the inputs before `InputDiagnostics`, in order; the ones a case does not
    /// have (transfer syntaxes of a NIfTI image, the ROI name of a SEG) are left out of its result. Tables of many
    /// cases use this order so that their columns do not depend on which case came first.
    public static let inputDiagnosticKeys = ["case_id", "image_format", "image_transfer_syntaxes", "mask_format", "mask_roi",
                                             "mask_label", "mask_resampled"]

    public static func run(_ request: CaseRequest) throws -> CaseOutcome {
        // PyRadiomics' extraction reads only the part its settings reach (the ROI's box, and what resampling and
        // the filters read around it): only that is read and decoded, of the image and of the mask.
        var extent = ReadExtent.wholeImage
        if let p = request.pyradiomics {
            extent = .region(wholeExtremes: PyRadiomicsExtractor.needsWholeExtremes(p)) { grid, box in
                PyRadiomicsExtractor.regionNeeded(grid: grid, roiBox: box, parameters: p) ?? BoundingBox(size: grid.size)
            }
        }
        let loaded = try CaseLoader.load(request.input, extent: extent)
        let image = loaded.reference, mask = loaded.tumour, source = loaded.maskSources[.tumour]!
        let maskPath = request.input.masks[.tumour]!.path
        var warnings = loaded.warnings
        if let p = request.pyradiomics, !p.warnings.isEmpty {
            warnings.append("parameter file: keys not used by this version: \(p.warnings.joined(separator: ", "))")
        }
        if !request.settings.unknownKeys.isEmpty {
            warnings.append("parameter file: keys not used by this version: \(request.settings.unknownKeys.joined(separator: ", "))")
        }
        var diagnostics: [(key: String, value: OutputValue)] = [
            ("case_id", .text(loaded.caseID)),
            ("image_format", .text(image.format.rawValue)),
        ]
        if !image.transferSyntaxes.isEmpty {
            diagnostics.append(("image_transfer_syntaxes", .text(image.transferSyntaxes.joined(separator: " "))))
        }
        diagnostics.append(("mask_format", .text(source.kind.rawValue)))
        if let name = source.roiName { diagnostics.append(("mask_roi", .text(name))) }
        if let label = source.label { diagnostics.append(("mask_label", .int(label))) }
        diagnostics.append(("mask_resampled", .int(source.resampled ? 1 : 0)))
        let features: [FeatureValue]
        do {
            diagnostics += try InputDiagnostics.compute(image: image.image, mask: mask, fullGeometry: image.fullGeometry,
                                                        offset: loaded.offset)
            if let parameters = request.pyradiomics {
                let extracted = try PyRadiomicsExtractor.extract(
                    source: PyRadiomicsSource(image.image, whole: image.fullGeometry, offset: loaded.offset,
                                              wholeExtremes: image.wholeExtremes), mask: mask,
                    maskOffset: loaded.offset, parameters: parameters)
                diagnostics += extracted.diagnostics
                warnings += extracted.warnings
                features = extracted.features.map { (tag: $0.key, value: $0.value) }
            } else {
                let extracted = try FeatureExtractor.extract(image: image.image, mask: mask, settings: request.settings)
                diagnostics += extracted.diagnostics.map { ($0.tag, OutputValue.double($0.value)) }
                features = extracted.features
            }
        } catch let e as RadiomicsError {
            throw e.naming(maskPath)
        }
        var result = ExtractionResult(caseID: loaded.caseID, diagnostics: diagnostics,
                                      features: features.map { ($0.tag, $0.value) })
        // PyRadiomics' CSV output starts with the image and mask paths.
        if request.pyradiomics != nil { result.inputColumns = [("Image", image.path), ("Mask", maskPath)] }
        return CaseOutcome(result: result, warnings: warnings)
    }

    /// A case identifier from a path: the file name without NIfTI/DICOM extensions, or the folder name.
    public static func caseID(for path: String) -> String {
        var name = PathText.lastComponent(path)
        for ext in [".nii.gz", ".nii", ".dcm", ".nrrd"] where name.lowercased().hasSuffix(ext) {
            name = String(name.dropLast(ext.count))
        }
        return name
    }
}
