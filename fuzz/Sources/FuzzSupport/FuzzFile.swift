import Foundation
import RadiomicsCore

/// The readers take paths: each input is written to a file of this process's own, on a RAM-backed folder
/// when there is one, and read back by the code under test.
public enum FuzzFile {
    static let folder: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let dir = (base as NSString).appendingPathComponent("radiomics-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    /// Writes the input as `name` (the extension tells the readers the format) and returns its path.
    public static func write(_ start: UnsafeRawPointer, _ count: Int, name: String) -> String {
        let path = (folder as NSString).appendingPathComponent(name)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes: start, count: count))
        return path
    }

    /// A folder holding only the input, as `name` (for the DICOM series reader).
    public static func folder(_ start: UnsafeRawPointer, _ count: Int, name: String) -> String {
        let dir = (folder as NSString).appendingPathComponent("series")
        try? FileManager.default.removeItem(atPath: dir)
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: (dir as NSString).appendingPathComponent(name), contents: Data(bytes: start, count: count))
        return dir
    }

    /// A grid masks are read onto (that of the sample case-001 series: 160 x 128 x 36, 2.2 x 2.0 x 2.5 mm).
    public static let grid = ImageGeometry(size: [160, 128, 36], spacing: [2.2, 2.0, 2.5], origin: [-174.9, -127, -43.75])
}
