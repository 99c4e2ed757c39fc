import ArgumentParser
import Foundation
import RadiomicsCore
import ReaderReview
import ReviewWeb
#if canImport(Glibc)
import Glibc
#endif

struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Readers' review of the vascularization typing: verdicts, agreement, consensus.",
        subcommands: [ReviewServe.self, ReviewAddReader.self, ReviewImport.self, ReviewExportCommand.self])
}

/// The results folder a review command works on (and, for a `vasc classify` folder, its manifest).
struct ReviewFolderOptions: ParsableArguments {
    @Argument(help: "Results folder (radiomics batch output, or a folder with vasc classify's vascularization.csv).") var results: String
    @Option(help: "Case manifest (for a `vasc classify` folder; a batch folder needs none).") var manifest: String?

    func open() throws -> ReviewFolder { try ReviewFolder(results: results, manifest: manifest) }
}

struct ReviewImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add verdicts typed elsewhere (a spreadsheet) to a results folder's review.",
        discussion: "FILE.csv has case_id, reader, type (1-4) and optionally confidence (1-5), not_assessable (a reason, instead of a type), comment. Every row is checked before any is stored; a verdict given again is a revision (the history is kept).")
    @OptionGroup var folder: ReviewFolderOptions
    @Option(help: "CSV table of verdicts.") var verdicts: String

    func run() throws {
        try reportingErrors {
            let review = try folder.open()
            let list = try review.cases.verdicts(fromCSV: verdicts)
            for v in list { try review.store.record(v) }
            FileHandle.standardError.write(Data("review: \(list.count) verdicts stored in \(review.store.path)\n".utf8))
        }
    }
}

struct ReviewExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the verdicts, the agreement (Cohen's and Fleiss' kappa) and a consensus type per case.",
        discussion: "OUTPUT gets verdicts.csv, agreement.csv, agreement.html and consensus.csv (case_id,type,...; `radiomics model ptace --vascularization` reads it). Agreement: the algorithm against each reader and every pair of readers, on types 1-4 (unweighted and linear weighted) and on p-TACE's split 1/2 vs 3/4; Fleiss' kappa for three or more readers.")
    @OptionGroup var folder: ReviewFolderOptions
    @Option(help: "Output folder (default: RESULTS/review).") var output: String?

    func run() throws {
        try reportingErrors {
            let review = try folder.open()
            let report = ReviewExport.report(verdicts: try review.store.currentVerdicts(), automatic: review.cases.automaticTypes)
            let tables = output ?? (folder.results as NSString).appendingPathComponent("review")
            try ReviewExport.write(report, to: tables)
            FileHandle.standardError.write(Data("review: \(report.verdicts.count) verdicts of \(Set(report.verdicts.map(\.reader)).count) readers; tables in \(tables)/\n".utf8))
        }
    }
}

struct ReviewServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the review page: readers log in, type the cases on the CT phases, and their verdicts are stored.",
        discussion: "RESULTS is the output of `radiomics batch` (its results.sqlite says where each case's images are), or a folder with `vasc classify`'s vascularization.csv together with --manifest. Verdicts go to RESULTS/review.sqlite; `radiomics review export` writes the agreement tables. Readers are added with `radiomics review add-reader`. The server binds to 127.0.0.1 unless --host says otherwise; put it behind TLS before opening it to a network.")
    @OptionGroup var folder: ReviewFolderOptions
    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port.") var port = 8080
    @Flag(help: "Blinded reads: the automatic type is hidden until the reader has given a verdict.") var blinded = false
    @Option(name: .customLong("session-hours"), help: "Hours a login lasts.") var sessionHours = 8.0

    func run() async throws {
        let server = try reportingErrors { () throws -> ReviewServer in
            guard (1...65535).contains(port) else { throw RadiomicsError("--port \(port) is not a port number (1-65535)") }
            guard sessionHours > 0, sessionHours <= 24 * 30 else { throw RadiomicsError("--session-hours must be more than 0 and at most 720, got \(sessionHours)") }
            let configuration = ReviewServerConfiguration(host: host, port: port, blinded: blinded,
                                                          sessionExpiry: .seconds(Int(sessionHours * 3600)))
            let server = try ReviewServer(folder: try folder.open(), configuration: configuration)
            guard try !server.store.readers().isEmpty else {
                throw RadiomicsError(file: folder.results, "no readers can log in yet: add one with `radiomics review add-reader NAME --results \(folder.results)`")
            }
            return server
        }
        if !["127.0.0.1", "localhost", "::1"].contains(host) {
            warn("serving on \(host): every machine that reaches it can try to log in; readers' passwords and the images cross the network unencrypted unless a TLS proxy is in front")
        }
        FileHandle.standardError.write(Data("review: \(server.cases.automatic.count) cases\(blinded ? ", blinded" : "") at http://\(host):\(port)/ (Ctrl-C stops)\n".utf8))
        try await server.application().runService()
    }
}

struct ReviewAddReader: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-reader",
        abstract: "Add a reader who may log in to the review page (or set a reader's new password).",
        discussion: "The password is stored as a bcrypt hash in RESULTS/review.sqlite. Without --password-file it is read from the terminal without echo (twice), or as one line from standard input when that is not a terminal.")
    @Argument(help: "Reader name (letters, digits, '.', '_' or '-').") var name: String
    @Option(help: "Results folder.") var results: String
    @Option(name: .customLong("password-file"), help: "File whose first line is the password.") var passwordFile: String?

    func run() throws {
        try reportingErrors {
            try ReviewStore.checkReaderName(name)
            let password: String
            if let passwordFile {
                guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                    throw RadiomicsError(file: passwordFile, "cannot read the password file")
                }
                password = String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                    .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            } else if isatty(0) != 0 {
                let first = try Self.readSecret("Password for \(name): ")
                guard try Self.readSecret("Again: ") == first else { throw RadiomicsError("the two passwords differ") }
                password = first
            } else {
                password = readLine(strippingNewline: true) ?? ""
            }
            let store = try ReviewFolder(results: results).store
            try ReaderAccounts.add(reader: name, password: password, to: store)
            FileHandle.standardError.write(Data("review: reader \(name) can log in (password stored as a bcrypt hash in \(store.path))\n".utf8))
        }
    }

    /// A line from the terminal with echo off.
    static func readSecret(_ prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        guard tcgetattr(0, &saved) == 0 else { throw RadiomicsError("cannot read the terminal's settings") }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(0, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
}
