import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RadiomicsCore
import RadiomicsIO
import RadiomicsSynthetic
import ReaderReview
import Testing
import TestSupport
@testable import ReviewWeb
import Vascularization

/// A results folder for the review page: the four multiphase samples (DICOM phases, SEG masks), their manifest,
/// and a vascularization.csv as `vasc classify` writes it; readers alice and bob.
final class ReviewFixture: @unchecked Sendable {
    let dir: TemporaryDirectory
    static let password = "correct horse battery"

    init(readers: [String] = ["alice", "bob"]) throws {
        dir = try TemporaryDirectory("review-web")
        try SyntheticMultiphase.writeSamples(to: dir.path)
        try """
            case_id,type,confidence,rim_minus_core_hu,rule
            hcc-type1,1,0.9,2.5,homogeneous
            hcc-type2,2,0.8,60.1,ring
            hcc-type3,3,0.7,10.1,rule-of-septate-tumours
            hcc-type4,4,0.6,1.0,hypovascular
            """.write(toFile: dir.file("vascularization.csv"), atomically: true, encoding: .utf8)
        let store = try ReviewStore(resultsFolder: dir.path)
        // bcrypt at its lowest cost: the test is about where the hash goes, not how long it takes.
        for r in readers { try ReaderAccounts.add(reader: r, password: Self.password, to: store, cost: 4) }
    }

    func server(_ configuration: ReviewServerConfiguration = .init(), clock: ManualClock = ManualClock()) throws -> ReviewServer {
        try ReviewServer(folder: ReviewFolder(results: dir.path, manifest: dir.file("vasc-manifest.csv")), configuration: configuration,
                         sessionClock: clock)
    }
}

/// A clock the test moves by hand (the sessions' lifetimes without waiting).
final class ManualClock: Clock, @unchecked Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by d: Duration) -> Instant { Instant(offset: offset + d) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }

    private let lock = NSLock()
    private var current = Instant(offset: .zero)
    var now: Instant { lock.withLock { current } }
    var minimumResolution: Duration { .nanoseconds(1) }
    func advance(by d: Duration) { lock.withLock { current = current.advanced(by: d) } }
    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        while now < deadline { try await Task.sleep(for: .milliseconds(10)) }
    }
}

/// A browser's cookie jar and CSRF token over HummingbirdTesting's client.
struct Browser {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var csrf: String?

    mutating func send(_ uri: String, method: HTTPRequest.Method = .get, form: [String: String]? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            body = ByteBuffer(string: form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&"))
        }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        for line in response.headers[values: .setCookie] {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
            if line.contains("Expires=Thu, 01 Jan 1970") || value.isEmpty { cookies[name] = nil } else { cookies[name] = value }
        }
        if let token = Self.hidden("csrf", in: String(buffer: response.body)) { csrf = token }
        return response
    }

    static func hidden(_ name: String, in html: String) -> String? {
        guard let r = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "\"" })
    }

    mutating func login(_ reader: String, _ password: String) async throws -> TestResponse {
        _ = try await send("/login")
        return try await send("/login", method: .post, form: ["csrf": csrf ?? "", "reader": reader, "password": password])
    }
}

@Suite struct ReviewWebTests {
    @Test func everyPageAndImageNeedsASession() async throws {
        let fixture = try ReviewFixture()
        try await fixture.server().application().test(.router) { client in
            var browser = Browser(client: client)
            for page in ["/", "/worklist", "/worklist?state=todo", "/cases/hcc-type1"] {
                let r = try await browser.send(page)
                #expect(r.status == .seeOther && r.headers[.location] == "/login", "\(page)")
            }
            for image in ["/cases/hcc-type1/slice/arterial/3", "/cases/hcc-type1/slice/portal/0?window=soft"] {
                let r = try await browser.send(image)
                #expect(r.status == .unauthorized && r.headers[.contentType] != "image/png", "\(image)")
            }
            for post in ["/cases/hcc-type1/verdict", "/logout"] {
                let r = try await browser.send(post, method: .post, form: ["type": "1", "csrf": "x"])
                #expect(r.status == .unauthorized, "\(post)")
            }
            #expect(try await browser.send("/login").status == .ok)
            #expect(try await browser.send("/static/review.js").status == .ok)
        }
        #expect(try ReviewStore(resultsFolder: fixture.dir.path).currentVerdicts().isEmpty)
    }

