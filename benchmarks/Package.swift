// swift-tools-version: 6.1
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its folder: whatever the checkout is called, that is the main package.
let main = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent.lowercased()

// Benchmarks live in their own package so the main build and tests do not pay for ordo-one/benchmark.
// Run: `swift package benchmark` (release build) from this folder; see README.md.
let package = Package(
    name: "RadiomicsBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        // Its default traits pull a repository that is not mirrored here (../shared/docs/TOOLCHAIN.md).
        .package(url: "https://github.com/ordo-one/package-benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The synthetic CT cases every benchmark runs on (also written as NIfTI for compare-pyradiomics).
        .target(name: "BenchmarkCases", dependencies: [
            .product(name: "RadiomicsCore", package: main), .product(name: "RadiomicsIO", package: main),
            .product(name: "RadiomicsSynthetic", package: main),
        ]),
        .executableTarget(name: "benchmark-cases", dependencies: ["BenchmarkCases", .product(name: "RadiomicsIO", package: main)]),
        // `swift package benchmark`: loading, every feature family, whole cases.
        .executableTarget(
            name: "RadiomicsBenchmarks",
            dependencies: [
                "BenchmarkCases",
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "RadiomicsCore", package: main), .product(name: "RadiomicsIO", package: main),
                .product(name: "RadiomicsFeatures", package: main), .product(name: "RadiomicsPipeline", package: main),
            ],
            path: "Benchmarks/RadiomicsBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
)
