import FuzzSupport
import RadiomicsPipeline
import Vascularization

/// Parameter YAML: this project's IBSI settings, PyRadiomics' parameter files, and vascularization rules.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParams(_ data: UnsafeRawPointer, _ size: Int) -> Int32 {
    let path = FuzzFile.write(data, size, name: "params.yaml")
    _ = try? ExtractionPlan.load(parameterFile: path)
    _ = try? ExtractionPlan.load(parameterFile: path, naming: .pyradiomics)
    _ = try? VascularizationRules.load(path: path)
    return 0
}
