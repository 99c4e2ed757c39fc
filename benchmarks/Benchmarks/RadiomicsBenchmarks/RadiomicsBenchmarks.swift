import Benchmark
import BenchmarkCases
import Foundation
import RadiomicsCore
import RadiomicsFeatures
import RadiomicsIO
import RadiomicsPipeline

// Benchmarks of loading and of every feature family, on synthetic CT cases the benchmark makes itself
// (BenchmarkCases: 512 x 512 x 110, ROIs of about 1e4, 1e5 and 1e6 voxels). Run from benchmarks/:
//   swift package benchmark                      all of them
//   swift package benchmark --filter 'Load.*'    a group
// Names: Load/<what>, PyRadiomics/<class>/<case> (the PyRadiomics-compatible mode, on the prepared ROI),
// IBSI/<family>/<case> (the IBSI engine, preprocessing included), Case/<settings>/<case> (files to features).

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal],
        warmupIterations: 1,
        maxDuration: .seconds(5),
        maxIterations: 25
    )
    loadBenchmarks()
    pyradiomicsBenchmarks()
    ibsiBenchmarks()
    caseBenchmarks()
}

// MARK: - Loading

/// Files written once per benchmark process, in a temporary folder removed at exit.
enum Files {
    static let root: String = {
        let path = NSTemporaryDirectory() + "radiomics-benchmarks-\(getpid())"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: Files.root) }
        return path
    }()

    /// A 512 x 512 x 300 CT series, explicit VR little endian (uncompressed), one file per slice.
    static let uncompressedSeries: String = {
        let dir = root + "/series-300"
        _ = try! DicomSeriesWriter.write(BenchmarkCases.series(slices: 300), to: dir,
                                         identity: DicomStudyIdentity(caseID: "bench", seriesDescription: "benchmark"))
        return dir
    }()

    /// A 512 x 512 x 60 series in JPEG 2000 (lossless), converted by GDCM's gdcmconv (Debian libgdcm-tools).
    static let j2kSeries: String? = {
        let plain = root + "/series-60", j2k = root + "/series-60-j2k"
        _ = try! DicomSeriesWriter.write(BenchmarkCases.series(slices: 60), to: plain,
                                         identity: DicomStudyIdentity(caseID: "bench-j2k", seriesDescription: "benchmark"))
        try! FileManager.default.createDirectory(atPath: j2k, withIntermediateDirectories: true)
        for name in try! FileManager.default.contentsOfDirectory(atPath: plain) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/gdcmconv")
            p.arguments = ["--j2k", plain + "/" + name, j2k + "/" + name]
            guard (try? p.run()) != nil else {
                print("gdcmconv not found (apt-get install libgdcm-tools): JPEG 2000 benchmark skipped")
                return nil
            }
            p.waitUntilExit()
        }
        return j2k
    }()

    static let nifti: String = {
        let path = root + "/roi-1e5"
        try! BenchmarkCases.writeNifti([.e5], to: root)
        return path
    }()

    static let niftiGz: String = {
        let path = root + "/image.nii.gz"
        let c = BenchmarkCases.make(.e5)
        try! Nifti.write(c.image, to: path)
        return path
    }()

    /// Reads every byte of the files in `dir` with read(2) into one reused buffer: the floor a loader is
    /// measured against (FileManager.contents may map a file without reading it).
    static func readBytes(_ dir: String, only: String? = nil) -> Int {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total = 0
        for name in try! FileManager.default.contentsOfDirectory(atPath: dir) where only == nil || name == only {
            let fd = open(dir + "/" + name, O_RDONLY)
            precondition(fd >= 0, "cannot open \(name)")
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                total += n
            }
            close(fd)
        }
        return total
    }
}

extension Files {
    /// Reads every byte of the files in `dir` into one buffer that holds them all (fresh memory, backed by huge
    /// pages as the loaders' volumes are): the floor for a loader, which must keep what it reads.
    static func readBytesIntoMemory(_ dir: String) -> Int {
        let names = try! FileManager.default.contentsOfDirectory(atPath: dir)
        var total = 0
        for name in names { total += (try! FileManager.default.attributesOfItem(atPath: dir + "/" + name)[.size] as! Int) }
        let buffer = [UInt8](unsafeUninitializedCapacity: total) { b, initialised in
            adviseHugePages(UnsafeMutableRawBufferPointer(b))
            var offset = 0
            for name in names {
                let fd = open(dir + "/" + name, O_RDONLY)
                precondition(fd >= 0, "cannot open \(name)")
                while true {
                    let n = read(fd, b.baseAddress! + offset, total - offset)
                    if n <= 0 { break }
                    offset += n
                }
                close(fd)
            }
            initialised = total
        }
        return buffer.count
    }
}