    @Test func wrongPasswordsAndForgedLoginsAreRefused() async throws {
        let fixture = try ReviewFixture()
        try await fixture.server().application().test(.router) { client in
            var browser = Browser(client: client)
            let wrong = try await browser.login("alice", "not the password")
            #expect(wrong.status == .unauthorized)
            #expect(String(buffer: wrong.body).contains("Wrong reader name or password"))
            #expect(try await browser.login("mallory", ReviewFixture.password).status == .unauthorized)
            #expect(browser.cookies["review_session"] == nil)
            #expect(try await browser.send("/worklist").status == .seeOther)
            // A login post without the login form's token (or with another) is refused before the password is checked.
            var forged = Browser(client: client)
            #expect(try await forged.send("/login", method: .post, form: ["reader": "alice", "password": ReviewFixture.password]).status == .forbidden)
            _ = try await forged.send("/login")
            #expect(try await forged.send("/login", method: .post,
                                          form: ["csrf": String(repeating: "0", count: 64), "reader": "alice", "password": ReviewFixture.password]).status == .forbidden)
            let right = try await browser.login("alice", ReviewFixture.password)
            #expect(right.status == .seeOther && right.headers[.location] == "/worklist")
            #expect(browser.cookies["review_session"] != nil)
            #expect(try await browser.send("/worklist").status == .ok)
        }
    }

    @Test func pathLikeCaseIDsAreNotFound() async throws {
        let fixture = try ReviewFixture()
        try "x".write(toFile: fixture.dir.file("secret.txt"), atomically: true, encoding: .utf8)
        try await fixture.server().application().test(.router) { client in
            var browser = Browser(client: client)
            #expect(try await browser.login("alice", ReviewFixture.password).status == .seeOther)
            let ids = ["..", "%2e%2e", "..%2Fsecret.txt", "..%2f..%2fetc%2fpasswd", "%2E%2E%2Freview.sqlite", "..%252F..%252Fsecret.txt",
                       "hcc-type1%2F..%2F..%2Fsecret.txt", "hcc-type1%00", "%2Fetc%2Fpasswd", "hcc-type1%2Fslice", "HCC-TYPE1", "nope"]
            for id in ids {
                #expect(try await browser.send("/cases/\(id)").status == .notFound, "\(id)")
                #expect(try await browser.send("/cases/\(id)/slice/arterial/3").status == .notFound, "\(id)")
                let post = try await browser.send("/cases/\(id)/verdict", method: .post, form: ["csrf": browser.csrf ?? "", "type": "1"])
                #expect(post.status == .notFound, "\(id)")
            }
            for path in ["/cases/../review.sqlite", "/cases/hcc-type1/../../secret.txt", "/secret.txt", "/review.sqlite", "/static/../review.sqlite"] {
                let r = try await browser.send(path)
                #expect(r.status == .notFound, "\(path)")
                #expect(!String(buffer: r.body).contains("SQLite"))
            }
            // Known case, unknown phase or slice.
            #expect(try await browser.send("/cases/hcc-type1/slice/venous/3").status == .notFound)
            #expect(try await browser.send("/cases/hcc-type1/slice/arterial/999").status == .notFound)
            #expect(try await browser.send("/cases/hcc-type1/slice/arterial/-1").status == .notFound)
        }
        #expect(try ReviewStore(resultsFolder: fixture.dir.path).currentVerdicts().isEmpty)
    }

    @Test func formsWithoutTheSessionsTokenAreRefused() async throws {
        let fixture = try ReviewFixture()
        try await fixture.server().application().test(.router) { client in
            var alice = Browser(client: client)
            _ = try await alice.login("alice", ReviewFixture.password)
            _ = try await alice.send("/cases/hcc-type2")
            let token = try #require(alice.csrf)
            #expect(try await alice.send("/cases/hcc-type2/verdict", method: .post, form: ["type": "2"]).status == .forbidden)
            #expect(try await alice.send("/cases/hcc-type2/verdict", method: .post, form: ["type": "2", "csrf": ""]).status == .forbidden)
            #expect(try await alice.send("/cases/hcc-type2/verdict", method: .post,
                                         form: ["type": "2", "csrf": String(token.reversed())]).status == .forbidden)
            // Another reader's token does not work in this session.
            var bob = Browser(client: client)
            _ = try await bob.login("bob", ReviewFixture.password)
            _ = try await bob.send("/worklist")
            #expect(bob.csrf != token)
            #expect(try await alice.send("/cases/hcc-type2/verdict", method: .post, form: ["type": "2", "csrf": bob.csrf!]).status == .forbidden)
            #expect(try await alice.send("/logout", method: .post, form: [:]).status == .forbidden)
            #expect(try ReviewStore(resultsFolder: fixture.dir.path).currentVerdicts().isEmpty)
            // With it: stored, and the page says so.
            let saved = try await alice.send("/cases/hcc-type2/verdict", method: .post,
                                              form: ["type": "2", "confidence": "4", "comment": "ring <b>clear</b>", "not_assessable": "", "csrf": token])
            #expect(saved.status == .seeOther && saved.headers[.location] == "/cases/hcc-type2?saved=1")
            let page = String(buffer: try await alice.send("/cases/hcc-type2?saved=1").body)
            #expect(page.contains("id=\"saved\""))
            #expect(page.contains("ring &lt;b&gt;clear&lt;/b&gt;") && !page.contains("<b>clear</b>"))
            // Revised: both kept, the latest counts.
            _ = try await alice.send("/cases/hcc-type2/verdict", method: .post,
                                     form: ["type": "", "not_assessable": "artefact", "csrf": token])
            // Logging out ends the session; its token is gone with it.
            let out = try await alice.send("/logout", method: .post, form: ["csrf": token])
            #expect(out.status == .seeOther && out.headers[.location] == "/login")
            #expect(try await alice.send("/worklist").status == .seeOther)
        }
        let store = try ReviewStore(resultsFolder: fixture.dir.path)
        let history = try store.history(caseID: "hcc-type2", reader: "alice")
        #expect(history.map(\.type) == [2, nil])
        #expect(history[0].confidence == 4 && history[0].automaticType == 2 && history[1].notAssessable == "artefact")
    }

    @Test func passwordsAreStoredAsBcryptHashesOnly() throws {
        let fixture = try ReviewFixture()
        let database = fixture.dir.file(ReviewStore.fileName)
        let queue = try DatabaseQueue(path: database)
        let rows = try queue.read { db in try Row.fetchAll(db, sql: "SELECT name, password_hash FROM readers ORDER BY name") }
        #expect(rows.map { $0["name"] as String } == ["alice", "bob"])
        for row in rows {
            let hash: String = row["password_hash"]
            #expect(hash.hasPrefix("$2b$04$") && hash.count == 60)
            #expect(!hash.contains(ReviewFixture.password))
        }
        try queue.close()
        // Nowhere in the database's bytes (nor its journal).
        for file in [database, database + "-wal"] where FileManager.default.fileExists(atPath: file) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect(bytes.range(of: Data(ReviewFixture.password.utf8)) == nil, "\(file)")
        }
        let store = try ReviewStore(resultsFolder: fixture.dir.path)
        #expect(try ReaderAccounts.verify(reader: "alice", password: ReviewFixture.password, in: store))
        #expect(try !ReaderAccounts.verify(reader: "alice", password: "correct horse batterY", in: store))
        #expect(throws: RadiomicsError.self) { try ReaderAccounts.add(reader: "carol", password: "short", to: store, cost: 4) }
        #expect(throws: RadiomicsError.self) { try ReaderAccounts.add(reader: "../carol", password: "long enough", to: store, cost: 4) }
    }

    @Test func blindedReadsHideTheAutomaticTypeUntilTheVerdict() async throws {
        let fixture = try ReviewFixture()
        try await fixture.server(.init(blinded: true)).application().test(.router) { client in
            var browser = Browser(client: client)
            _ = try await browser.login("alice", ReviewFixture.password)
            let list = String(buffer: try await browser.send("/worklist").body)
            #expect(list.contains("id=\"blinded\""))
            #expect(!list.contains("<td class=\"automatic\">3</td>") && list.contains("<td class=\"automatic\">hidden</td>"))
            // Blinded, the type filter is the reader's own type: filtering by 3 must not reveal the automatic 3.
            #expect(!String(buffer: try await browser.send("/worklist?type=3").body).contains("hcc-type3"))
            let before = String(buffer: try await browser.send("/cases/hcc-type3").body)
            #expect(before.contains("id=\"automatic-hidden\""))
            for leak in ["automatic-type", "rule-of-septate-tumours", "rim_minus_core_hu", "10.1"] { #expect(!before.contains(leak), "\(leak)") }
            _ = try await browser.send("/cases/hcc-type3/verdict", method: .post, form: ["type": "4", "confidence": "2", "csrf": browser.csrf!])
            let after = String(buffer: try await browser.send("/cases/hcc-type3").body)
            #expect(after.contains("<b id=\"automatic-type\">3</b>") && after.contains("rim_minus_core_hu"))
            #expect(String(buffer: try await browser.send("/worklist").body).contains("<td class=\"automatic\">3</td>"))
        }
        // The verdict keeps the automatic call of its time, though the reader did not see it.
        #expect(try ReviewStore(resultsFolder: fixture.dir.path).currentVerdicts().map(\.automaticType) == [3])
    }

    @Test func worklistFiltersAndCasePage() async throws {
        let fixture = try ReviewFixture()
        try await fixture.server().application().test(.router) { client in
            var browser = Browser(client: client)
            _ = try await browser.login("bob", ReviewFixture.password)
            let all = String(buffer: try await browser.send("/worklist").body)
            #expect(all.contains("0 of 4 done") && all.contains("data-next=\"/cases/hcc-type1\""))
            #expect(String(buffer: try await browser.send("/worklist?type=2").body).components(separatedBy: "class=\"case-row").count == 2)
            let page = String(buffer: try await browser.send("/cases/hcc-type1").body)
            for phase in ["precontrast", "arterial", "portal"] { #expect(page.contains("id=\"img-\(phase)\"")) }
            #expect(page.contains("<b id=\"automatic-type\">1</b>") && page.contains("data-next=\"/cases/hcc-type2\""))
            _ = try await browser.send("/cases/hcc-type1/verdict", method: .post, form: ["type": "1", "csrf": browser.csrf!])
            let done = String(buffer: try await browser.send("/worklist?state=done").body)
            #expect(done.contains("data-case=\"hcc-type1\"") && !done.contains("data-case=\"hcc-type2\""))
            #expect(!String(buffer: try await browser.send("/worklist?state=todo").body).contains("data-case=\"hcc-type1\""))
            // A verdict must be a type or a reason, not neither or both.
            for form in [["type": ""], ["type": "5"], ["type": "2", "not_assessable": "artefact"], ["type": "2", "confidence": "9"],
                         ["not_assessable": "bored"]] {
                var f = form
                f["csrf"] = browser.csrf!
                let r = try await browser.send("/cases/hcc-type2/verdict", method: .post, form: f)
                #expect(r.status == .badRequest && String(buffer: r.body).contains("id=\"form-error\""), "\(form)")
            }
            // A slice: a PNG of the display grid's size, each window different.
            let arterial = try await browser.send("/cases/hcc-type2/slice/arterial/4?window=liver")
            #expect(arterial.status == .ok && arterial.headers[.contentType] == "image/png")
            #expect(Array(arterial.body.readableBytesView.prefix(8)) == [137, 80, 78, 71, 13, 10, 26, 10])
            let soft = try await browser.send("/cases/hcc-type2/slice/arterial/4?window=soft&overlay=1")
            #expect(soft.body != arterial.body)
        }
        #expect(try ReviewStore(resultsFolder: fixture.dir.path).currentVerdicts().count == 1)
    }

    @Test func sessionsExpire() async throws {
        let fixture = try ReviewFixture()
        let clock = ManualClock()
        try await fixture.server(.init(sessionExpiry: .seconds(3600)), clock: clock).application().test(.router) { client in
            var browser = Browser(client: client)
            _ = try await browser.login("alice", ReviewFixture.password)
            #expect(try await browser.send("/worklist").status == .ok)
            clock.advance(by: .seconds(3599))
            #expect(try await browser.send("/worklist").status == .ok)
            clock.advance(by: .seconds(2))
            #expect(try await browser.send("/worklist").status == .seeOther)
            #expect(try await browser.send("/cases/hcc-type1/slice/arterial/3").status == .unauthorized)
        }
    }

    @Test func slicesShowThePhasesOnOneGridWithTheTumourOutlined() throws {
        let fixture = try ReviewFixture()
        let server = try fixture.server()
        let input = try #require(server.cases.inputs["hcc-type2"])
        let s = try CaseSlices.load(input, caseID: "hcc-type2")
        #expect(s.phases == [.precontrast, .arterial, .portal])
        let n = s.grid.size
        for phase in s.phases { #expect(s.volumes[phase]!.geometry == s.grid) }
        // The tumour is inside the display grid, with the margin around it.
        let box = try #require(s.tumour.boundingBox)
        #expect(box.lower.x > 0 && box.lower.y > 0 && box.upper.x < n.x - 1 && box.upper.y < n.y - 1)
        let k = s.largestSlice, slab = (k * n.x * n.y)..<((k + 1) * n.x * n.y)
        #expect(s.tumour.voxels[slab].contains(1))
        // The core lies inside the tumour and is smaller.
        let core = try #require(s.maps?.core)
        #expect(core.regionVoxelCount > 0 && core.regionVoxelCount < s.tumour.regionVoxelCount)
        #expect(zip(core.voxels, s.tumour.voxels).allSatisfy { $0.0 == 0 || $0.1 != 0 })
        // Outline pixels are red; with the overlay, cyan ones appear too.
        let rgb = SliceSnapshotProbe.render(Array(s.volumes[.arterial]!.voxels[slab]), n.x, n.y, Array(s.tumour.voxels[slab]), Array(core.voxels[slab]))
        #expect(rgb.red > 0 && rgb.cyan > 0)
    }

    /// The septum overlay shows the voxels the typing counted: on the same cases their share of the tumour's
    /// interior is the `septum_fraction` that `vasc classify` measures.
    @Test func septumOverlayIsWhatTheTypingCounted() throws {
        let fixture = try ReviewFixture()
        let server = try fixture.server()
        var counts: [String: Int] = [:]
        for id in ["hcc-type1", "hcc-type3"] {
            let input = try #require(server.cases.inputs[id])
            let s = try CaseSlices.load(input, caseID: id)
            let septa = try #require(s.maps?.septa)
            let typed = try VascularizationTyping.measure(input, rules: VascularizationRules()).quantities
            let m = VascularizationRules().measurement
            let depth = DistanceTransform.depth(of: s.tumour)
            let interior = (0..<depth.voxels.count).filter { s.tumour.voxels[$0] != 0 && Double(depth.voxels[$0]) >= m.interiorDepthMM }.count
            let fraction = try #require(typed["septum_fraction"])
            #expect(abs(Double(septa.regionVoxelCount) / Double(interior) - fraction) < 1e-12, "\(id)")
            #expect(zip(septa.voxels, s.tumour.voxels).allSatisfy { $0.0 == 0 || $0.1 != 0 })
            counts[id] = septa.regionVoxelCount
        }
        // The septate (type 3) sample responds; the homogeneous one (type 1) less.
        #expect(counts["hcc-type3"]! > 0 && counts["hcc-type3"]! > counts["hcc-type1"]!)
    }
}

/// Counts of red and cyan pixels of a rendered slice.
enum SliceSnapshotProbe {
    static func render(_ plane: [Float], _ w: Int, _ h: Int, _ tumour: [UInt8], _ core: [UInt8]) -> (red: Int, cyan: Int) {
        let rgb = SliceSnapshot.render(plane: plane, width: w, height: h, windowCentre: 60, windowWidth: 160,
                                       outlines: [.init(region: tumour, red: 255, green: 40, blue: 40), .init(region: core, red: 0, green: 220, blue: 255)])
        var red = 0, cyan = 0
        for p in 0..<(w * h) {
            if rgb[3 * p] == 255 && rgb[3 * p + 1] == 40 { red += 1 }
            if rgb[3 * p] == 0 && rgb[3 * p + 1] == 220 { cyan += 1 }
        }
        return (red, cyan)
    }
}

@Suite struct LoginThrottleTests {
    final class Clock: @unchecked Sendable {
        var now = ContinuousClock.now
    }

    @Test func failuresBeyondTheFreeOnesWaitLongerEachTime() async {
        let clock = Clock()
        let throttle = LoginThrottle(policy: .init(freeFailures: 3, baseDelay: .seconds(1), maxDelay: .seconds(8), window: .seconds(600)),
                                     clock: { clock.now })
        let keys = ["reader:alice", "address:10.0.0.1"]
        var delays: [Duration] = []
        for _ in 0..<8 {
            delays.append(await throttle.delay(for: keys))
            await throttle.failed(keys)
        }
        #expect(delays == [0, 0, 0, 1, 2, 4, 8, 8].map { Duration.seconds($0) })
        // The same address trying another reader name waits as well.
        #expect(await throttle.delay(for: ["reader:bob", "address:10.0.0.1"]) == .seconds(8))
        // A success clears the reader's count, not the address's.
        await throttle.succeeded("reader:alice")
        #expect(await throttle.delay(for: ["reader:alice"]) == .zero)
        #expect(await throttle.delay(for: ["address:10.0.0.1"]) == .seconds(8))
        // Failures older than the window are forgotten.
        clock.now = clock.now + .seconds(601)
        #expect(await throttle.delay(for: keys) == .zero)
    }
}
