import Foundation
import TestSupport
import Testing
import Vascularization

@Suite struct RulesTests {
    @Test func defaultsRoundTripThroughYAML() throws {
        let rules = VascularizationRules()
        let text = rules.yaml(comment: "test")
        #expect(try VascularizationRules.parse(text) == rules)
    }
}

@Suite struct RuleFileTests {
    /// params/vascularization-rules.yaml is what the code uses without --rules.
    @Test func shippedFileHoldsTheDefaults() throws {
        let path = (SharedData.repositoryRoot as NSString).appendingPathComponent("params/vascularization-rules.yaml")
        #expect(try VascularizationRules.load(path: path) == VascularizationRules())
    }

    @Test func badFilesAreErrorsNamingTheKey() throws {
        func problem(_ text: String) -> String? {
            do { _ = try VascularizationRules.parse(text, path: "r.yaml"); return nil } catch { return "\(error)" }
        }
        #expect(problem("thresholds:\n  hyperenhancement_hu: 20\n") == nil)
        #expect(problem("thresholds:\n  hyper_hu: 20\n")?.hasPrefix("r.yaml: thresholds.hyper_hu: unknown key") == true)
        #expect(problem("thresholds:\n  hyperenhancement_hu: high\n") == "r.yaml: thresholds.hyperenhancement_hu: must be a finite number, got 'high'")
        #expect(problem("thresholds:\n  hyperenhancement_hu: .inf\n")?.contains("finite number") == true)
        #expect(problem("measurement:\n  shell_inner_mm: 30\n  shell_outer_mm: 20\n")?.contains("0 <= inner < outer <= 100") == true)
        #expect(problem("scales:\n  septum_fraction: 0\n") == "r.yaml: scales.septum_fraction: must be positive")
        #expect(problem("version: 2\n")?.contains("version 1") == true)
        #expect(problem("colour: blue\n")?.contains("unknown section") == true)
        #expect(problem("- 1\n- 2\n")?.contains("mapping") == true)
    }
}
