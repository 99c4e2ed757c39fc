import BenchmarkCases
import Foundation

// Writes the benchmark cases as NIfTI for benchmarks/compare-pyradiomics:
//   benchmark-cases DIRECTORY [roi-1e4 roi-1e5 roi-1e6]
let arguments = Array(CommandLine.arguments.dropFirst())
guard let directory = arguments.first else {
    FileHandle.standardError.write(Data("usage: benchmark-cases DIRECTORY [roi-1e4 roi-1e5 roi-1e6]\n".utf8))
    exit(2)
}
let names = arguments.dropFirst()
let sizes = names.isEmpty ? BenchmarkCases.ROISize.allCases : names.compactMap { name in
    BenchmarkCases.ROISize.allCases.first { $0.description == name }
}
guard sizes.count == max(names.count, sizes.count) else {
    FileHandle.standardError.write(Data("benchmark-cases: unknown case name in \(names.joined(separator: " "))\n".utf8))
    exit(2)
}
do {
    for folder in try BenchmarkCases.writeNifti(sizes, to: directory) { print(folder) }
} catch {
    FileHandle.standardError.write(Data("benchmark-cases: \(error)\n".utf8))
    exit(1)
}
