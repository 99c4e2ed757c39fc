/// Path text in plain Swift, for paths that come from users (manifests, archives, the command line).
///
/// swift-corelibs-foundation (Swift 6.3, Linux) traps in NSString's path methods on some inputs:
/// `("x" as NSString).deletingLastPathComponent` and `("p/" as NSString).deletingLastPathComponent` (one character,
/// no parent), and `lastPathComponent` of names with long runs of slashes and dots (found by fuzz-csv through a
/// batch manifest). These two functions replace them; they agree with NSString on ordinary paths.
public enum PathText {
    /// The last component, trailing slashes ignored: "a/b/" -> "b", "/" -> "/", "" -> "".
    public static func lastComponent(_ path: String) -> String {
        var body = Substring(path)
        while body.count > 1, body.last == "/" { body = body.dropLast() }
        if body == "/" { return "/" }
        guard let slash = body.lastIndex(of: "/") else { return String(body) }
        return String(body[body.index(after: slash)...])
    }

    /// The path without its last component: "a/b" -> "a", "b" -> "", "/b" -> "/", "a/b/" -> "a", "/" -> "/".
    public static func parent(_ path: String) -> String {
        var body = Substring(path)
        while body.count > 1, body.last == "/" { body = body.dropLast() }
        guard let slash = body.lastIndex(of: "/") else { return "" }
        var head = body[..<slash]
        while head.last == "/" { head = head.dropLast() }
        return head.isEmpty ? "/" : String(head)
    }
}
