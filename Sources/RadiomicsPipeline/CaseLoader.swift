import Foundation
import RadiomicsCore
import RadiomicsIO

/// How much of a case's images to read.
public enum ReadExtent: Sendable {
    /// Every slice of every image.
    case wholeImage
    /// The slices the tumour spans plus `marginMM` above and below (whole slices: readers read slices), and
    /// of the other phases the slices covering that region: the tumour's neighbourhood, not whole volumes.
    case tumourSlices(marginMM: Double)
    /// The slices `choose` picks, given the whole reference grid and the slices the tumour spans (it returns at
    /// least those, within the grid): for work whose reach is set by its settings (PyRadiomics' filters and
    /// resampling). Of the other phases, the slices covering the same slices are read.
    case slices(@Sendable (ImageGeometry, ClosedRange<Int>) -> ClosedRange<Int>)
    /// The box `choose` picks, given the whole reference grid and the tumour's box (it returns at least that box,
    /// within the grid): for work whose reach around the tumour is set by its settings, in every direction
    /// (PyRadiomics' filters and resampling). A NIfTI image is read over the box alone, a DICOM series over its
    /// slices; the masks are cut to what was read. With `wholeExtremes` the reference image's smallest and largest
    /// value over the whole grid come too (`LoadedImage.wholeExtremes`). Of the other phases, the slices covering
    /// what was read are read.
    case region(wholeExtremes: Bool, @Sendable (ImageGeometry, BoundingBox) -> BoundingBox)

    /// The slices to read of a reference grid, given those the tumour spans; nil for the whole image.
    func choose(_ grid: ImageGeometry, tumour z: ClosedRange<Int>) -> ClosedRange<Int>? {
        switch self {
        case .wholeImage: return nil
        case .tumourSlices(let margin):
            let extra = Int((margin / grid.spacing.z).rounded(.up))
            return max(0, z.lowerBound - extra)...min(grid.size.z - 1, z.upperBound + extra)
        case .slices(let choose): return choose(grid, z)
        case .region: return z
        }
    }

    /// What to read of the reference image, given the tumour's mask as read (over the slices from `choose`,
    /// starting at `offset` of the grid).
    func box(_ grid: ImageGeometry, tumour mask: Mask, offset: SIMD3<Int>) -> BoundingBox {
        guard case .region(_, let choose) = self, let box = mask.boundingBox else {
            return grid.zSlab(offset.z...(offset.z + mask.size.z - 1))
        }
        return choose(grid, box.shifted(by: offset))
    }

    var wholeExtremes: Bool {
        if case .region(true, _) = self { return true }
        return false
    }
}

/// A case read from its files: the reference phase with the masks on its grid (the slices read), and the
/// other phases as read on their own grids, resampled onto the reference grid only where asked
/// (`image(_:in:)`).
public struct LoadedCase: Sendable {
    public var input: CaseInput
    public var caseID: String
    public var referencePhase: CasePhase
    /// Every phase as read (the reference's slices, and the slices of the others covering the same region).
    public var phases: [CasePhase: LoadedImage]
    /// Masks by role on the reference grid as read (`grid`).
    public var masks: [MaskRole: Mask]
    public var maskSources: [MaskRole: MaskSource]
    /// Where the reference grid as read starts in the reference image's whole grid.
    public var offset: SIMD3<Int>
    /// Things worth telling the user that did not stop the load.
    public var warnings: [String]

    public init(input: CaseInput, caseID: String, referencePhase: CasePhase, phases: [CasePhase: LoadedImage],
                masks: [MaskRole: Mask], maskSources: [MaskRole: MaskSource], offset: SIMD3<Int>, warnings: [String]) {
        self.input = input
        self.caseID = caseID
        self.referencePhase = referencePhase
        self.phases = phases
        self.masks = masks
        self.maskSources = maskSources
        self.offset = offset
        self.warnings = warnings
    }

    /// A case already in memory (synthetic cases, tests): images by phase, masks on the reference phase's grid.
    public init(caseID: String, images: [CasePhase: ScalarImage], masks: [MaskRole: Mask]) {
        let reference: CasePhase = images[.arterial] != nil ? .arterial : .image
        let phases = images.mapValues { LoadedImage(image: $0, format: .nifti, path: "<memory>") }
        self.init(input: CaseInput(caseID: caseID, images: images.mapValues { _ in ImageInput(path: "<memory>") },
                                   masks: masks.mapValues { _ in MaskInput(path: "<memory>") }),
                  caseID: caseID, referencePhase: reference, phases: phases, masks: masks, maskSources: [:], offset: .zero,
                  warnings: [])
    }

    public var reference: LoadedImage { phases[referencePhase]! }
    /// The reference grid as read: every mask and every `image(_:in:)` lives on it.
    public var grid: ImageGeometry { reference.image.geometry }
    public var tumour: Mask { masks[.tumour]! }

