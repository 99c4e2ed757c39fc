import Foundation
import RadiomicsCore
import RadiomicsPipeline
import Testing
import TestSupport

/// IBSI 2 phase 2: filtered intensity statistics on the CT phantom against reference_feature_values.csv.
@Suite(.enabled(if: SharedData.ibsi2Available && SharedData.ibsiAvailable, Comment(rawValue: SharedData.missingReason)))
struct IBSI2PhaseTwoTests {
    @Test(arguments: IBSI2PhaseTwo.configurations) func featuresWithinTolerance(_ id: String) throws {
        let checks = try IBSI2PhaseTwo.run(configuration: id, ibsi: SharedData.path("data/ibsi"), ibsi2: SharedData.path("data/ibsi2"))
        let failed = checks.filter { !$0.passed }
        print("IBSI 2 phase 2 \(id): \(checks.count - failed.count) of \(checks.count) within tolerance"
              + failed.map { " | \($0.tag) \($0.value.map { String($0) } ?? "missing") vs \($0.reference) ± \($0.tolerance)" }.joined())
        #expect(failed.isEmpty)
    }
}
