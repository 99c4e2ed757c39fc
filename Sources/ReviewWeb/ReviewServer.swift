import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging
import Mustache
import RadiomicsCore
import RadiomicsPipeline
import ReaderReview

/// A logged-in reader's session: the reader and the token every form of the session must carry (CSRF).
public struct ReaderSession: Codable, Sendable {
    public var reader: String
    public var csrf: String
}

/// The request context of the review page: the session (HummingbirdAuth's session middleware) and the
/// client's address (for slowing down repeated failed logins).
public struct ReviewContext: SessionRequestContext, RequestContext {
    public typealias Session = ReaderSession
    public var coreContext: CoreRequestContextStorage
    public let sessions: SessionContext<ReaderSession>
    public let clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        sessions = .init()
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Forms are small: a verdict's comment, a login.
    public var maxUploadSize: Int { 64 * 1024 }
}

/// How the review server runs.
public struct ReviewServerConfiguration: Sendable {
    /// The address to bind: loopback unless told otherwise (patient images).
    public var host: String
    public var port: Int
    /// Blinded reads: the automatic type (and the quantities behind it) stay hidden until the reader's verdict.
    public var blinded: Bool
    /// A session ends this long after login.
    public var sessionExpiry: Duration
    public var throttle: LoginThrottle.Policy
    /// Loaded cases kept in memory, in bytes.
    public var cacheBytes: Int

    public init(host: String = "127.0.0.1", port: Int = 8080, blinded: Bool = false, sessionExpiry: Duration = .seconds(8 * 3600),
                throttle: LoginThrottle.Policy = .init(), cacheBytes: Int = 512 << 20) {
        self.host = host
        self.port = port
        self.blinded = blinded
        self.sessionExpiry = sessionExpiry
        self.throttle = throttle
        self.cacheBytes = cacheBytes
    }
}

/// The readers' review in the browser (Hummingbird 2): login, a worklist, a case page with the phases' slices
/// through the tumour, and a verdict form whose verdicts go to `review.sqlite` beside the results. Pages and
/// images need a session; images are addressed by case id and slice index only, and a case id that is not in the
/// results folder is a 404.
public final class ReviewServer: Sendable {
    public let cases: ReviewCases
    public let store: ReviewStore
    public let configuration: ReviewServerConfiguration
    let slices: CaseSliceCache
    let throttle: LoginThrottle
    let templates: MustacheLibrary
    let sessionStorage: any PersistDriver

    /// `sessionClock` measures the sessions' lifetimes (tests pass a clock they move by hand).
    public init<C: Clock>(folder: ReviewFolder, configuration: ReviewServerConfiguration = .init(), sessionClock: C = ContinuousClock())
        throws where C.Duration == Duration {
        sessionStorage = MemoryPersistDriver(sessionClock)
        cases = folder.cases
        store = folder.store
        self.configuration = configuration
        slices = CaseSliceCache(inputs: cases.inputs, budgetBytes: configuration.cacheBytes)
        throttle = LoginThrottle(policy: configuration.throttle)
        templates = try ReviewTemplates.library()
    }

