// swift-tools-version: 6.1
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its folder: whatever the checkout is called, that is the main package.
let main = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent.lowercased()

// Coverage-guided fuzz targets (libFuzzer through the Swift toolchain, with AddressSanitizer), one per input kind.
// Build and run them with fuzz/run-fuzzers; they live in their own package so the main build is not instrumented.
// Each target has no main of its own: `-parse-as-library`, and libFuzzer's main comes with -sanitize=fuzzer.
let fuzzer: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

func target(_ name: String, _ products: [String]) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: main) },
                      path: "Sources/\(name)", swiftSettings: fuzzer)
}

let package = Package(
    name: "RadiomicsFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "RadiomicsCore", package: main)]),
        target("fuzz-nifti", ["RadiomicsIO", "RadiomicsCore"]),
        target("fuzz-dicom", ["RadiomicsIO", "RadiomicsCore"]),
        target("fuzz-mask", ["RadiomicsIO", "RadiomicsCore"]),
        target("fuzz-params", ["RadiomicsPipeline", "Vascularization"]),
        target("fuzz-csv", ["FusionModel", "RadiomicsPipeline", "RadiomicsIO", "RadiomicsBatch"]),
    ]
)
