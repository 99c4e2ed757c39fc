import Foundation
import RadiomicsCore
import RadiomicsIO
import RadiomicsSynthetic
import Testing
import TestSupport

/// `radiomics vasc ...` and `model ptace --vascularization` on small generated cases written as NIfTI.
@Suite struct VascCommandTests {
    /// One case per type (small grids), a manifest of them plus a broken row.
    final class Cohort {
        let dir: TemporaryDirectory
        var manifest: String { dir.file("manifest.csv") }
        init() throws {
            dir = try TemporaryDirectory("vasc-cli")
            var rows = ["case_id,image,mask,portal,precontrast"]
            for type in 1...4 {
                let p = SyntheticMultiphase.parameters(type: type, seed: 900 + UInt64(type), noise: 10...14, diameter: 35...50)
                let g = SyntheticMultiphase.grid(for: p, spacing: SIMD3(2, 2, 4))
                let c = SyntheticMultiphase.makeCase(p, grids: [.precontrast: g, .arterial: g, .portal: g], maskGrid: g)
                try SyntheticMultiphase.writeNIfTI(c, to: dir.file("T\(type)"), compressed: false)
                rows.append("T\(type),T\(type)/arterial.nii,T\(type)/tumour.nii,T\(type)/portal.nii,T\(type)/precontrast.nii")
            }
            rows.append("broken,missing/arterial.nii,T1/tumour.nii,,")
            try rows.joined(separator: "\n").write(toFile: manifest, atomically: true, encoding: .utf8)
        }
    }

    @Test func manifestGivesARowPerCaseAndFailedCasesKeepTheirRow() throws {
        let cohort = try Cohort()
        let out = cohort.dir.file("types.csv")
        let r = try CLI.run(["vasc", "classify", "--manifest", cohort.manifest, "--format", "csv", "--output", out])
        #expect(r.status == 0, "\(r.stderr)")
        let table = try CSVTable.read(path: out)
        #expect(Array(table.header.prefix(3)) == ["case_id", "type", "confidence"])
        let type = try table.columnIndex("type"), error = try table.columnIndex("error")
        #expect(table.rows.map { $0[0] } == ["T1", "T2", "T3", "T4", "broken"])
        #expect(table.rows.prefix(4).map { $0[type] } == ["1", "2", "3", "4"])
        #expect(table.rows[4][type].isEmpty && table.rows[4][error].contains("missing/arterial.nii: no such file"), "\(table.rows[4])")
        #expect(r.stderr.contains("1 of 5 cases failed"), "\(r.stderr)")

        // p-TACE takes the measured types where the clinical table has none; a disagreement is a warning.
        let clinical = cohort.dir.file("clinical.csv")
        try """
        case_id,vascularization_type,afp,ggt,albumin,bilirubin,tumor_size_cm
        T1,,10,40,40,10,3
        T2,,10,40,40,10,3
        T3,1,10,40,40,10,3
        T4,,10,40,40,10,3
        """.write(toFile: clinical, atomically: true, encoding: .utf8)
        let p = try CLI.run(["model", "ptace", "--clinical", clinical, "--vascularization", out])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(p.stderr.contains("case T3: vascularization type 1 in the table, 3 measured"), "\(p.stderr)")
        let scores = try CSVTable.parse(p.stdout, source: "stdout")
        let points = try scores.columnIndex("ptace_score")
        // Types 1, 2 and the table's 1 score 0 points for the pattern; the measured type 4 scores 5.5.
        #expect(scores.rows.map { $0[points] } == ["0", "0", "0", "5.5"], "\(p.stdout)")

        // vasc fit re-tunes on the labelled cases and writes a rule file that classify reads.
        let labels = cohort.dir.file("labels.csv"), rules = cohort.dir.file("fitted.yaml")
        try "case_id,type\nT1,1\nT2,2\nT3,3\nT4,4\n".write(toFile: labels, atomically: true, encoding: .utf8)
        let f = try CLI.run(["vasc", "fit", "--labels", labels, "--quantities", out, "--folds", "2", "--output", rules])
        #expect(f.status == 0, "\(f.stderr)")
        #expect(f.stdout.contains("Cross-validated (2 folds)"), "\(f.stdout)")
        let again = try CLI.run(["vasc", "classify", "--arterial", cohort.dir.file("T2/arterial.nii"),
                                 "--mask", cohort.dir.file("T2/tumour.nii"), "--rules", rules])
        #expect(again.status == 0, "\(again.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [[String: Any]]
        #expect(json?.first?["type"] as? Int == 2, "\(again.stdout)")
        #expect((json?.first?["phases"] as? [String]) == ["arterial"])
    }

    @Test func singleCaseErrorsAndOptions() throws {
        let dir = try TemporaryDirectory("vasc-cli-bad")
        let missing = try CLI.run(["vasc", "classify", "--arterial", dir.file("a.nii")])
        #expect(missing.status != 0 && missing.stderr.contains("give --arterial and --mask"), "\(missing.stderr)")
        try "thresholds:\n  nonsense: 1\n".write(toFile: dir.file("r.yaml"), atomically: true, encoding: .utf8)
        let badRules = try CLI.run(["vasc", "rules", "--rules", dir.file("r.yaml")])
        #expect(badRules.status == 1 && badRules.stderr.contains("thresholds.nonsense: unknown key"), "\(badRules.stderr)")
        let shipped = try CLI.run(["vasc", "rules"])
        let file = try String(contentsOfFile: (SharedData.repositoryRoot as NSString).appendingPathComponent("params/vascularization-rules.yaml"), encoding: .utf8)
        #expect(shipped.stdout == file, "params/vascularization-rules.yaml is 'radiomics vasc rules' output")
    }
}