    /// The web application, ready to run (`runService()`) or to test.
    public func application(logger: Logger? = nil) -> some ApplicationProtocol {
        var app = Application(router: router(),
                              configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                                   serverName: "radiomics-review"),
                              logger: logger)
        app.addServices(sessionStorage)
        return app
    }

    public func router() -> Router<ReviewContext> {
        let router = Router(context: ReviewContext.self)
        router.add(middleware: SecurityHeaders())
        let cookie = SessionCookieParameters(name: "review_session", path: "/", secure: false, sameSite: .strict)
        router.add(middleware: SessionMiddleware(storage: sessionStorage,
                                                 configuration: .init(sessionCookieParameters: cookie,
                                                                      defaultSessionExpiration: configuration.sessionExpiry)))
        router.add(middleware: RequireReader())
        router.get("/static/review.css") { _, _ in Self.asset(ReviewTemplates.css, type: "text/css; charset=utf-8") }
        router.get("/static/review.js") { _, _ in Self.asset(ReviewTemplates.script, type: "text/javascript; charset=utf-8") }
        router.get("/login") { [self] request, context in loginPage(request, context, error: nil) }
        router.post("/login") { [self] request, context in try await login(request, context) }
        router.post("/logout") { [self] request, context in try await logout(request, context) }
        router.get("/") { _, _ in Self.seeOther("/worklist") }
        router.get("/worklist") { [self] request, context in try worklist(request, context) }
        router.get("/cases/:id") { [self] request, context in try await casePage(request, context) }
        router.get("/cases/:id/slice/:phase/:index") { [self] request, context in try await slice(request, context) }
        router.post("/cases/:id/verdict") { [self] request, context in try await verdict(request, context) }
        return router
    }

    // MARK: Pages

    func render(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let body = templates.render(values, withTemplate: template) ?? ""
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    func common(_ context: ReviewContext, title: String, page: String) -> [String: Any] {
        var values: [String: Any] = ["title": title, "page": page, "blinded": configuration.blinded]
        if let session = context.sessions.session {
            values["reader"] = session.reader
            values["csrf"] = session.csrf
        }
        return values
    }

    func loginPage(_ request: Request, _ context: ReviewContext, error: String?, status: HTTPResponse.Status = .ok) -> Response {
        // Login forms carry a token that must equal a cookie set with the form (no session exists yet). A token
        // the browser already holds is kept, so two login tabs (or a favicon fetch) do not invalidate each other.
        let held = request.cookies[Self.loginCookie]?.value
        let token = held.flatMap { CSRFToken.isWellFormed($0) ? $0 : nil } ?? CSRFToken.make()
        var values = common(context, title: "Log in", page: "login")
        values["reader"] = nil
        values["loginToken"] = token
        values["error"] = error
        var response = render("login", values, status: status)
        response.setCookie(Cookie(name: Self.loginCookie, value: token, path: "/login", httpOnly: true, sameSite: .strict))
        return response
    }

    static let loginCookie = "review_login"

    func login(_ request: Request, _ context: ReviewContext) async throws -> Response {
        let form = try await Self.form(request, context)
        guard let token = form["csrf"], let cookie = request.cookies[Self.loginCookie]?.value, CSRFToken.equal(token, cookie) else {
            return Self.refused(.forbidden, "The login form is out of date or was not sent by this page: reload it and try again.")
        }
        let reader = form["reader"] ?? "", password = form["password"] ?? ""
        let keys = ["reader:" + reader] + (context.clientAddress.map { ["address:" + $0] } ?? [])
        let wait = await throttle.delay(for: keys)
        if wait > .zero { try await Task.sleep(for: wait) }
        let ok = try await Task.detached { [store] in try ReaderAccounts.verify(reader: reader, password: password, in: store) }.value
        guard ok else {
            await throttle.failed(keys)
            context.logger.notice("failed login", metadata: ["reader": .string(reader), "address": .string(context.clientAddress ?? "")])
            return loginPage(request, context, error: "Wrong reader name or password.", status: .unauthorized)
        }
        await throttle.succeeded("reader:" + reader)
        context.sessions.createSession(ReaderSession(reader: reader, csrf: CSRFToken.make()), expiresIn: configuration.sessionExpiry)
        return Self.seeOther("/worklist")
    }

    func logout(_ request: Request, _ context: ReviewContext) async throws -> Response {
        _ = try await checkedForm(request, context)
        context.sessions.clearSession()
        return Self.seeOther("/login")
    }

    /// One reader's view of the cases: their current verdicts and the automatic types.
    struct CaseState {
        var id: String
        var automatic: Int??
        var verdict: Verdict?
    }

    func states(reader: String) throws -> [CaseState] {
        let mine = Dictionary(try store.currentVerdicts(reader: reader).map { ($0.caseID, $0) }, uniquingKeysWith: { $1 })
        return cases.caseIDs.map { CaseState(id: $0, automatic: cases.automatic[$0], verdict: mine[$0]) }
    }

    static func typeText(_ v: Verdict?) -> String {
        guard let v else { return "" }
        return v.type.map(String.init) ?? "not assessable"
    }

    func worklist(_ request: Request, _ context: ReviewContext) throws -> Response {
        let session = context.sessions.session!
        let state = String(request.uri.queryParameters["state"] ?? "all")
        let type = String(request.uri.queryParameters["type"] ?? "any")
        let all = try states(reader: session.reader)
        let blinded = configuration.blinded
        let rows = all.filter { c in
            switch state {
            case "todo": if c.verdict != nil { return false }
            case "done": if c.verdict == nil { return false }
            default: break
            }
            // Blinded, the type filter is the reader's own type (the automatic one is not to be seen).
            let shown: Int? = blinded ? c.verdict?.type : (c.automatic ?? nil)
            switch type {
            case "1", "2", "3", "4": return shown == Int(type)
            case "none": return shown == nil
            default: return true
            }
        }.map { c -> [String: Any] in
            let automaticVisible = !blinded || c.verdict != nil
            return ["caseID": c.id, "href": Self.caseHref(c.id), "state": c.verdict == nil ? "to do" : "done",
                    "stateClass": c.verdict == nil ? "todo" : "done",
                    "automatic": automaticVisible ? ((c.automatic ?? nil).map(String.init) ?? "not typed") : "hidden",
                    "mine": Self.typeText(c.verdict), "confidence": c.verdict?.confidence.map(String.init) ?? ""]
        }
        var values = common(context, title: "Worklist", page: "worklist")
        values["rows"] = rows
        values["caseCount"] = all.count
        values["doneCount"] = all.filter { $0.verdict != nil }.count
        values["states"] = [("all", "All"), ("todo", "To do"), ("done", "Done")].map {
            ["value": $0.0, "label": $0.1, "selected": $0.0 == state] as [String: Any]
        }
        values["typeFilterLabel"] = blinded ? "Your type" : "Automatic type"
        values["typeFilters"] = [("any", "Any"), ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("none", "None")].map {
            ["value": $0.0, "label": $0.1, "selected": $0.0 == type] as [String: Any]
        }
        if let next = all.first(where: { $0.verdict == nil }) { values["nextHref"] = Self.caseHref(next.id) }
        return render("worklist", values)
    }

    /// The case id of a route, percent-decoded, if it is a case of the results folder (else the route is a 404).
    func knownCase(_ context: ReviewContext) throws -> String {
        guard let raw = context.parameters.get("id"), let id = raw.removingPercentEncoding, cases.automatic[id] != nil else {
            throw HTTPError(.notFound, message: "No such case.")
        }
        return id
    }

    static let reasons = ["wrong phase", "artefact", "mask wrong", "other"]

    func casePage(_ request: Request, _ context: ReviewContext, formError: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let id = try knownCase(context)
        let session = context.sessions.session!
        let all = try states(reader: session.reader)
        let current = all.first { $0.id == id }!
        let history = try store.history(caseID: id, reader: session.reader)
        var values = common(context, title: "Case \(id)", page: "case")
        values["caseID"] = id
        values["base"] = Self.caseHref(id)
        values["state"] = current.verdict == nil ? "to do" : "done"
        values["saved"] = request.uri.queryParameters["saved"] != nil && formError == nil
        values["formError"] = formError
        // The next case to do after this one (else the first to do).
        let index = all.firstIndex { $0.id == id }!
        if let next = (all[(index + 1)...] + all[..<index]).first(where: { $0.verdict == nil }) { values["nextHref"] = Self.caseHref(next.id) }
        switch await slices.slices(id) {
        case .success(let s):
            values["viewer"] = [
                "base": Self.caseHref(id), "sliceCount": s.sliceCount, "maxSlice": s.sliceCount - 1, "slice": s.largestSlice,
                "sliceLabel": "\(s.largestSlice + 1) / \(s.sliceCount)", "window": WindowPreset.liver.rawValue,
                "hasMaps": s.maps != nil, "warnings": s.warnings,
                "windows": WindowPreset.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0 == .liver] as [String: Any] },
                // Each phase's name and label; the template finds base, slice and window in the viewer around it.
                "phases": s.phases.map { ["name": $0.rawValue, "label": Self.phaseLabel($0)] },
            ] as [String: Any]
        case .failure(let e):
            values["loadError"] = e.description
        case nil:
            values["loadError"] = "the results folder does not say which images this case was read from"
        }
        let shown = !configuration.blinded || current.verdict != nil
        values["automaticShown"] = shown
        if shown {
            values["automatic"] = (current.automatic ?? nil).map(String.init) ?? "not typed"
            let row = cases.typing[id] ?? []
            values["rule"] = row.first { $0.name == "rule" }?.value
            let quantities = row.filter { !["type", "rule", "phases", "warnings"].contains($0.name) }
            values["quantities"] = quantities.map { ["name": $0.name, "value": $0.value] }
            values["hasQuantities"] = !quantities.isEmpty
        }
        let v = current.verdict
        values["types"] = (1...4).map { t -> [String: Any] in ["value": t, "checked": v?.type == .some(t)] }
        values["confidences"] = [["value": "", "label": "—", "selected": v?.confidence == nil] as [String: Any]]
            + (1...5).map { c -> [String: Any] in
                ["value": "\(c)", "label": ["1 unsure", "2", "3", "4", "5 certain"][c - 1], "selected": v?.confidence == .some(c)]
            }
        values["reasons"] = [["value": "", "label": "— (assessable)", "selected": v?.notAssessable == nil] as [String: Any]]
            + Self.reasons.map { ["value": $0, "label": $0, "selected": v?.notAssessable == $0] as [String: Any] }
        values["comment"] = v?.comment ?? ""
        let time = ISO8601DateFormatter()
        values["history"] = history.reversed().map { h -> [String: Any] in
            ["time": time.string(from: h.time), "type": h.type.map(String.init) ?? "—", "confidence": h.confidence.map(String.init) ?? "",
             "notAssessable": h.notAssessable ?? "", "comment": h.comment]
        }
        values["hasHistory"] = !history.isEmpty
        return render("case", values, status: status)
    }

    static func phaseLabel(_ p: CasePhase) -> String {
        switch p {
        case .image: "Image"
        case .precontrast: "Pre-contrast"
        case .arterial: "Arterial"
        case .portal: "Portal venous"
        }
    }

    func slice(_ request: Request, _ context: ReviewContext) async throws -> Response {
        let id = try knownCase(context)
        guard let phase = context.parameters.get("phase").flatMap(CasePhase.init(rawValue:)),
              let index = context.parameters.get("index").flatMap({ Int($0) }) else {
            throw HTTPError(.notFound, message: "No such slice.")
        }
        let window = request.uri.queryParameters["window"].flatMap { WindowPreset(rawValue: String($0)) } ?? .liver
        let overlay = request.uri.queryParameters["overlay"] == "1", septa = request.uri.queryParameters["septa"] == "1"
        guard let loaded = await slices.slices(id) else { throw HTTPError(.notFound, message: "No images for this case.") }
        let s: CaseSlices
        do { s = try loaded.get() } catch { throw HTTPError(.notFound, message: "The images of this case cannot be read.") }
        guard s.volumes[phase] != nil, (0..<s.sliceCount).contains(index) else { throw HTTPError(.notFound, message: "No such slice.") }
        let png = try s.png(phase: phase, slice: index, window: window, overlay: overlay, septa: septa)
        return Response(status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: ByteBuffer(bytes: png)))
    }

    func verdict(_ request: Request, _ context: ReviewContext) async throws -> Response {
        let id = try knownCase(context)
        let form = try await checkedForm(request, context)
        let session = context.sessions.session!
        let reason = (form["not_assessable"] ?? "").trimmingCharacters(in: .whitespaces)
        var type: Int?
        if let text = form["type"], !text.isEmpty { type = Int(text) ?? -1 }
        let confidence = (form["confidence"] ?? "").isEmpty ? nil : Int(form["confidence"]!) ?? -1
        guard reason.isEmpty || Self.reasons.contains(reason) else {
            return try await casePage(request, context, formError: "Unknown reason '\(reason)'.", status: .badRequest)
        }
        if type != nil && !reason.isEmpty {
            return try await casePage(request, context, formError: "Give a type or flag the case as not assessable, not both.", status: .badRequest)
        }
        let verdict = Verdict(caseID: id, reader: session.reader, type: type, confidence: confidence,
                              notAssessable: reason.isEmpty ? nil : reason, comment: String((form["comment"] ?? "").prefix(4000)),
                              automaticType: cases.automatic[id] ?? nil)
        do {
            try verdict.validate()
        } catch let e as RadiomicsError {
            return try await casePage(request, context, formError: e.problem, status: .badRequest)
        }
        try store.record(verdict)
        return Self.seeOther(Self.caseHref(id) + "?saved=1")
    }

    // MARK: Helpers

    /// The form of a POST whose CSRF token equals the session's; anything else is refused (403).
    func checkedForm(_ request: Request, _ context: ReviewContext) async throws -> [String: String] {
        let form = try await Self.form(request, context)
        guard let session = context.sessions.session, let token = form["csrf"], CSRFToken.equal(token, session.csrf) else {
            throw HTTPError(.forbidden, message: "The form was not sent by this session's page (missing or wrong CSRF token).")
        }
        return form
    }

    /// An `application/x-www-form-urlencoded` body as name -> value (the last value of a repeated name).
    static func form(_ request: Request, _ context: ReviewContext) async throws -> [String: String] {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        var out: [String: String] = [:]
        for pair in String(buffer: body).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            out[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return out
    }

    static func caseHref(_ id: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        allowed.remove(";")
        return "/cases/" + (id.addingPercentEncoding(withAllowedCharacters: allowed) ?? id)
    }

    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    static func refused(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Without a session only the login page and the style sheet and script are served: pages redirect to the login
/// page, everything else (images, form posts) is 401.
struct RequireReader: RouterMiddleware {
    typealias Context = ReviewContext

    func handle(_ request: Request, context: ReviewContext, next: (Request, ReviewContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path == "/login" || path.hasPrefix("/static/") || path == "/favicon.ico" { return try await next(request, context) }
        guard context.sessions.session != nil else {
            if request.method == .get && !path.contains("/slice/") { return ReviewServer.seeOther("/login") }
            return ReviewServer.refused(.unauthorized, "Log in first.")
        }
        return try await next(request, context)
    }
}

/// Headers for every response: no framing, no sniffing, no referrer, scripts and pictures from this server only,
/// and nothing stored by the browser but the style sheet and script.
struct SecurityHeaders: RouterMiddleware {
    typealias Context = ReviewContext

    func handle(_ request: Request, context: ReviewContext, next: (Request, ReviewContext) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}
