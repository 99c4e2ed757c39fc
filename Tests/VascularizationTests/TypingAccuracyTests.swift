import Foundation
import RadiomicsCore
import RadiomicsSynthetic
import Testing
import Vascularization

/// Typing on generated cases the rules were never tuned on. The thresholds were set on seeds 1-50 with the noise
/// SD drawn from 8-25 HU (`radiomics vasc synthetic --seeds 1-50`); these cohorts use seeds from 1001 on, in
/// narrow noise bands at the low, middle and high end of the clinical range.
@Suite(.serialized) struct TypingAccuracyTests {
    static func cohort(seeds: ClosedRange<UInt64>, noise: ClosedRange<Double>, thickness: ClosedRange<Double> = 1.25...5)
        -> SyntheticEvaluation.Cohort {
        var c = SyntheticEvaluation.Cohort()
        c.seeds = Array(seeds)
        c.noise = noise
        // Coarser pixels than clinical CT keep the suite fast; slices span the clinical range.
        c.pixel = 1.2...1.6
        c.sliceThickness = thickness
        return c
    }

    static let bands: [(seeds: ClosedRange<UInt64>, noise: ClosedRange<Double>)] = [
        (1001...1008, 8.5...9.5), (2001...2008, 16...17), (3001...3008, 23.5...24.5),
    ]

    static func report(_ title: String, _ rows: [SyntheticEvaluation.Row]) -> TypeAgreement {
        let agreement = SyntheticEvaluation.agreement(rows)
        print("\(title)\n\(agreement.report)")
        for r in rows where r.result.call?.type != r.truth {
            print("  \(r.result.caseID) noise \(String(format: "%.1f", r.noiseSD)) HU, \(String(format: "%.0f", r.diameter)) mm, \(String(format: "%.2f", r.sliceThickness)) mm slices -> \(r.result.call.map { "type \($0.type): \($0.rule)" } ?? r.result.error ?? "")")
        }
        return agreement
    }

    @Test func threePhaseCasesMeetTheTargets() throws {
        let rows = Self.bands.flatMap { SyntheticEvaluation.run(Self.cohort(seeds: $0.seeds, noise: $0.noise)) }
        #expect(rows.allSatisfy { $0.result.error == nil }, "\(rows.compactMap(\.result.error))")
        let a = Self.report("Three phases, \(rows.count) unseen cases:", rows)
        #expect(a.total == 96)
        #expect(a.accuracy >= 0.90)
        for (t, r) in a.recall.enumerated() { #expect((r ?? 0) >= 0.80, "recall of type \(t + 1)") }
        #expect(a.kappa >= 0.85)
    }

    @Test func arterialPhaseAloneIsReported() throws {
        let rows = Self.bands.flatMap { band -> [SyntheticEvaluation.Row] in
            var c = Self.cohort(seeds: band.seeds, noise: band.noise)
            c.phases = [.arterial]
            return SyntheticEvaluation.run(c)
        }
        #expect(rows.allSatisfy { $0.result.error == nil }, "\(rows.compactMap(\.result.error))")
        #expect(rows.allSatisfy { $0.result.phases == [.arterial] })
        _ = Self.report("Arterial phase alone, \(rows.count) unseen cases (reported, no target):", rows)
    }

    /// Portal and pre-contrast at 5 mm with a shifted field of view, arterial at 1.25 mm: the same calls as with
    /// every phase on the arterial grid.
    @Test func phasesOnOtherGridsGiveTheSameCalls() throws {
        var same = Self.cohort(seeds: 4001...4010, noise: 10...22, thickness: 1.25...1.25)
        var other = same
        other.otherPhaseThickness = 5
        other.shift = SIMD3(7.3, -11.6, 3.1)
        same.otherPhaseThickness = nil
        let a = SyntheticEvaluation.run(same), b = SyntheticEvaluation.run(other)
        #expect(a.allSatisfy { $0.result.error == nil } && b.allSatisfy { $0.result.error == nil })
        let agree = zip(a, b).filter { $0.result.call?.type == $1.result.call?.type }.count
        print("Other grids: \(agree) of \(a.count) calls the same as on one grid")
        for (x, y) in zip(a, b) where x.result.call?.type != y.result.call?.type {
            print("  \(x.result.caseID): one grid type \(x.result.call?.type ?? 0), other grids type \(y.result.call?.type ?? 0): \(y.result.call?.rule ?? "")")
        }
        _ = Self.report("Other grids:", b)
        #expect(Double(agree) >= 0.95 * Double(a.count))
    }
}
