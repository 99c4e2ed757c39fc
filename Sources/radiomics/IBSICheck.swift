import ArgumentParser
import Foundation
import RadiomicsCore
import RadiomicsPipeline

struct IBSICheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ibsi-check",
        abstract: "Check this installation against the IBSI chapter 1 (and chapter 2) reference values.",
        discussion: """
        DATA_DIR holds the IBSI data: digital_phantom/, ct_radiomics_phantom/ (NIfTI) and reference_values/.
        Runs the digital phantom and CT phantom configurations A-E with the shipped presets (params/) and prints
        one row per reference value: configuration, tag, value, reference, tolerance, pass. A value passes when
        |value - reference| <= tolerance + half a unit of the reference's last printed digit. The last line is
        "N passed, M failed"; the exit code is 1 when any check fails.
        With --ibsi2 DIR (the IBSI 2 data: phase1/, reference_response_maps/, reference_feature_values.csv), chapter 2
        runs too: each phase-1 preset (params/ibsi2/phase1/) on its phantom, a row per test with max |difference| /
        reference range, passing at 0.01; then each phase-2 preset (params/ibsi2/phase2/) on the CT phantom, a row
        per reference value. `--only ibsi2` runs chapter 2 alone (`ibsi2-phase1`, `ibsi2-phase2`: one phase).
        """)

    @Argument(help: "IBSI data directory (digital_phantom, ct_radiomics_phantom, reference_values).")
    var dataDirectory: String
    @Option(help: "Only these presets, comma-separated (e.g. ibsi-config-a,ibsi-config-c; ibsi2 for chapter 2).") var only: String?
    @Option(help: "IBSI 2 data directory (phase1/, reference_response_maps/): run chapter 2 phase 1 too.") var ibsi2: String?
    @Flag(help: "Print only failing rows (and the summary).") var failuresOnly = false

    func run() throws {
        try reportingErrors {
            let wanted = only.map { Set($0.split(separator: ",").map(String.init)) }
            var passed = 0, failed = 0
            print(["configuration", "tag", "value", "reference", "tolerance", "pass"].joined(separator: "\t"))
            for c in IBSIConformance.cases where wanted?.contains(c.preset) ?? true {
                for check in try IBSIConformance.run(c, dataDirectory: dataDirectory) {
                    if check.passed { passed += 1 } else { failed += 1 }
                    if failuresOnly && check.passed { continue }
                    let value = check.value.map { String(format: "%.6g", $0) } ?? "missing"
                    print([c.preset, check.reference.tag, value, String(format: "%g", check.reference.value),
                           String(format: "%g", check.reference.tolerance), check.passed ? "pass" : "FAIL"].joined(separator: "\t"))
                }
            }
            let phaseOne = wanted.map { $0.contains("ibsi2") || $0.contains("ibsi2-phase1") } ?? true
            let phaseTwo = wanted.map { $0.contains("ibsi2") || $0.contains("ibsi2-phase2") } ?? true
            if let ibsi2, phaseOne {
                for test in IBSI2PhaseOne.tests {
                    let r = try IBSI2PhaseOne.run(id: test.id, dataDirectory: ibsi2)
                    if r.passed { passed += 1 } else { failed += 1 }
                    if failuresOnly && r.passed { continue }
                    print(["ibsi2-phase1", r.id, String(format: "%.3g", r.score), "0", "0.01", r.passed ? "pass" : "FAIL"].joined(separator: "\t"))
                }
            }
            if let ibsi2, phaseTwo {
                for configuration in IBSI2PhaseTwo.configurations {
                    for check in try IBSI2PhaseTwo.run(configuration: configuration, ibsi: dataDirectory, ibsi2: ibsi2) {
                        if check.passed { passed += 1 } else { failed += 1 }
                        if failuresOnly && check.passed { continue }
                        let value = check.value.map { String(format: "%.6g", $0) } ?? "missing"
                        print(["ibsi2-phase2-\(configuration)", check.tag, value, String(format: "%g", check.reference),
                               String(format: "%g", check.tolerance), check.passed ? "pass" : "FAIL"].joined(separator: "\t"))
                    }
                }
            }
            print("\(passed) passed, \(failed) failed")
            if failed > 0 { throw ExitCode(1) }
        }
    }
}
