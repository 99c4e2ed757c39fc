/// An error a user can act on: which file (if any) and what is wrong with it.
///
/// Printed as `"<file>: <problem>"`, e.g. `"scan.dcm: not a DICOM file (no DICM preamble)"`.
public struct RadiomicsError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String?
    public var problem: String

    public init(file: String? = nil, _ problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String {
        if let file { return "\(file): \(problem)" }
        return problem
    }

    /// The same problem attributed to `file` (keeps a more specific file already named).
    public func naming(_ file: String) -> RadiomicsError {
        self.file == nil ? RadiomicsError(file: file, problem) : self
    }
}
