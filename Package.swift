// swift-tools-version: 6.1
import PackageDescription

// System libraries come from Debian: libgdcm-dev, libnifti-dev, libpng-dev, libcairo2-dev (scripts/setup.sh installs them).

// The voxel loops of the core, the synthetic CT generator and vascularization typing are compiled with
// optimisation in debug builds too: unoptimised, SIMD3 arithmetic goes through generic calls and the test
// suite's synthetic cohorts (hundreds of three-phase CTs) would take hours instead of minutes.
let optimisedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]
let package = Package(
    name: "Radiomics",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "radiomics", targets: ["radiomics"]),
        .library(name: "RadiomicsCore", targets: ["RadiomicsCore"]),
        .library(name: "RadiomicsIO", targets: ["RadiomicsIO"]),
        .library(name: "RadiomicsFeatures", targets: ["RadiomicsFeatures"]),
        .library(name: "RadiomicsFilters", targets: ["RadiomicsFilters"]),
        .library(name: "RadiomicsPipeline", targets: ["RadiomicsPipeline"]),
        .library(name: "RadiomicsSynthetic", targets: ["RadiomicsSynthetic"]),
        .library(name: "Figures", targets: ["Figures"]),
        .library(name: "FusionModel", targets: ["FusionModel"]),
        .library(name: "Vascularization", targets: ["Vascularization"]),
        .library(name: "RadiomicsBatch", targets: ["RadiomicsBatch"]),
        .library(name: "ReaderReview", targets: ["ReaderReview"]),
        .library(name: "ReviewWeb", targets: ["ReviewWeb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // C interface over GDCM (C++), see Sources/CDicom/include/CDicom.h.
        .target(
            name: "CDicom",
            linkerSettings: [
                .linkedLibrary("gdcmMSFF"), .linkedLibrary("gdcmDSED"), .linkedLibrary("gdcmDICT"), .linkedLibrary("gdcmCommon"),
                .linkedLibrary("stdc++"), .linkedLibrary("z"),
            ]
        ),
        // niftilib (nifti2_io reads NIfTI-1 and NIfTI-2) through forwarding headers.
        .target(
            name: "CNifti",
            linkerSettings: [
                .linkedLibrary("nifti2"), .linkedLibrary("znz"), .linkedLibrary("z"), .linkedLibrary("m"),
            ]
        ),
        // Vectorised kernels in C, compiled for AVX-512, AVX2 and the baseline and picked at load time (the recursive
        // filters' inner loops); contraction off, so every version gives the same bits.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O2", "-ffp-contract=off"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng16", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),

        // Voxel grid, masks, bounding boxes, resampling. Knows no file format.
        .target(name: "RadiomicsCore", swiftSettings: optimisedInDebug),
        // Files -> Core types, with errors naming the file and the problem.
        .target(name: "RadiomicsIO", dependencies: ["RadiomicsCore", "CDicom", "CNifti", "CPNG"]),
        // Convolutional image filters (IBSI 2): boundary conditions, separable passes, orientations, the filters.
        .target(name: "RadiomicsFilters", dependencies: ["RadiomicsCore", "CKernels"], swiftSettings: optimisedInDebug),
        // Settings, preprocessing and the feature families.
        .target(name: "RadiomicsFeatures", dependencies: ["RadiomicsCore", "RadiomicsFilters", .product(name: "Yams", package: "Yams")]),
        // One case end to end (files -> features -> tables): what the CLI and batch runs call.
        .target(name: "RadiomicsPipeline", dependencies: ["RadiomicsCore", "RadiomicsIO", "RadiomicsFeatures", "RadiomicsFilters"]),
        // Figures for papers: drawing with cairo to PNG and SVG, charts with axes, curves, bands and legends.
        .target(name: "Figures", dependencies: ["RadiomicsCore", "CCairo"]),
        // Clinical-radiologic models: ALBI, p-TACE, logistic and Cox fitting, validation statistics, report plots.
        .target(name: "FusionModel", dependencies: ["RadiomicsCore", "RadiomicsIO", "Figures"]),
        // Vascularization typing from the CT phases: enhancement quantities, the type 1-4 rules, threshold fitting.
        .target(name: "Vascularization", dependencies: ["RadiomicsCore", "RadiomicsFeatures", "RadiomicsPipeline", "RadiomicsSynthetic"],
                swiftSettings: optimisedInDebug),
        // Synthetic CT cases (sample-scans, benchmarks, tests): CT-like volumes with a tumour and its masks.
        .target(name: "RadiomicsSynthetic", dependencies: ["RadiomicsCore", "RadiomicsIO"], swiftSettings: optimisedInDebug),
        // Archives to tables: manifests, a worker process per case, results in SQLite (GRDB), shards, merge.
        .target(name: "RadiomicsBatch", dependencies: ["RadiomicsCore", "RadiomicsIO", "RadiomicsFeatures", "RadiomicsPipeline", "Vascularization",
                                                       "FusionModel", .product(name: "GRDB", package: "GRDB.swift")]),
        // Readers' review of the typing: verdicts (SQLite through GRDB), agreement statistics, consensus.
        .target(name: "ReaderReview", dependencies: ["RadiomicsCore", "RadiomicsIO", "RadiomicsPipeline", "RadiomicsBatch", "FusionModel", .product(name: "GRDB", package: "GRDB.swift")]),
        // The readers' review in the browser: a Hummingbird app over a results folder (login, worklist, slices, verdicts).
        .target(name: "ReviewWeb", dependencies: ["ReaderReview", "RadiomicsPipeline", "RadiomicsIO", "RadiomicsCore", "Vascularization",
                                                  .product(name: "Hummingbird", package: "hummingbird"),
                                                  .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                                                  .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                                                  .product(name: "Mustache", package: "swift-mustache"),
                                                  .product(name: "HTTPTypes", package: "swift-http-types")]),
        // Thin command line over the libraries.
        .executableTarget(
            name: "radiomics",
            dependencies: [
                "RadiomicsCore", "RadiomicsIO", "RadiomicsFeatures", "RadiomicsFilters", "RadiomicsPipeline", "RadiomicsSynthetic", "FusionModel", "Vascularization",
                "RadiomicsBatch", "ReaderReview", "ReviewWeb", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The release binary carries the Swift runtime and Foundation: a process starts without loading and
            // relocating a dozen shared libraries, which matters to a batch's worker per case and to a cold page
            // cache (measured in the README's Speed section).
            // (SwiftPM's --static-swift-stdlib as a setting: the driver's flag and the ICU data Foundation needs.)
            linkerSettings: [.unsafeFlags(["-static-stdlib"] + ["_FoundationICU", "CoreFoundation", "Foundation", "FoundationEssentials",
                                                                "FoundationInternationalization", "_FoundationCShims",
                                                                "_FoundationCollections", "_FoundationICU"].map { "-l" + $0 },
                                          .when(configuration: .release))]
        ),

        // Helpers the test targets share: where ../shared is, temporary directories, running the CLI.
        .target(name: "TestSupport", dependencies: ["RadiomicsCore", "RadiomicsPipeline"], path: "Tests/TestSupport"),
        .testTarget(name: "FusionModelTests", dependencies: ["FusionModel", "Figures", "RadiomicsCore", "RadiomicsIO", "TestSupport"]),
        .testTarget(name: "RadiomicsFiltersTests", dependencies: ["RadiomicsFilters", "RadiomicsCore"]),
        .testTarget(name: "RadiomicsCoreTests", dependencies: ["RadiomicsCore", "TestSupport"]),
        .testTarget(name: "RadiomicsFeaturesTests", dependencies: ["RadiomicsFeatures", "RadiomicsIO", "RadiomicsCore", "TestSupport"]),
        .testTarget(name: "RadiomicsIOTests", dependencies: ["RadiomicsIO", "RadiomicsCore", "RadiomicsSynthetic", "TestSupport"]),
        .testTarget(name: "RadiomicsPipelineTests", dependencies: ["RadiomicsPipeline", "RadiomicsSynthetic", "RadiomicsIO", "RadiomicsCore", "TestSupport"]),
        .testTarget(name: "VascularizationTests", dependencies: ["Vascularization", "RadiomicsSynthetic", "RadiomicsPipeline", "RadiomicsIO", "RadiomicsCore", "TestSupport"]),
        .testTarget(name: "RadiomicsBatchTests", dependencies: ["RadiomicsBatch", "RadiomicsPipeline", "RadiomicsFeatures", "RadiomicsSynthetic", "RadiomicsIO", "RadiomicsCore", "TestSupport"]),
        .testTarget(name: "ReaderReviewTests", dependencies: ["ReaderReview", "RadiomicsCore", "RadiomicsIO", "TestSupport"]),
        .testTarget(name: "ReviewWebTests", dependencies: ["ReviewWeb", "ReaderReview", "Vascularization", "RadiomicsSynthetic", "RadiomicsIO", "RadiomicsCore", "TestSupport",
                                                       .product(name: "HummingbirdTesting", package: "hummingbird"),
                                                       .product(name: "HTTPTypes", package: "swift-http-types"),
                                                       .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "RadiomicsCLITests", dependencies: ["radiomics", "FusionModel", "RadiomicsSynthetic", "RadiomicsIO", "RadiomicsCore", "TestSupport"]),
    ],
    cxxLanguageStandard: .cxx17
)
