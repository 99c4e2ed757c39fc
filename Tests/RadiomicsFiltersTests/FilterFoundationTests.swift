import Foundation
import RadiomicsCore
import Testing
@testable import RadiomicsFilters

/// The pieces every filter stands on: boundary conditions (IBSI2_FILTERS.md, section 1), one-dimensional passes,
/// the orientations pooled over. The filters themselves are checked against the IBSI 2 reference maps through the
/// shipped presets (RadiomicsPipelineTests, IBSI2PhaseOneTests).
@Suite struct FilterFoundationTests {
    @Test func boundaryConditionsExtendTheLineAsIBSIDefines() {
        // A line of 4: what stands at -3...6.
        func extended(_ b: BoundaryCondition) -> [Int?] { (-3...6).map { b.index($0, 4) } }
        #expect(extended(.zero) == [nil, nil, nil, 0, 1, 2, 3, nil, nil, nil])
        #expect(extended(.nearest) == [0, 0, 0, 0, 1, 2, 3, 3, 3, 3])
        #expect(extended(.periodic) == [1, 2, 3, 0, 1, 2, 3, 0, 1, 2])
        // Mirror repeats the edge voxel: ... in[1], in[0] | in[0], in[1] ...
        #expect(extended(.mirror) == [2, 1, 0, 0, 1, 2, 3, 3, 2, 1])
        #expect(BoundaryCondition.mirror.index(-9, 4) == 0 && BoundaryCondition.mirror.index(12, 4) == 3)
    }

    @Test func aPassIsAConvolutionNotACorrelation() {
        // An impulse convolved with an antisymmetric kernel gives the kernel itself, not its mirror image.
        let size = SIMD3(7, 1, 1)
        var impulse = [Double](repeating: 0, count: 7)
        impulse[3] = 1
        let e3 = Kernel1D(taps: [-1, 0, 1])
        #expect(SeparableConvolution.pass(impulse, size: size, axis: 0, kernel: e3, boundary: .zero) == [0, 0, -1, 0, 1, 0, 0])
        // Dilation 2, anchor floor(n/2) scaled alike (the wavelet rule).
        let dilated = Kernel1D(taps: [1, 2], dilation: 2)
        // out[p] = sum_k f[k] in[p + m (anchor - k)]: f[0] lands m voxels before the impulse, f[1] on it.
        #expect(SeparableConvolution.pass(impulse, size: size, axis: 0, kernel: dilated, boundary: .zero) == [0, 1, 0, 2, 0, 0, 0])
    }

    @Test func theRotationsAreTheCubesProperOnesAndUndoThemselves() {
        let three = GridOrientation.rotations(.threeD), two = GridOrientation.rotations(.twoD)
        #expect(three.count == 24 && two.count == 4)
        #expect(Set(three.map { "\($0.permutation)\($0.flipped)" }).count == 24)
        let size = SIMD3(4, 3, 2)
        let values = (0..<24).map(Double.init)
        for o in three {
            let turned = o.apply(values, size: size)
            #expect(o.undo(turned, orientedSize: o.size(size)) == values)
        }
    }
}
