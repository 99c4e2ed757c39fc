import Foundation
import RadiomicsCore
import RadiomicsIO
import Testing
import TestSupport
@testable import ReaderReview

/// Verdicts kept with their history, agreement tables that use the statistics checked against scikit-learn and
/// statsmodels (RaterAgreementTests), and a consensus with ties flagged.
@Suite struct ReviewTests {
    let dir: TemporaryDirectory
    init() throws {
        dir = try TemporaryDirectory("review")
        // A results folder as `radiomics batch` leaves it: status.csv and vascularization.csv (case_id, type, ...).
        try "case_id,status,error,seconds\nA,ok,,1\nB,ok,,1\nC,ok,,1\nD,partial,x,1\n".write(toFile: dir.file("status.csv"), atomically: true, encoding: .utf8)
        try "case_id,type,confidence\nA,1,0.9\nB,2,0.8\nC,4,0.7\nD,,\n".write(toFile: dir.file("vascularization.csv"), atomically: true, encoding: .utf8)
    }

    @Test func revisionsKeepTheirHistory() throws {
        let store = try ReviewStore(resultsFolder: dir.path)
        try store.record(Verdict(caseID: "A", reader: "r1", type: 2, time: Date(timeIntervalSince1970: 1)))
        try store.record(Verdict(caseID: "A", reader: "r1", type: 1, confidence: 4, comment: "rim seen on portal", time: Date(timeIntervalSince1970: 2)))
        try store.record(Verdict(caseID: "A", reader: "r2", type: nil, notAssessable: "wrong phase", time: Date(timeIntervalSince1970: 3)))
        #expect(try store.history(caseID: "A", reader: "r1").map(\.type) == [2, 1])
        let current = try store.currentVerdicts()
        #expect(current.map(\.reader) == ["r1", "r2"])
        #expect(current[0].type == 1 && current[0].confidence == 4 && current[1].notAssessable == "wrong phase")
        #expect(throws: RadiomicsError.self) { try store.record(Verdict(caseID: "B", reader: "r1", type: 5)) }
        #expect(throws: RadiomicsError.self) { try store.record(Verdict(caseID: "B", reader: "r1", type: nil)) }
    }

    @Test func agreementAndConsensus() throws {
        let v = [("A", "r1", 1), ("A", "r2", 1), ("A", "r3", 2), ("B", "r1", 2), ("B", "r2", 3), ("B", "r3", 4),
                 ("C", "r1", 4), ("C", "r2", 4), ("C", "r3", 4), ("D", "r1", 3), ("D", "r2", 3), ("D", "r3", 3)]
            .map { Verdict(caseID: $0.0, reader: $0.1, type: $0.2) }
        let cases = try ReviewCases(resultsFolder: dir.path)
        #expect(cases.automaticTypes == ["A": 1, "B": 2, "C": 4])
        let report = ReviewExport.report(verdicts: v, automatic: cases.automaticTypes)
        // Pairs: algorithm with each reader and the readers with each other, on both scales.
        #expect(report.pairs.filter { $0.scale == .types }.map { "\($0.a)-\($0.b)" }
                == ["algorithm-r1", "algorithm-r2", "algorithm-r3", "r1-r2", "r1-r3", "r2-r3"])
        let r1r2 = try #require(report.pairs.first { $0.a == "r1" && $0.b == "r2" && $0.scale == .types })
        #expect(r1r2.cases == 4)
        let expected = CohenKappa(pairs: [(1, 1), (2, 3), (4, 4), (3, 3)], categories: 4)
        #expect(r1r2.kappa == expected)
        #expect(r1r2.linear == CohenKappa(pairs: [(1, 1), (2, 3), (4, 4), (3, 3)], categories: 4, weighting: .linear))
        let algorithm = try #require(report.pairs.first { $0.a == "algorithm" && $0.b == "r3" && $0.scale == .split })
        #expect(algorithm.cases == 3 && algorithm.linear == nil)
        let fleiss = try #require(report.fleiss.first { $0.scale == .types })
        #expect(fleiss.cases == 4)
        #expect(fleiss.kappa == FleissKappa.kappa(ratings: [[1, 1, 2], [2, 3, 4], [4, 4, 4], [3, 3, 3]], categories: 4))
        #expect(report.consensus == [
            .init(caseID: "A", type: 1, readers: 3, votes: 2, tie: false), .init(caseID: "B", type: nil, readers: 3, votes: 1, tie: true),
            .init(caseID: "C", type: 4, readers: 3, votes: 3, tie: false), .init(caseID: "D", type: 3, readers: 3, votes: 3, tie: false),
        ])
        let out = dir.file("export")
        try ReviewExport.write(report, to: out)
        let consensus = try CSVTable.read(path: out + "/consensus.csv")
        #expect(consensus.header == ["case_id", "type", "readers", "votes", "tie"])
        #expect(consensus.rows[1][1] == "" && consensus.rows[1][4] == "1")
        let agreement = try CSVTable.read(path: out + "/agreement.csv")
        #expect(agreement.rows.count == 12 + 2)
        let html = try String(contentsOfFile: out + "/agreement.html", encoding: .utf8)
        #expect(html.contains("Fleiss' kappa") && html.contains("ties: B"))
    }

    @Test func spreadsheetVerdictsAreCheckedRowByRow() throws {
        let cases = try ReviewCases(resultsFolder: dir.path)
        let good = dir.file("good.csv")
        try "case_id,reader,type,confidence,not_assessable,comment\nA,r1,1,5,,\"clear, homogeneous\"\nD,r1,,,artefact,\n".write(toFile: good, atomically: true, encoding: .utf8)
        let list = try cases.verdicts(fromCSV: good)
        #expect(list.count == 2 && list[0].automaticType == 1 && list[0].comment == "clear, homogeneous" && list[1].notAssessable == "artefact")
        for (text, words) in [("case_id,reader,type\nZ,r1,1\n", "case 'Z' is not in"), ("case_id,reader,type\nA,r1,7\n", "type 7 is not one of"),
                              ("case_id,reader,type\nA,r1,\n", "give a type 1-4, or the reason"), ("case_id,type\nA,1\n", "needs the columns")] {
            let p = dir.file("bad.csv")
            try text.write(toFile: p, atomically: true, encoding: .utf8)
            let e = #expect(throws: RadiomicsError.self) { try cases.verdicts(fromCSV: p) }
            #expect(e?.file == p && e?.problem.contains(words) == true, "\(String(describing: e))")
        }
    }
}
