import Foundation
import RadiomicsCore
import RadiomicsIO

/// An image of a case: a DICOM directory or file, or a NIfTI file, and which series when a directory holds several.
public struct ImageInput: Sendable, Equatable, Codable {
    public var path: String
    public var seriesUID: String?
    public init(path: String, seriesUID: String? = nil) {
        self.path = path
        self.seriesUID = seriesUID
    }
}

/// A mask of a case: an RTSTRUCT, DICOM SEG or NIfTI label file and how to pick the region in it.
public struct MaskInput: Sendable, Equatable, Codable {
    public var path: String
    /// RTSTRUCT ROI name (needed when the file holds several).
    public var roi: String?
    /// SEG segment number, or NIfTI label value (nil: any non-zero voxel / the only segment).
    public var label: Int?
    public init(path: String, roi: String? = nil, label: Int? = nil) {
        self.path = path
        self.roi = roi
        self.label = label
    }
}

/// A case's inputs: images by phase and masks by role. A one-image case has `.image`; a multiphase case has
/// `.arterial` (required) and optionally `.portal` and `.precontrast`. The tumour mask is required; a liver
/// mask is optional. Every command that reads a case (extract, snapshot, ibsi-check, vasc, batch) describes
/// it with this type and loads it with `CaseLoader`.
public struct CaseInput: Sendable, Equatable, Codable {
    public var caseID: String?
    public var images: [CasePhase: ImageInput]
    public var masks: [MaskRole: MaskInput]

    public init(caseID: String? = nil, images: [CasePhase: ImageInput], masks: [MaskRole: MaskInput]) {
        self.caseID = caseID
        self.images = images
        self.masks = masks
    }

    /// A one-image case: an image and its tumour (ROI) mask.
    public init(caseID: String? = nil, image: ImageInput, mask: MaskInput) {
        self.init(caseID: caseID, images: [.image: image], masks: [.tumour: mask])
    }

    /// The phase whose grid the case is measured on: the arterial phase of a multiphase case, else the image.
    public var referencePhase: CasePhase { images[.arterial] != nil ? .arterial : .image }

    /// The identifier written to outputs: `caseID`, else for a one-image case the image's file or folder name,
    /// for a multiphase case the name of the folder that holds the arterial phase (archives keep a case's
    /// phases together: `HCC-012/arterial/`, `HCC-012/portal.nii.gz`).
    public var identifier: String {
        if let caseID { return caseID }
        if let arterial = images[.arterial] {
            let parent = PathText.parent(arterial.path)
            let name = PathText.lastComponent(parent)
            return name.isEmpty || name == "." || name == "/" ? CaseExtractor.caseID(for: arterial.path) : name
        }
        return images[.image].map { CaseExtractor.caseID(for: $0.path) } ?? "case"
    }

    /// The same case with every relative path made absolute against `folder` (a stored case must not depend on
    /// the working directory of the command that reads it later).
    public func resolvingPaths(against folder: String) -> CaseInput {
        func absolute(_ path: String) -> String { CaseManifest.resolve(path, folder: folder) }
        var out = self
        out.images = images.mapValues { ImageInput(path: absolute($0.path), seriesUID: $0.seriesUID) }
        out.masks = masks.mapValues { MaskInput(path: absolute($0.path), roi: $0.roi, label: $0.label) }
        return out
    }

    /// Checks that the case names what it needs: a reference image, a tumour mask, and no `.image` beside phases.
    public func validate() throws {
        guard images[referencePhase] != nil else {
            throw RadiomicsError("case \(identifier): no arterial-phase image (or single image) given")
        }
        if images[.image] != nil && images.count > 1 {
            throw RadiomicsError("case \(identifier): a single image and contrast phases cannot be mixed")
        }
        guard masks[.tumour] != nil else { throw RadiomicsError("case \(identifier): no tumour mask given") }
    }
}
