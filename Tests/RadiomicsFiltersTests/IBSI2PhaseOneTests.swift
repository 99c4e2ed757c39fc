import Foundation
import RadiomicsCore
import RadiomicsIO
import Testing
import TestSupport
@testable import RadiomicsFilters

/// IBSI 2 phase 1: each filter on the digital phantoms against the published response maps
/// (../shared/data/ibsi2/reference_response_maps). A test passes when every voxel is within 1% of the reference
/// map's intensity range (IBSI2_FILTERS.md, section 3).
@Suite(.enabled(if: SharedData.ibsi2Available, Comment(rawValue: SharedData.missingReason)))
struct IBSI2PhaseOneTests {
    static func image(_ name: String) throws -> FilterImage {
        switch try Nifti.read(path: SharedData.path("data/ibsi2/phase1/\(name).nii.gz")) {
        case .int16(let v): return FilterImage(v)
        case .float(let v): return FilterImage(v)
        }
    }

    static func reference(_ id: String) throws -> [Double] {
        switch try Nifti.read(path: SharedData.path("data/ibsi2/reference_response_maps/\(id).nii.gz")) {
        case .int16(let v): return v.voxels.map(Double.init)
        case .float(let v): return v.voxels.map(Double.init)
        }
    }

    /// max |ours - reference| / (reference range).
    static func score(_ id: String, phantom: String, _ filter: any ImageFilter) throws -> Double {
        let ours = filter.response(try image(phantom))
        let ref = try reference(id)
        let range = ref.max()! - ref.min()!
        var worst = 0.0
        for i in 0..<ref.count { worst = max(worst, abs(ours[i] - ref[i])) }
        return worst / range
    }

