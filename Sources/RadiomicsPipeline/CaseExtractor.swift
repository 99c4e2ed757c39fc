import Foundation
import RadiomicsCore
import RadiomicsFeatures
import RadiomicsIO

/// One case to extract: an image, a mask and how to pick the ROI.
public struct CaseRequest: Sendable {
    public var imagePath: String
    public var maskPath: String
    public var roi: String?
    public var label: Int?
    public var seriesUID: String?
    public var settings: ExtractionSettings
    /// When set, the case is extracted as PyRadiomics does it, with its keys (`original_<class>_<Feature>`).
    public var pyradiomics: PyRadiomicsParameters?
    /// Identifier written to the output; defaults to the image's file or folder name.
    public var caseID: String?

    public init(imagePath: String, maskPath: String, roi: String? = nil, label: Int? = nil, seriesUID: String? = nil,
                settings: ExtractionSettings = ExtractionSettings(), pyradiomics: PyRadiomicsParameters? = nil,
                caseID: String? = nil) {
        self.pyradiomics = pyradiomics
        self.imagePath = imagePath
        self.maskPath = maskPath
        self.roi = roi
        self.label = label
        self.seriesUID = seriesUID
        self.settings = settings
        self.caseID = caseID
    }
}

/// The result of a case and the warnings met on the way.
public struct CaseOutcome: Sendable {
    public var result: ExtractionResult
    public var warnings: [String]
}

/// Files -> image and mask on one grid -> diagnostics and features.
public enum CaseExtractor {
    public static func run(_ request: CaseRequest) throws -> CaseOutcome {
        let label = request.label ?? request.pyradiomics.map(\.settings.label) ?? request.settings.label
        let roi = request.roi ?? request.settings.roi
        // PyRadiomics' extraction without normalisation or resampling sees only the ROI's bounding box: the mask is
        // read as soon as the image's grid is known, and only the slices the ROI spans are read and decoded.
        var early: (mask: Mask, source: MaskSource)?
        var slab: ClosedRange<Int>?
        let image = try ImageReader.read(path: request.imagePath, seriesUID: request.seriesUID) { grid, frameOfReference in
            guard let p = request.pyradiomics, !needsWholeImage(p.settings) else { return nil }
            let read = try MaskReader.read(path: request.maskPath, onto: grid, roi: roi, label: label,
                                           frameOfReferenceUID: frameOfReference)
            early = read
            slab = read.mask.boundingBox.map { $0.lower.z...$0.upper.z }
            return slab
        }
        var (mask, source) = try early ?? MaskReader.read(path: request.maskPath, onto: image.image.geometry, roi: roi,
                                                          label: label, frameOfReferenceUID: image.frameOfReferenceUID)
        var offset = SIMD3<Int>.zero
        if let z = slab {
            let n = mask.size
            mask = mask.cropped(to: BoundingBox(lower: SIMD3(0, 0, z.lowerBound), upper: SIMD3(n.x - 1, n.y - 1, z.upperBound)))
            offset.z = z.lowerBound
        }
        var warnings = source.warnings
        if !image.skippedFiles.isEmpty {
            let names = image.skippedFiles.prefix(5).map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
            warnings.append("\(request.imagePath): left out \(image.skippedFiles.count) file(s) that are not DICOM (\(names)\(image.skippedFiles.count > 5 ? ", ..." : ""))")
        }
        if let p = request.pyradiomics, !p.warnings.isEmpty {
            warnings.append("parameter file: keys not used by this version: \(p.warnings.joined(separator: ", "))")
        }
        if !request.settings.unknownKeys.isEmpty {
            warnings.append("parameter file: keys not used by this version: \(request.settings.unknownKeys.joined(separator: ", "))")
        }
        var diagnostics: [(key: String, value: OutputValue)] = [
            ("case_id", .text(request.caseID ?? caseID(for: request.imagePath))),
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
                                                        offset: offset)
            if let parameters = request.pyradiomics {
                let (volume, roiMask, pixelType) = pyradiomicsInput(image.image, mask: mask, settings: parameters.settings)
                let extracted = try PyRadiomicsExtractor.extract(image: volume, pixelType: pixelType, mask: roiMask, parameters: parameters)
                diagnostics += extracted.diagnostics
                warnings += extracted.warnings
                features = extracted.features.map { (tag: $0.key, value: $0.value) }
            } else {
                let extracted = try FeatureExtractor.extract(image: image.image, mask: mask, settings: request.settings)
                diagnostics += extracted.diagnostics.map { ($0.tag, OutputValue.double($0.value)) }
                features = extracted.features
            }
        } catch let e as RadiomicsError {
            throw e.naming(request.maskPath)
        }
        var result = ExtractionResult(caseID: request.caseID ?? caseID(for: request.imagePath), diagnostics: diagnostics,
                                      features: features.map { ($0.tag, $0.value) })
        // PyRadiomics' CSV output starts with the image and mask paths.
        if request.pyradiomics != nil { result.inputColumns = [("Image", request.imagePath), ("Mask", request.maskPath)] }
        return CaseOutcome(result: result, warnings: warnings)
    }

    /// Does PyRadiomics' preprocessing look beyond the ROI's bounding box? Normalisation uses whole-image
    /// statistics and resampling aligns its grid to the whole image.
    static func needsWholeImage(_ s: PyRadiomicsSettings) -> Bool {
        s.normalize || (s.resampledPixelSpacing != nil && s.interpolator != nil)
    }

    /// The part of the image PyRadiomics' preprocessing can see: the whole image when it normalises (whole-image
    /// statistics) or resamples (the new grid is aligned to the whole image), else the ROI's bounding box, which
    /// gives the same features without a copy of the whole volume (padDistance only matters for resampling).
    static func pyradiomicsInput(_ image: ScalarImage, mask: Mask, settings s: PyRadiomicsSettings)
        -> (Volume<Double>, Mask, PyRadiomicsPixelType) {
        let pixelType: PyRadiomicsPixelType
        switch image {
        case .int16: pixelType = .int16
        case .float: pixelType = .float32
        }
        guard !needsWholeImage(s), let box = mask.boundingBox else {
            return (image.cropped(to: BoundingBox(size: image.geometry.size)), mask, pixelType)
        }
        return (image.cropped(to: box), mask.cropped(to: box), pixelType)
    }

    /// A case identifier from a path: the file name without NIfTI/DICOM extensions, or the folder name.
    public static func caseID(for path: String) -> String {
        var name = (path as NSString).lastPathComponent
        for ext in [".nii.gz", ".nii", ".dcm", ".nrrd"] where name.lowercased().hasSuffix(ext) {
            name = String(name.dropLast(ext.count))
        }
        return name
    }
}
