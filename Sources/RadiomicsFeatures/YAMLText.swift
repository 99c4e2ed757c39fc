import Foundation
import RadiomicsCore
import Yams

/// YAML parsed the way every parameter file of this project is: through Yams, after checks that keep Yams'
/// constructor from crashing or recursing without bound on hostile text. Yams force-unwraps a mapping key that is
/// not a scalar (`? {a: 1}: 2`) and builds nested collections recursively.
public enum YAMLText {
    /// Deepest nesting of collections accepted.
    public static let maximumDepth = 64

    /// The document as Foundation values (`[String: Any]`, `[Any]`, scalars), or an error naming `path`.
    public static func load(_ text: String, path: String) throws -> Any? {
        try compose(text, path: path)?.any
    }

    /// The document as Yams' node tree (which keeps the mappings' order), checked as `load` checks it: parsed
    /// once, for callers that need both the values and the file's order.
    public static func compose(_ text: String, path: String) throws -> Node? {
        guard nestingDepth(text) <= maximumDepth else {
            throw RadiomicsError(file: path, "YAML nested more than \(maximumDepth) levels deep")
        }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch { throw RadiomicsError(file: path, "not valid YAML: \(error)") }
        if let node { try check(node, depth: 0, path: path) }
        return node
    }

    /// Mapping keys must be scalars; collections no deeper than `maximumDepth`.
    static func check(_ node: Node, depth: Int, path: String) throws {
        guard depth <= maximumDepth else { throw RadiomicsError(file: path, "YAML nested more than \(maximumDepth) levels deep") }
        switch node {
        case .mapping(let m):
            for (key, value) in m {
                guard case .scalar = key else {
                    throw RadiomicsError(file: path, "a mapping key is not plain text (line \(key.mark?.line ?? 0))")
                }
                try check(value, depth: depth + 1, path: path)
            }
        case .sequence(let s):
            for item in s { try check(item, depth: depth + 1, path: path) }
        default:
            break
        }
    }

    /// An upper bound on the nesting of flow collections and indentation, by a scan of the text (before the
    /// recursive parser sees it).
    static func nestingDepth(_ text: String) -> Int {
        var depth = 0, deepest = 0
        for c in text.utf8 {
            if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") { depth += 1; deepest = max(deepest, depth) }
            if c == UInt8(ascii: "]") || c == UInt8(ascii: "}") { depth = max(0, depth - 1) }
        }
        var indent = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            indent = max(indent, line.prefix { $0 == " " || $0 == "-" }.count / 2)
        }
        return max(deepest, indent)
    }
}