    static let tests: [(id: String, phantom: String, filter: @Sendable () throws -> any ImageFilter)] = [
        ("1a1", "checkerboard", { try MeanFilter(support: 15, dimensions: .threeD, boundary: .zero) }),
        ("1a2", "checkerboard", { try MeanFilter(support: 15, dimensions: .threeD, boundary: .nearest) }),
        ("1a3", "checkerboard", { try MeanFilter(support: 15, dimensions: .threeD, boundary: .periodic) }),
        ("1a4", "checkerboard", { try MeanFilter(support: 15, dimensions: .threeD, boundary: .mirror) }),
        ("1b1", "impulse", { try MeanFilter(support: 15, dimensions: .twoD, boundary: .zero) }),
        ("2a", "impulse", { try LoGFilter(sigmaMM: 3, dimensions: .threeD, boundary: .zero) }),
        ("2b", "checkerboard", { try LoGFilter(sigmaMM: 5, dimensions: .threeD, boundary: .mirror) }),
        ("2c", "checkerboard", { try LoGFilter(sigmaMM: 5, dimensions: .twoD, boundary: .mirror) }),
        ("3a1", "impulse", { try LawsFilter(kernel: "E5L5S5", dimensions: .threeD, boundary: .zero, rotationInvariant: false, energyDelta: nil) }),
        ("3a2", "impulse", { try LawsFilter(kernel: "E5L5S5", dimensions: .threeD, boundary: .zero, rotationInvariant: true, energyDelta: nil) }),
        ("3a3", "impulse", { try LawsFilter(kernel: "E5L5S5", dimensions: .threeD, boundary: .zero, rotationInvariant: true, energyDelta: 7) }),
        ("3b1", "checkerboard", { try LawsFilter(kernel: "E3W5R5", dimensions: .threeD, boundary: .mirror, rotationInvariant: false, energyDelta: nil) }),
        ("3b2", "checkerboard", { try LawsFilter(kernel: "E3W5R5", dimensions: .threeD, boundary: .mirror, rotationInvariant: true, energyDelta: nil) }),
        ("3b3", "checkerboard", { try LawsFilter(kernel: "E3W5R5", dimensions: .threeD, boundary: .mirror, rotationInvariant: true, energyDelta: 7) }),
        ("3c1", "checkerboard", { try LawsFilter(kernel: "L5S5", dimensions: .twoD, boundary: .mirror, rotationInvariant: false, energyDelta: nil) }),
        ("3c2", "checkerboard", { try LawsFilter(kernel: "L5S5", dimensions: .twoD, boundary: .mirror, rotationInvariant: true, energyDelta: nil) }),
        ("3c3", "checkerboard", { try LawsFilter(kernel: "L5S5", dimensions: .twoD, boundary: .mirror, rotationInvariant: true, energyDelta: 7) }),
        ("5a1", "impulse", { try WaveletFilter(wavelet: "db2", decomposition: "LHL", level: 1, dimensions: .threeD, boundary: .zero, rotationInvariant: false) }),
        ("5a2", "impulse", { try WaveletFilter(wavelet: "db2", decomposition: "LHL", level: 1, dimensions: .threeD, boundary: .zero, rotationInvariant: true) }),
        ("6a1", "sphere", { try WaveletFilter(wavelet: "coif1", decomposition: "HHL", level: 1, dimensions: .threeD, boundary: .periodic, rotationInvariant: false) }),
        ("6a2", "sphere", { try WaveletFilter(wavelet: "coif1", decomposition: "HHL", level: 1, dimensions: .threeD, boundary: .periodic, rotationInvariant: true) }),
        ("7a1", "checkerboard", { try WaveletFilter(wavelet: "haar", decomposition: "LLL", level: 2, dimensions: .threeD, boundary: .mirror, rotationInvariant: true) }),
        ("4a1", "impulse", { try GaborFilter(sigmaMM: 10, lambdaMM: 4, gamma: 0.5, theta: Double.pi / 3, thetaStep: nil, dimensions: .twoD, boundary: .zero) }),
        ("4a2", "impulse", { try GaborFilter(sigmaMM: 10, lambdaMM: 4, gamma: 0.5, theta: nil, thetaStep: Double.pi / 4, dimensions: .threeD, boundary: .zero) }),
        ("4b1", "sphere", { try GaborFilter(sigmaMM: 20, lambdaMM: 8, gamma: 2.5, theta: 5 * Double.pi / 4, thetaStep: nil, dimensions: .twoD, boundary: .mirror) }),
        ("4b2", "sphere", { try GaborFilter(sigmaMM: 20, lambdaMM: 8, gamma: 2.5, theta: nil, thetaStep: Double.pi / 8, dimensions: .threeD, boundary: .mirror) }),
        ("7a2", "checkerboard", { try WaveletFilter(wavelet: "haar", decomposition: "HHH", level: 2, dimensions: .threeD, boundary: .mirror, rotationInvariant: true) }),
        ("8a1", "checkerboard", { try SimoncelliFilter(level: 1, dimensions: .threeD, boundary: .periodic) }),
        ("8a2", "checkerboard", { try SimoncelliFilter(level: 2, dimensions: .threeD, boundary: .periodic) }),
        ("8a3", "checkerboard", { try SimoncelliFilter(level: 3, dimensions: .threeD, boundary: .periodic) }),
        ("9a", "impulse", { try RieszFilter(base: LoGFilter(sigmaMM: 3, dimensions: .threeD, boundary: .zero), order: [1, 0, 0], dimensions: .threeD) }),
        ("9b1", "sphere", { try RieszFilter(base: LoGFilter(sigmaMM: 3, dimensions: .threeD, boundary: .zero), order: [0, 2, 0], dimensions: .threeD) }),
        ("10b1", "pattern_1", { try RieszFilter(base: SimoncelliFilter(level: 1, dimensions: .threeD, boundary: .nearest), order: [0, 2, 0], dimensions: .threeD) }),
    ]

    @Test(arguments: tests.map(\.id)) func responseMapMatches(_ id: String) throws {
        let test = Self.tests.first { $0.id == id }!
        let score = try Self.score(id, phantom: test.phantom, try test.filter())
        print("IBSI 2 phase 1 \(id): max |difference| / range = \(score)")
        #expect(score <= 0.01, "\(id): \(score)")
    }
}
