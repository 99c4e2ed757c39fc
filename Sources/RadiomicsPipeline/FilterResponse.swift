import Foundation
import RadiomicsCore
import RadiomicsFeatures
import RadiomicsFilters
import RadiomicsIO

/// `radiomics filter`: one filter of a parameter file on a whole image, its response map written as float32 NIfTI
/// on the image's grid (for inspection, and IBSI 2 phase 1).
public enum FilterResponse {
    /// Writes the response of filter number `index` (0-based) of `parameters`'s `filters` list; returns its name.
    @discardableResult
    public static func write(image path: String, series: String? = nil, parameters: String, index: Int = 0, to output: String) throws -> String {
        let settings = try ExtractionSettings.load(path: parameters)
        guard !settings.filters.isEmpty else { throw RadiomicsError(file: parameters, "no filters: add a 'filters' list") }
        guard settings.filters.indices.contains(index) else {
            throw RadiomicsError(file: parameters, "there is no filter \(index + 1): the file lists \(settings.filters.count)")
        }
        let filter = try settings.filters[index].make()
        let loaded = try ImageReader.read(path: path, seriesUID: series)
        let g = loaded.image.geometry
        try filter.checkReach(spacing: g.spacing)
        // The image as Double, the response, and the written float copy.
        try ResourceLimits.check(product: [g.size.x, g.size.y, g.size.z], bytesEach: 8 * 3 + 4, for: "filtering the whole image", file: path)
        let response = filter.response(FilterImage(loaded.image.doubleVolume))
        try Nifti.write(Volume(geometry: g, voxels: response.map { Float($0) }), to: output)
        return filter.name
    }
}