    /// A phase's intensities over `box` of the reference grid, on `grid.subGrid(box)`: the reference phase as
    /// stored, another phase resampled trilinearly through patient coordinates (NaN where it has no data).
    public func image(_ phase: CasePhase, in box: BoundingBox) -> Volume<Float>? {
        guard let loaded = phases[phase] else { return nil }
        let target = grid.subGrid(box)
        // On the same lattice (the reference phase itself, or a phase with the same spacing and direction and voxel
        // centres coinciding): a crop, no interpolation.
        let source = loaded.image.geometry
        let start = source.continuousIndex(physical: target.origin)
        let whole = start.rounded(.toNearestOrAwayFromZero)
        if source.spacing == target.spacing, source.direction.maxDifference(target.direction) <= 1e-6,
           length(start - whole) < 1e-4 {
            let lower = SIMD3<Int>(whole)
            let crop = BoundingBox(lower: lower, upper: lower &+ box.size &- 1)
            if source.contains(crop.lower) && source.contains(crop.upper) {
                return Volume(geometry: target, voxels: loaded.image.croppedFloat(to: crop).voxels)
            }
        }
        return loaded.image.resampledLinear(onto: target)
    }
}

/// The one place that turns a case's paths into volumes and masks: reads the reference phase (only the slices
/// asked for), the masks onto its grid, the other phases over the same region, and checks that they fit
/// together (overlap, frame of reference, masks not empty, tumour inside the liver).
public enum CaseLoader {
    public static func load(_ input: CaseInput, extent: ReadExtent = .wholeImage) throws -> LoadedCase {
        try input.validate()
        let referencePhase = input.referencePhase
        let referenceInput = input.images[referencePhase]!
        let tumourInput = input.masks[.tumour]!
        var warnings: [String] = []

        // Reference phase: the tumour mask is read as soon as its grid is known (only the slices kept, where the
        // mask's format allows), so only the part the extent chooses is read.
        var early: (mask: Mask, source: MaskSource, offset: SIMD3<Int>)?
        let reference = try ImageReader.read(path: referenceInput.path, seriesUID: referenceInput.seriesUID,
                                             wholeExtremes: extent.wholeExtremes) { grid, frame -> BoundingBox? in
            if case .wholeImage = extent { return nil }
            let read = try readMask(tumourInput, role: .tumour, onto: grid, frameOfReferenceUID: frame) { z in
                extent.choose(grid, tumour: z)!
            }
            early = (read.mask, read.source, read.offset)
            return extent.box(grid, tumour: read.mask, offset: read.offset)
        }
        let full = reference.fullGeometry
        // What was read of the reference image (a DICOM series gives whole slices, or everything): the masks are
        // held over the same box.
        let held = BoundingBox(lower: reference.offset, upper: reference.offset &+ reference.image.geometry.size &- 1)
        func onHeld(_ mask: Mask, from offset: SIMD3<Int>) -> Mask {
            offset == held.lower && mask.size == held.size ? mask : mask.cut(to: held, from: offset, grid: full)
        }
        var masks: [MaskRole: Mask] = [:], sources: [MaskRole: MaskSource] = [:]
        if let early {
            masks[.tumour] = onHeld(early.mask, from: early.offset)
            sources[.tumour] = early.source
        } else {
            let read = try readMask(tumourInput, role: .tumour, onto: full, frameOfReferenceUID: reference.frameOfReferenceUID)
            masks[.tumour] = onHeld(read.mask, from: .zero)
            sources[.tumour] = read.source
        }
        if let liverInput = input.masks[.liver] {
            if held != BoundingBox(size: full.size) {
                let cut = try readMask(liverInput, role: .liver, onto: full, frameOfReferenceUID: reference.frameOfReferenceUID) { _ in
                    held.lower.z...held.upper.z
                }
                masks[.liver] = onHeld(cut.mask, from: cut.offset)
                sources[.liver] = cut.source
            } else {
                let read = try readMask(liverInput, role: .liver, onto: full, frameOfReferenceUID: reference.frameOfReferenceUID)
                masks[.liver] = read.mask
                sources[.liver] = read.source
            }
        }
        let offset = held.lower
        for role in MaskRole.allCases { warnings += sources[role]?.warnings ?? [] }
        warnings += skippedWarning(reference, seriesNamed: referenceInput.seriesUID != nil)
        if let liver = masks[.liver] { try checkTumourInLiver(masks[.tumour]!, liver, input) }

        // The other phases: the slices covering the tumour's region, checked for overlap and frame of reference.
        var phases: [CasePhase: LoadedImage] = [referencePhase: reference]
        let tumourBox = masks[.tumour]!.boundingBox!
        let readGrid = reference.image.geometry
        var region = tumourBox
        switch extent {
        case .wholeImage: break
        case .tumourSlices(let margin):
            let grow = SIMD3<Int>((SIMD3<Double>(repeating: margin) / readGrid.spacing).rounded(.up))
            region = tumourBox.expanded(by: grow, within: readGrid.size)
        case .slices, .region:
            region = BoundingBox(size: readGrid.size)
        }
        for (phase, image) in input.images.sorted(by: { $0.key < $1.key }) where phase != referencePhase {
            let loaded = try ImageReader.read(path: image.path, seriesUID: image.seriesUID) { grid, _ in
                guard grid.indexBox(covering: tumourBox, of: readGrid) != nil,
                      let covering = grid.indexBox(covering: region, of: readGrid, margin: 1) else {
                    throw RadiomicsError(file: image.path, "the \(phase.rawValue) phase does not overlap the tumour in the \(referencePhase.rawValue) phase (\(phase.rawValue) grid: \(grid); tumour at \(describe(tumourBox, on: readGrid)))")
                }
                if case .wholeImage = extent { return nil }
                return covering.lower.z...covering.upper.z
            }
            if let a = loaded.frameOfReferenceUID, let b = reference.frameOfReferenceUID, a != b {
                warnings.append("\(image.path): the \(phase.rawValue) phase's frame of reference (\(a)) differs from the \(referencePhase.rawValue) phase's (\(b)): another scan or another patient? Placed by patient coordinates; check the registration")
            }
            warnings += skippedWarning(loaded, seriesNamed: image.seriesUID != nil)
            phases[phase] = loaded
        }
        return LoadedCase(input: input, caseID: input.identifier, referencePhase: referencePhase, phases: phases,
                          masks: masks, maskSources: sources, offset: offset, warnings: warnings)
    }

