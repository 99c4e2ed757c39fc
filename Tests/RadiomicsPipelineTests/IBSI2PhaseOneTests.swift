import Foundation
import RadiomicsCore
import RadiomicsPipeline
import Testing
import TestSupport

/// IBSI 2 phase 1: every shipped preset (params/ibsi2/phase1/<id>.yaml) on its digital phantom against the published
/// response map; a test passes when every voxel is within 1% of the map's intensity range (IBSI2_FILTERS.md, 3).
@Suite(.enabled(if: SharedData.ibsi2Available, Comment(rawValue: SharedData.missingReason)))
struct IBSI2PhaseOneTests {
    @Test(arguments: IBSI2PhaseOne.tests.map(\.id)) func responseMapMatches(_ id: String) throws {
        let r = try IBSI2PhaseOne.run(id: id, dataDirectory: SharedData.path("data/ibsi2"))
        print("IBSI 2 phase 1 \(id): max |difference| / range = \(r.score)")
        #expect(r.passed, "\(id): \(r.score)")
    }
}