func loadBenchmarks() {
    let few = Benchmark.Configuration(maxDuration: .seconds(10), maxIterations: 10)
    Benchmark("Load/DICOM 512x512x300 explicit VR: read the files' bytes", configuration: few) { b in
        for _ in b.scaledIterations { blackHole(Files.readBytes(Files.uncompressedSeries)) }
    } setup: { _ = Files.uncompressedSeries }
    Benchmark("Load/DICOM 512x512x300 explicit VR: read the files' bytes into memory", configuration: few) { b in
        for _ in b.scaledIterations { blackHole(Files.readBytesIntoMemory(Files.uncompressedSeries)) }
    } setup: { _ = Files.uncompressedSeries }
    Benchmark("Load/DICOM 512x512x300 explicit VR: series", configuration: few) { b in
        for _ in b.scaledIterations { blackHole(try DicomSeriesReader.read(path: Files.uncompressedSeries)) }
    } setup: { _ = Files.uncompressedSeries }
    Benchmark("Load/DICOM 512x512x60 JPEG 2000: read the files' bytes", configuration: few) { b in
        guard let dir = Files.j2kSeries else { return }
        for _ in b.scaledIterations { blackHole(Files.readBytes(dir)) }
    } setup: { _ = Files.j2kSeries }
    Benchmark("Load/DICOM 512x512x60 JPEG 2000: series", configuration: few) { b in
        guard let dir = Files.j2kSeries else { return }
        for _ in b.scaledIterations { blackHole(try DicomSeriesReader.read(path: dir)) }
    } setup: { _ = Files.j2kSeries }
    Benchmark("Load/NIfTI 512x512x110 .nii: read the file's bytes", configuration: few) { b in
        for _ in b.scaledIterations { blackHole(Files.readBytes(Files.nifti, only: "image.nii")) }
    } setup: { _ = Files.nifti }
    Benchmark("Load/NIfTI 512x512x110 .nii: image", configuration: few) { b in
        for _ in b.scaledIterations { blackHole(try Nifti.read(path: Files.nifti + "/image.nii")) }
    } setup: { _ = Files.nifti }
    Benchmark("Load/NIfTI 512x512x110 .nii: label mask", configuration: few) { b in
        for _ in b.scaledIterations { blackHole(try Nifti.readLabels(path: Files.nifti + "/mask.nii", label: 1)) }
    } setup: { _ = Files.nifti }
    Benchmark("Load/NIfTI 512x512x110 .nii.gz: image", configuration: few) { b in
        for _ in b.scaledIterations { blackHole(try Nifti.read(path: Files.niftiGz)) }
    } setup: { _ = Files.niftiGz }
}

// MARK: - Feature families

/// A case prepared once: the ROI as PyRadiomics' preprocessing leaves it, its grey levels, and the image and
/// mask for the IBSI engine.
struct Prepared: Sendable {
    var roi: PyRadiomicsROI
    var levels: [Int32]
    var settings: PyRadiomicsSettings
    var image: ScalarImage
    var mask: Mask

    static func make(_ size: BenchmarkCases.ROISize) -> Prepared {
        let c = BenchmarkCases.make(size)
        let box = c.tumour.boundingBox!
        let settings = PyRadiomicsSettings() // binWidth 25, no resampling: PyRadiomics' defaults
        let p = try! PyRadiomicsPreprocessing.prepare(image: ScalarImage.int16(c.image).cropped(to: box), pixelType: .int16,
                                                      mask: c.tumour.cropped(to: box), settings: settings)
        let levels = PyRadiomicsBinning.discretise(p.roi, binWidth: settings.binWidth, binCount: nil).levels
        return Prepared(roi: p.roi, levels: levels, settings: settings, image: .int16(c.image), mask: c.tumour)
    }
}