    /// Reads a mask onto a grid; an empty region is an error naming the file.
    static func readMask(_ m: MaskInput, role: MaskRole, onto grid: ImageGeometry,
                         frameOfReferenceUID: String?) throws -> (mask: Mask, source: MaskSource) {
        let read = try MaskReader.read(path: m.path, onto: grid, roi: m.roi, label: m.label, frameOfReferenceUID: frameOfReferenceUID)
        guard read.mask.boundingBox != nil else { throw emptyMask(m, role) }
        return read
    }

    /// Reads the slices `keep` chooses of a mask on a grid, given those its region spans; an empty region is an
    /// error naming the file.
    static func readMask(_ m: MaskInput, role: MaskRole, onto grid: ImageGeometry, frameOfReferenceUID: String?,
                         keeping keep: (ClosedRange<Int>) -> ClosedRange<Int>) throws
        -> (mask: Mask, source: MaskSource, offset: SIMD3<Int>) {
        var spansSome = false
        let read = try MaskReader.read(path: m.path, onto: grid, roi: m.roi, label: m.label, frameOfReferenceUID: frameOfReferenceUID) { z in
            spansSome = true
            return keep(z)
        }
        guard spansSome else { throw emptyMask(m, role) }
        return read
    }

    static func emptyMask(_ m: MaskInput, _ role: MaskRole) -> RadiomicsError {
        RadiomicsError(file: m.path, "empty mask: the \(role.rawValue) region has no voxel on the image grid")
    }

    static func checkTumourInLiver(_ tumour: Mask, _ liver: Mask, _ input: CaseInput) throws {
        let total = tumour.regionVoxelCount
        var inside = 0
        for i in 0..<tumour.voxels.count where tumour.voxels[i] != 0 && liver.voxels[i] != 0 { inside += 1 }
        if inside == 0 {
            throw RadiomicsError(file: input.masks[.liver]!.path, "the tumour mask (\(input.masks[.tumour]!.path)) lies outside the liver mask: none of its \(total) voxels is in the liver")
        }
    }

    /// Files of a DICOM folder that are not DICOM are worth a warning, unless a series was named: then the
    /// folder is known to hold other things (an archive's study folder).
    static func skippedWarning(_ image: LoadedImage, seriesNamed: Bool) -> [String] {
        guard !image.skippedFiles.isEmpty, !seriesNamed else { return [] }
        let names = image.skippedFiles.prefix(5).map { PathText.lastComponent($0) }.joined(separator: ", ")
        return ["\(image.path): left out \(image.skippedFiles.count) file(s) that are not DICOM (\(names)\(image.skippedFiles.count > 5 ? ", ..." : ""))"]
    }

    static func describe(_ box: BoundingBox, on grid: ImageGeometry) -> String {
        let a = grid.physicalPoint(index: SIMD3<Double>(box.lower)), b = grid.physicalPoint(index: SIMD3<Double>(box.upper))
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        return "x \(f(min(a.x, b.x)))..\(f(max(a.x, b.x))), y \(f(min(a.y, b.y)))..\(f(max(a.y, b.y))), z \(f(min(a.z, b.z)))..\(f(max(a.z, b.z))) mm"
    }
}
