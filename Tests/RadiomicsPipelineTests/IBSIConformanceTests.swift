import Foundation
import RadiomicsFeatures
import RadiomicsPipeline
import Testing
import TestSupport

/// The full IBSI chapter 1 reference tables: digital phantom and CT phantom configurations A-E, run through
/// the shipped presets exactly as `radiomics ibsi-check` does. Fails when any value drifts out of tolerance.
@Suite(.enabled(if: SharedData.ibsiAvailable, Comment(rawValue: SharedData.missingReason)))
struct IBSIConformanceTests {
    static let dataDirectory = SharedData.path("data/ibsi")

    @Test(arguments: IBSIConformance.cases.map(\.preset))
    func everyReferenceValuePasses(preset: String) throws {
        let c = try #require(IBSIConformance.cases.first { $0.preset == preset })
        let checks = try IBSIConformance.run(c, dataDirectory: Self.dataDirectory)
        #expect(checks.count > 200)
        for check in checks where !check.passed {
            Issue.record("\(preset) \(check.reference.tag): \(check.value.map { "\($0)" } ?? "not computed"), reference \(check.reference.value) ± \(check.reference.tolerance)")
        }
    }
}

@Suite struct PresetTests {
    /// params/*.yaml (what users run) and the presets embedded for ibsi-check are the same text.
    @Test func embeddedPresetsMatchTheFiles() throws {
        for (name, text) in IBSIPresets.yaml {
            let file = try String(contentsOfFile: "\(SharedData.repositoryRoot)/params/\(name).yaml", encoding: .utf8)
            #expect(file == text, "params/\(name).yaml differs from IBSIPresets; run scripts/embed-presets.py")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(SharedData.repositoryRoot)/params")
            .filter { $0.hasPrefix("ibsi-") }
        let chapterTwo = try ["phase1", "phase2"].flatMap { phase in
            try FileManager.default.contentsOfDirectory(atPath: "\(SharedData.repositoryRoot)/params/ibsi2/\(phase)").map { "ibsi2/\(phase)/" + $0 }
        }
        #expect(Set((files + chapterTwo).map { String($0.dropLast(5)) }) == Set(IBSIPresets.yaml.keys))
    }

    @Test func presetsParseWithoutUnknownKeys() throws {
        for name in IBSIPresets.yaml.keys {
            let s = try IBSIConformance.settings(preset: name)
            #expect(s.unknownKeys.isEmpty, "\(name): \(s.unknownKeys)")
        }
        let c = try IBSIConformance.settings(preset: "ibsi-config-c")
        #expect(c.preprocessing.interpolation?.spacing == SIMD3(2, 2, 2))
        #expect(c.preprocessing.resegmentationRange == ResegmentationRange(lower: -1000, upper: 400))
        #expect(c.discretisation == .fixedBinSize(width: 25, lowerBound: nil))
        #expect(c.ivhBinning == .fixedBinSize(width: 2.5, lowerBound: nil))
        #expect(c.dimensions == [.threeD])
        let b = try IBSIConformance.settings(preset: "ibsi-config-b")
        #expect(b.preprocessing.interpolation?.inPlaneOnly == true)
        #expect(b.discretisation == .fixedBinNumber(32))
    }

    @Test func settingsErrorsNameTheKey() {
        func problem(_ yaml: String) -> String? {
            do { _ = try ExtractionSettings.parse(yaml, path: "p.yaml"); return nil } catch { return "\(error)" }
        }
        #expect(problem("preprocessing:\n  interpolation:\n    spacing: [2, -1, 2]\n")?.contains("preprocessing.interpolation.spacing") == true)
        #expect(problem("discretisation:\n  texture: {method: fixedBinNumber, bins: 0}\n")?.contains("discretisation.texture.bins") == true)
        #expect(problem("texture:\n  dimensions: [4D]\n")?.contains("'4D' is not one of") == true)
        #expect(problem("features: [morph, shape]\n")?.contains("'shape' is not one of") == true)
        #expect(problem("preprocessing:\n  resegmentation:\n    range: [400, -500]\n")?.contains("lower bound above upper bound") == true)
        let unknown = try? ExtractionSettings.parse("setting:\n  binWidth: 25\nimageType: {Original: {}}\n")
        #expect(unknown?.unknownKeys == ["imageType", "setting.binWidth"])
    }
}
