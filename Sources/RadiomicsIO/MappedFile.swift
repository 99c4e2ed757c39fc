import Foundation
import RadiomicsCore

/// A file's bytes mapped into memory for the length of a closure: pages are read only when touched, so a walk
/// over a file's structure costs what it looks at, not the file's size.
enum MappedFile {
    static func withBytes<T>(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw RadiomicsError(file: path, "cannot be opened for reading") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw RadiomicsError(file: path, "cannot be opened for reading") }
        let size = Int(info.st_size)
        if size == 0 { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw RadiomicsError(file: path, "cannot be mapped for reading")
        }
        defer { munmap(p, size) }
        return try body(UnsafeRawBufferPointer(start: p, count: size))
    }
}
