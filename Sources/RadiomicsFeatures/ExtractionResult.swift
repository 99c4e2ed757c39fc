import RadiomicsCore

/// A value in the output tables: diagnostics are numbers, lists or text; features are numbers.
public enum OutputValue: Equatable, Sendable {
    case int(Int)
    case double(Double)
    case text(String)
    case ints([Int])
    case doubles([Double])
}

/// Everything extracted from one case, in output order.
public struct ExtractionResult: Sendable {
    public var caseID: String
    /// Columns written first in CSV, without prefix: PyRadiomics' `Image` and `Mask` in its mode.
    public var inputColumns: [(key: String, value: String)] = []
    public var diagnostics: [(key: String, value: OutputValue)]
    public var features: [(key: String, value: Double)]

    public init(caseID: String, diagnostics: [(key: String, value: OutputValue)] = [],
                features: [(key: String, value: Double)] = []) {
        self.caseID = caseID
        self.diagnostics = diagnostics
        self.features = features
    }

    public func diagnostic(_ key: String) -> OutputValue? { diagnostics.first { $0.key == key }?.value }
    public func feature(_ key: String) -> Double? { features.first { $0.key == key }?.value }
}

/// The diagnostics every extraction reports about its input, before any processing.
public enum InputDiagnostics {
    /// `image_size` [x, y, z] voxels, `image_spacing` [x, y, z] mm, `image_origin` (LPS mm),
    /// `image_direction` (row-major), `roi_voxels`, `roi_bounding_box` [x0, y0, z0, x1, y1, z1],
    /// `roi_mean`, `roi_min`, `roi_max` (image units, e.g. HU). The mask must be on the image grid and non-empty.
    /// When only part of the image was read (`image` is the sub-grid starting at voxel `offset` of `fullGeometry`),
    /// the image entries describe the whole image and the bounding box is in its indices.
    public static func compute(image: ScalarImage, mask: Mask, fullGeometry: ImageGeometry? = nil,
                               offset: SIMD3<Int> = .zero) throws -> [(key: String, value: OutputValue)] {
        guard mask.geometry.size == image.geometry.size else {
            throw RadiomicsError("mask grid \(mask.geometry.size) differs from image grid \(image.geometry.size)")
        }
        let g = fullGeometry ?? image.geometry
        guard let inPart = mask.boundingBox, let stats = RegionStatistics(image: image, mask: mask, box: inPart) else {
            throw RadiomicsError("empty mask: the region has no voxel")
        }
        let box = BoundingBox(lower: inPart.lower &+ offset, upper: inPart.upper &+ offset)
        return [
            ("image_size", .ints([g.size.x, g.size.y, g.size.z])),
            ("image_spacing", .doubles([g.spacing.x, g.spacing.y, g.spacing.z])),
            ("image_origin", .doubles([g.origin.x, g.origin.y, g.origin.z])),
            ("image_direction", .doubles(g.direction.rowMajor)),
            ("roi_voxels", .int(stats.count)),
            ("roi_bounding_box", .ints(box.flat)),
            ("roi_mean", .double(stats.mean)),
            ("roi_min", .double(stats.minimum)),
            ("roi_max", .double(stats.maximum)),
        ]
    }
}
