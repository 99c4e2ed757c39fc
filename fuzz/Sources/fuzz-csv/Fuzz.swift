import FuzzSupport
import FusionModel
import RadiomicsBatch
import RadiomicsIO
import RadiomicsPipeline

/// CSV tables: the clinical table of p-TACE, a case manifest (whole, and streamed as a batch reads it, in both
/// formats), a model's data join.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafeRawPointer, _ size: Int) -> Int32 {
    let path = FuzzFile.write(data, size, name: "table.csv")
    _ = try? PTACETable.score(clinicalPath: path)
    _ = try? CaseManifest.read(path: path)
    _ = try? MeasuredTypes.read(path: path)
    if let manifest = try? BatchManifest(path: path) { try? manifest.forEach { _ = $0.input } }
    if let table = try? CSVTable.read(path: path) {
        _ = try? ModelData.join(tables: [table], predictors: Array(table.header.dropFirst().prefix(2)), outcome: table.header.last)
    }
    return 0
}
