import BenchmarkCases
import Foundation

import RadiomicsIO

// Writes the benchmark cases as NIfTI for benchmarks/compare-pyradiomics:
//   benchmark-cases DIRECTORY [roi-1e4 roi-1e5 roi-1e6]
// or the filters' case, the 1e5-voxel tumour in a 512 x 512 x 200 CT:
//   benchmark-cases DIRECTORY ct200-roi-1e5
// or a CT series of N slices (512 x 512) as DICOM files, for profiling the loader:
//   benchmark-cases DIRECTORY --dicom-series N
//   benchmark-cases --load PATH [TIMES]   reads an image TIMES times and prints each time (for perf/callgrind)
// or the three-phase 512 x 512 x 120 case of the typing benchmark (DICOM series per phase, SEG masks):
//   benchmark-cases DIRECTORY --three-phase
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--load", arguments.count >= 2 {
    let times = arguments.count > 2 ? Int(arguments[2]) ?? 1 : 1
    for _ in 0..<times {
        let start = DispatchTime.now().uptimeNanoseconds
        do { _ = try ImageReader.read(path: arguments[1]) } catch {
            FileHandle.standardError.write(Data("benchmark-cases: \(error)\n".utf8))
            exit(1)
        }
        print(String(format: "%.1f ms", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6))
    }
    exit(0)
}
if arguments.count == 3, arguments[1] == "--dicom-series", let slices = Int(arguments[2]) {
    do {
        _ = try DicomSeriesWriter.write(BenchmarkCases.series(slices: slices), to: arguments[0],
                                        identity: DicomStudyIdentity(caseID: "bench", seriesDescription: "benchmark"))
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("benchmark-cases: \(error)\n".utf8))
        exit(1)
    }
}
if arguments.count == 2, arguments[1] == "--three-phase" {
    do {
        let voxels = try BenchmarkCases.writeThreePhase(to: arguments[0])
        print("\(arguments[0]): tumour \(voxels) voxels")
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("benchmark-cases: \(error)\n".utf8))
        exit(1)
    }
}
if arguments.count == 2, arguments[1] == BenchmarkCases.tallName {
    do {
        print(try BenchmarkCases.writeTall(to: arguments[0]))
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("benchmark-cases: \(error)\n".utf8))
        exit(1)
    }
}
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
