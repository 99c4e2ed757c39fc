import Foundation
import RadiomicsCore
@testable import RadiomicsFeatures
import Testing
import TestSupport

/// PyRadiomics' preprocessing against SimpleITK/PyRadiomics 3.1 on its test cases. Reference numbers from
/// (pyradiomics-bhklab 3.1.4, SimpleITK 2.x, in a venv):
///   m = imageoperations.getMask(sitk.ReadImage(label), label=1)
///   ri, rm = imageoperations.resampleImage(sitk.ReadImage(image), m, resampledPixelSpacing=[2, 2, 2],
///                                          interpolator='sitkBSpline', padDistance=5, label=1)
///   a = GetArrayFromImage(ri).astype(float64); b = GetArrayFromImage(rm) == 1
///   print(ri.GetSize(), b.sum(), a.sum(), a[b].sum(), (a * a).sum())
///   n = imageoperations.normalizeImage(sitk.ReadImage(image), normalizeScale=100); GetArrayFromImage(n).ravel()[12345]
@Suite struct PyRadiomicsPreprocessingTests {
    static let expected: [String: (size: SIMD3<Int>, roi: Int, sum: Double, roiSum: Double, sumSquares: Double, normalised12345: Double)] = [
        "brain1": (SIMD3(30, 39, 34), 1915, 23824908.0, 1571322.0, 16540250390.0, -93.06729358255664),
        "brain2": (SIMD3(20, 18, 22), 207, 3252314.0, 81521.0, 1647704324.0, -86.22914557684871),
        "breast1": (SIMD3(14, 16, 16), 23, 219305.0, 2902.0, 14109433.0, 3.2260498488892084),
    ]

    @Test(.enabled(if: PyRadiomicsReference.available, "PyRadiomics reference data absent (../shared/data/pyradiomics)"),
          arguments: PyRadiomicsReference.cases)
    func bsplineResamplingAndNormalisationMatchSimpleITK(caseName: String) throws {
        let (image, labels) = try PyRadiomicsReference.load(caseName)
        let mask = Mask(geometry: labels.geometry, voxels: labels.voxels.map { $0 == 1 ? 1 : 0 })
        let e = try #require(Self.expected[caseName])
        let r = try PyRadiomicsResampling.resample(image: PyRadiomicsSource(image, pixelType: .int16), mask: mask, box: try #require(mask.boundingBox),
                                                   spacing: [2, 2, 2], interpolator: .bspline, padDistance: 5)
        #expect(r.image.size == e.size)
        #expect(r.mask.regionVoxelCount == e.roi)
        let sum = r.image.voxels.reduce(0, +)
        let roiSum = zip(r.image.voxels, r.mask.voxels).reduce(0.0) { $0 + ($1.1 != 0 ? $1.0 : 0) }
        let squares = r.image.voxels.reduce(0) { $0 + $1 * $1 }
        #expect(sum == e.sum && roiSum == e.roiSum && squares == e.sumSquares, "\(caseName): \(sum) \(roiSum) \(squares)")
        let n = PyRadiomicsPreprocessing.normalized(image, scale: 100, removeOutliers: nil)
        #expect(PyRadiomicsReference.agrees(n.voxels[12345], e.normalised12345, relative: 1e-9), "\(n.voxels[12345])")
    }
}