/// Cases are made when a benchmark first needs them, and kept.
final class PreparedCases: @unchecked Sendable {
    static let shared = PreparedCases()
    private let lock = NSLock()
    private var cases: [BenchmarkCases.ROISize: Prepared] = [:]
    subscript(size: BenchmarkCases.ROISize) -> Prepared {
        lock.lock(); defer { lock.unlock() }
        if let c = cases[size] { return c }
        let c = Prepared.make(size)
        cases[size] = c
        return c
    }
}

func pyradiomicsBenchmarks() {
    typealias Family = (name: String, run: @Sendable (Prepared) -> [(name: String, value: Double)])
    let families: [Family] = [
        ("firstorder", { PyRadiomicsFirstOrder.features($0.roi, levels: $0.levels, settings: $0.settings) }),
        ("shape", { PyRadiomicsShape.features($0.roi) }),
        ("glcm", { PyRadiomicsGLCM.features(levels: $0.levels, roi: $0.roi, settings: $0.settings) }),
        ("glrlm", { PyRadiomicsGLRLM.features(levels: $0.levels, roi: $0.roi, settings: $0.settings) }),
        ("glszm", { PyRadiomicsGLSZM.features(levels: $0.levels, roi: $0.roi, settings: $0.settings) }),
        ("gldm", { PyRadiomicsGLDM.features(levels: $0.levels, roi: $0.roi, settings: $0.settings) }),
        ("ngtdm", { PyRadiomicsNGTDM.features(levels: $0.levels, roi: $0.roi, settings: $0.settings) }),
    ]
    for size in BenchmarkCases.ROISize.allCases {
        for family in families {
            Benchmark("PyRadiomics/\(family.name)/\(size)") { b in
                let c = PreparedCases.shared[size]
                b.startMeasurement()
                for _ in b.scaledIterations { blackHole(family.run(c)) }
            } setup: { _ = PreparedCases.shared[size] }
        }
        Benchmark("PyRadiomics/discretisation/\(size)") { b in
            let c = PreparedCases.shared[size]
            b.startMeasurement()
            for _ in b.scaledIterations { blackHole(PyRadiomicsBinning.discretise(c.roi, binWidth: 25, binCount: nil)) }
        } setup: { _ = PreparedCases.shared[size] }
    }
}

func ibsiBenchmarks() {
    // The IBSI engine with its defaults (no resampling, fixed bin size 25 HU, 3D texture), one family at a time.
    for size in BenchmarkCases.ROISize.allCases {
        for family in FeatureFamily.allCases {
            Benchmark("IBSI/\(family.rawValue)/\(size)", configuration: .init(maxDuration: .seconds(5), maxIterations: 10)) { b in
                let c = PreparedCases.shared[size]
                var settings = ExtractionSettings()
                settings.families = [family]
                b.startMeasurement()
                for _ in b.scaledIterations { blackHole(try FeatureExtractor.extract(image: c.image, mask: c.mask, settings: settings)) }
            } setup: { _ = PreparedCases.shared[size] }
        }
    }
}

// MARK: - Whole cases

func caseBenchmarks() {
    // Files to features, as `radiomics extract IMAGE MASK --params FILE` runs them (process start excluded;
    // benchmarks/compare-pyradiomics measures whole processes).
    let mission = try! PyRadiomicsParameters.parse("setting:\n  binWidth: 25\nfeatureClass:\n  firstorder:\n  shape:\n  glcm:\n  glrlm:\n")
    for size in BenchmarkCases.ROISize.allCases {
        Benchmark("Case/PyRadiomics mission subset/\(size)", configuration: .init(maxDuration: .seconds(10), maxIterations: 10)) { b in
            let folder = CaseFiles.shared.folder(size)
            b.startMeasurement()
            for _ in b.scaledIterations {
                let request = CaseRequest(imagePath: folder + "/image.nii", maskPath: folder + "/mask.nii", pyradiomics: mission)
                blackHole(try CaseExtractor.run(request))
            }
        } setup: { _ = CaseFiles.shared.folder(size) }
    }
}

final class CaseFiles: @unchecked Sendable {
    static let shared = CaseFiles()
    private let lock = NSLock()
    private var folders: [BenchmarkCases.ROISize: String] = [:]
    func folder(_ size: BenchmarkCases.ROISize) -> String {
        lock.lock(); defer { lock.unlock() }
        if let f = folders[size] { return f }
        let f = try! BenchmarkCases.writeNifti([size], to: Files.root)[0]
        folders[size] = f
        return f
    }
}
