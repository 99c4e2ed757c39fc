import Foundation
import RadiomicsCore
import RadiomicsPipeline
import Testing
import Vascularization

/// Cases from a second, much plainer generator written here and never used for tuning: a block of liver with a
/// spherical tumour, no other anatomy, noise white or spatially correlated (as reconstruction kernels make it).
/// The rules must not depend on the main generator's particulars.
@Suite struct OtherGeneratorTests {
    struct Plain {
        var type: Int
        var seed: UInt64
        var correlatedNoise: Bool

        func make() -> LoadedCase {
            var r = SeededRandom(seed: seed &* 7 &+ UInt64(type))
            func u(_ a: Double, _ b: Double) -> Double { a + (b - a) * r.uniform() }
            let spacing = SIMD3<Double>(0.9, 0.9, 2.5)
            let g = ImageGeometry(size: [110, 110, 40], spacing: spacing, origin: .zero)
            let centre = SIMD3<Double>(55, 55, 20) * spacing
            let radius = u(10, 22)
            let liverPre = u(50, 60), liverArt = liverPre + u(15, 25), liverPv = liverPre + u(50, 60)
            let liver = [CasePhase.precontrast: liverPre, .arterial: liverArt, .portal: liverPv]
            // Septa for type 3: planes through the centre region.
            let planes = (0..<3).map { _ -> (SIMD3<Double>, Double) in
                var v = SIMD3<Double>(u(-1, 1), u(-1, 1), u(-1, 1))
                v /= max(length(v), 1e-6)
                return (v, u(-0.3, 0.3) * radius)
            }
            let sd = u(10, 20)
            var images: [CasePhase: ScalarImage] = [:]
            var mask = Mask(geometry: g, repeating: 0)
            for phase in CasePhase.contrastPhases {
                var v = Volume<Float>(geometry: g, repeating: 0)
                var noise = (0..<g.voxelCount).map { _ in Float(r.normal() * sd) }
                if correlatedNoise {
                    // Neighbour averaging in-plane, rescaled to the same SD.
                    let blurred = Volume(geometry: g, voxels: noise).gaussianSmoothed(sigma: SIMD3(0.9, 0.9, 0))
                    let s = (blurred.voxels.reduce(0) { $0 + Double($1 * $1) } / Double(g.voxelCount)).squareRoot()
                    noise = blurred.voxels.map { $0 * Float(sd / s) }
                }
                for k in 0..<40 { for j in 0..<110 { for i in 0..<110 {
                    let p = SIMD3<Double>(Double(i), Double(j), Double(k)) * spacing
                    let d = length(p - centre)
                    var hu = liver[phase]!
                    if d <= radius {
                        if phase == .arterial { mask[i, j, k] = 1 }
                        let l = liver[phase]!
                        switch (type, phase) {
                        case (1, .arterial): hu = l - 15
                        case (2, .arterial): hu = l + 40
                        case (3, .arterial):
                            hu = l + 10
                            for (n, o) in planes where abs(dot(p - centre, n) - o) < 1.2 { hu = l + 90 }
                        case (4, _):
                            hu = radius - d < 4 ? (phase == .arterial ? l + 60 : l) : 25
                        case (_, .portal): hu = l - 20
                        default: hu = l - 5
                        }
                    }
                    v[i, j, k] = Float(hu) + noise[g.linearIndex(i, j, k)]
                } } }
                images[phase] = .float(v)
            }
            return LoadedCase(caseID: "plain-\(type)-\(seed)", images: images, masks: [.tumour: mask])
        }
    }

    @Test(arguments: [false, true])
    func plainCasesAreTypedToo(correlated: Bool) throws {
        var agreement = TypeAgreement()
        for seed in 1...4 as ClosedRange<UInt64> {
            for type in 1...4 {
                let r = try VascularizationTyping.classify(Plain(type: type, seed: seed, correlatedNoise: correlated).make())
                agreement.add(truth: type, call: r.call!.type)
                if r.call!.type != type { print("plain type \(type) seed \(seed) correlated \(correlated): \(r.call!.rule)") }
            }
        }
        print("Plain generator, \(correlated ? "correlated" : "white") noise:\n\(agreement.report)")
        #expect(agreement.accuracy >= 0.9)
    }
}
