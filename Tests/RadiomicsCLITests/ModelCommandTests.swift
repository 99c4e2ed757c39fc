import Foundation
import FusionModel
import Testing
import TestSupport

/// `radiomics model ...` end to end: clinical scores, fitting, prediction, evaluation with a report.
@Suite struct ModelCommandTests {
    static let clinical = """
    case_id,vascularization_type,afp,ggt,albumin,bilirubin,tumor_size_cm,refractory
    HCC-001,3,120,80,38,18,6.2,1
    HCC-002,1,5,30,45,9,2.5,0
    """

    @Test func ptaceScores() throws {
        let dir = try TemporaryDirectory("model")
        try Self.clinical.write(toFile: dir.file("c.csv"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["model", "ptace", "--clinical", dir.file("c.csv")])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines[0].hasPrefix("case_id,albi_score,albi_grade"))
        // HCC-001: type 3 (5.5) + ALBI grade 2 (3.5) + AFP 120 (3) + gGT 80 (2) + size 6.2 (2) = 16 -> grade 6.
        let cells = lines[1].split(separator: ",").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let row = Dictionary(uniqueKeysWithValues: zip(header, cells))
        #expect(row["ptace_score"] == "16" && row["ptace_grade"] == "6" && row["albi_grade"] == "2")
    }

    @Test func impossibleValuesNameRowAndColumn() throws {
        let dir = try TemporaryDirectory("model")
        try (Self.clinical + "\nHCC-003,5,10,40,40,10,3,0\n").write(toFile: dir.file("c.csv"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["model", "ptace", "--clinical", dir.file("c.csv")])
        #expect(r.status == 1)
        #expect(r.stderr.contains("vascularization_type") && r.stderr.contains("HCC-003"), "\(r.stderr)")
    }

    @Test func fitPredictEvaluateWithReport() throws {
        let dir = try TemporaryDirectory("model")
        var rows = ["case_id,score,size,outcome"]
        for i in 0..<120 {
            let score = Double((i * 37) % 101) / 50 - 1
            let size = Double((i * 53) % 89) / 10
            let outcome = (score * 2 + size * 0.3 + Double((i * 29) % 7) / 3 - 2.5) > 0 ? 1 : 0
            rows.append("P\(i),\(score),\(size),\(outcome)")
        }
        try (rows.joined(separator: "\n") + "\n").write(toFile: dir.file("d.csv"), atomically: true, encoding: .utf8)
        let fit = try CLI.run(["model", "fit", "--data", dir.file("d.csv"), "--outcome", "outcome",
                               "--predictors", "score,size", "--output", dir.file("m.json")])
        #expect(fit.status == 0, "\(fit.stderr)")
        let predict = try CLI.run(["model", "predict", "--model", dir.file("m.json"), "--data", dir.file("d.csv")])
        #expect(predict.status == 0, "\(predict.stderr)")
        #expect(predict.stdout.split(separator: "\n").count == 121)
        let eval = try CLI.run(["model", "evaluate", "--model", dir.file("m.json"), "--data", dir.file("d.csv"),
                                "--format", "json", "--report", dir.file("report")])
        #expect(eval.status == 0, "\(eval.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any]
        let auc = try #require(json?["auc"] as? Double)
        #expect(auc > 0.7 && auc <= 1)
        for file in ["roc.png", "calibration.png", "decision_curve.png", "nomogram.png", "index.html"] {
            #expect(FileManager.default.fileExists(atPath: dir.file("report/\(file)")), "\(file) missing")
        }
        let missing = try CLI.run(["model", "predict", "--model", dir.file("nowhere.json"), "--data", dir.file("d.csv")])
        #expect(missing.status == 1 && missing.stderr.contains("nowhere.json"))
    }
}

extension ModelCommandTests {
    /// A tumour size missing from the clinical table is the largest diameter `radiomics extract` measured.
    @Test func tumourSizeFromTheMask() throws {
        let dir = try TemporaryDirectory("model")
        let extract = try CLI.run(["extract", SharedData.repositoryRoot + "/sample-scans/case-001/ct", SharedData.repositoryRoot + "/sample-scans/case-001/tumour-rtstruct.dcm",
                                   "--roi", "Tumour", "--format", "csv", "--case-id", "HCC-001", "--output", dir.file("f.csv")])
        #expect(extract.status == 0, "\(extract.stderr)")
        try """
        case_id,vascularization_type,afp,ggt,albumin,bilirubin,tumor_size_cm
        HCC-001,3,120,80,38,18,

        """.write(toFile: dir.file("c.csv"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["model", "ptace", "--clinical", dir.file("c.csv"), "--features", dir.file("f.csv"), "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        // The sample tumour's largest diameter is about 4.4 cm (ellipsoid radii 22, 18, 20 mm): the size term is 2 points.
        let size = try #require(rows.first?["tumor_size_cm"] as? Double)
        #expect(size > 3.5 && size < 5.0, "measured size \(size) cm")
        let without = try CLI.run(["model", "ptace", "--clinical", dir.file("c.csv")])
        #expect(without.status == 1 && without.stderr.contains("tumor_size_cm"), "\(without.stderr)")
    }
}

extension ModelCommandTests {
    /// `model fit --survival` on survival reference data set A gives R survival's Cox fit (numbers in
    /// SurvivalReferenceData.swift), with hazard ratios, the three global tests and the baseline hazard in the
    /// model file; a bad event value is an error naming the file, row and column.
    @Test func survivalFitMatchesR() throws {
        let dir = try TemporaryDirectory("model")
        try (SurvivalReference.a + "\n").write(toFile: dir.file("a.csv"), atomically: true, encoding: .utf8)
        let fit = try CLI.run(["model", "fit", "--survival", "--data", dir.file("a.csv"), "--time", "time", "--event", "event",
                               "--predictors", "age,afp", "--output", dir.file("cox.json")])
        #expect(fit.status == 0, "\(fit.stderr)")
        let model = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("cox.json")))) as? [String: Any])
        #expect(model["format"] as? String == "radiomics-cox-model" && model["ties"] as? String == "efron")
        let coefficients = try #require(model["coefficients"] as? [[String: Any]])
        #expect(coefficients.map { $0["name"] as? String } == ["age", "afp"])
        let r = [(0.028757988207972082, 0.02076196732483504), (0.0056186825349720543, 0.0040332270143903885)]
        for (c, (estimate, se)) in zip(coefficients, r) {
            let b = try #require(c["estimate"] as? Double), s = try #require(c["standard_error"] as? Double)
            let hr = try #require(c["hazard_ratio"] as? Double)
            #expect(abs(b - estimate) < 1e-6 * abs(estimate) && abs(s - se) < 1e-6 * se)
            #expect(abs(hr - exp(estimate)) < 1e-6 * exp(estimate))
            #expect(try #require(c["hazard_ratio_ci_lower"] as? Double) < hr && hr < (try #require(c["hazard_ratio_ci_upper"] as? Double)))
        }
        let lr = try #require(model["likelihood_ratio_test"] as? [String: Any])
        #expect(abs((lr["statistic"] as? Double ?? 0) - 3.3982895920925955) < 1e-6 * 3.4 && lr["df"] as? Int == 2)
        #expect(abs((model["log_likelihood"] as? Double ?? 0) - -98.460578336894216) < 1e-9 * 98.5)
        #expect((model["baseline_times"] as? [Double])?.count == 35)
        // cox.zph(fit): per predictor and global.
        let ph = try #require(model["proportional_hazards_test"] as? [String: [String: Any]])
        #expect(abs((ph["afp"]?["statistic"] as? Double ?? 0) - 0.85196211436198166) < 1e-6)
        let global = try #require(model["proportional_hazards_global_test"] as? [String: Any])
        #expect(abs((global["statistic"] as? Double ?? 0) - 0.85283860759990249) < 1e-6 && global["df"] as? Int == 2)

        // Survival of two new cases at 2, 5 and 10 (R: summary(survfit(fit, newdata = data.frame(age = c(60, 75),
        // afp = c(20, 150))), times = c(2, 5, 10))$surv, R 4.2.2, survival 3.5.3).
        try "case_id,age,afp\nN1,60,20\nN2,75,150\n".write(toFile: dir.file("new.csv"), atomically: true, encoding: .utf8)
        let predict = try CLI.run(["model", "predict", "--model", dir.file("cox.json"), "--data", dir.file("new.csv"), "--times", "2,5,10"])
        #expect(predict.status == 0, "\(predict.stderr)")
        let lines = predict.stdout.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        #expect(lines.first == ["case_id", "linear_predictor", "survival_2", "survival_5", "survival_10"])
        for (row, expected) in zip(lines.dropFirst(), [[0.74821265156532568, 0.44485447566759878, 0.25731303918679854],
                                                     [0.39575362818084475, 0.075130918180383352, 0.013062523391325975]]) {
            for (cell, r) in zip(row.dropFirst(2), expected) { #expect(abs(Double(cell)! - r) < 1e-6 * r, "\(row[0]): \(cell) against R's \(r)") }
        }
        // Evaluated on its own data: R's concordance(fit) and its standard error, the log partial likelihood.
        let eval = try CLI.run(["model", "evaluate", "--model", dir.file("cox.json"), "--data", dir.file("a.csv"), "--format", "json",
                                "--times", "2.5,5"])
        #expect(eval.status == 0, "\(eval.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        let c = try #require(json["c_index"] as? Double), se = try #require(json["c_index_se"] as? Double)
        #expect(abs(c - 0.61776581426648725) < 1e-12 && abs(se - 0.0034563877105375177.squareRoot()) < 1e-6 * se)
        #expect(abs(try #require(json["c_index_ci_lower"] as? Double) - (c - 1.959963984540054 * se)) < 1e-9)
        #expect(abs(try #require(json["c_index_ci_upper"] as? Double) - (c + 1.959963984540054 * se)) < 1e-9)
        #expect(abs((json["log_likelihood"] as? Double ?? 0) - -98.460578336894216) < 1e-9 * 98.5)
        // Uno's AUC at 2.5 and 5 (scikit-survival's numbers, TimeDependentAUCTests).
        let auc = try #require(json["time_dependent_auc"] as? [[String: Any]])
        #expect(auc.map { $0["time"] as? Double } == [2.5, 5])
        #expect(abs((auc[0]["auc"] as? Double ?? 0) - 0.5796703296703297) < 1e-9 && abs((auc[1]["auc"] as? Double ?? 0) - 0.688) < 1e-9)
        // Two risk groups by the median linear predictor: R's survdiff on them (RiskGroupTests).
        let groups = try #require(json["risk_groups"] as? [[String: Any]])
        #expect(groups.map { $0["cases"] as? Int } == [20, 20] && groups[0]["median_survival"] as? Double == 5.014)
        #expect(abs(((json["log_rank"] as? [String: Any])?["statistic"] as? Double ?? 0) - 1.5463505931976256) < 1e-6)
        let listed = try #require(json["coefficients"] as? [[String: Any]])
        #expect(Set(listed[0].keys) == ["name", "estimate", "standard_error", "z", "p_value", "hazard_ratio", "hazard_ratio_ci_lower", "hazard_ratio_ci_upper"])

        let bad = SurvivalReference.a.replacingOccurrences(of: "c02,4.293,1,", with: "c02,4.293,2,")
        try (bad + "\n").write(toFile: dir.file("bad.csv"), atomically: true, encoding: .utf8)
        let refused = try CLI.run(["model", "fit", "--survival", "--data", dir.file("bad.csv"), "--time", "time", "--event", "event",
                                   "--predictors", "age,afp", "--output", dir.file("bad.json")])
        #expect(refused.status == 1 && refused.stderr.contains("bad.csv") && refused.stderr.contains("row 2")
                && refused.stderr.contains("column 'event'"), "\(refused.stderr)")
        let noEvent = try CLI.run(["model", "fit", "--survival", "--data", dir.file("a.csv"), "--time", "time",
                                   "--predictors", "age", "--output", dir.file("x.json")])
        #expect(noEvent.status != 0 && noEvent.stderr.contains("--event"), "\(noEvent.stderr)")
    }
}

extension ModelCommandTests {
    /// Late fusion: a Cox model of AFP alone saved, then a Cox model of age and that model's score (`--score`).
    /// The score is β_afp · afp, so the fused model is the age + AFP model reparametrised: its score coefficient
    /// times β_afp is the joint fit's AFP coefficient (R's, survivalFitMatchesR), and its predictions from the raw
    /// tables (the file carries the AFP model) are the joint fit's.
    @Test func lateFusionTakesAModelsScore() throws {
        let dir = try TemporaryDirectory("fusion")
        try (SurvivalReference.a + "\n").write(toFile: dir.file("a.csv"), atomically: true, encoding: .utf8)
        let common = ["--survival", "--data", dir.file("a.csv"), "--time", "time", "--event", "event"]
        #expect(try CLI.run(["model", "fit"] + common + ["--predictors", "afp", "--output", dir.file("afp.json")]).status == 0)
        let fused = try CLI.run(["model", "fit"] + common + ["--predictors", "age,radscore", "--score", "radscore=" + dir.file("afp.json"),
                                                             "--output", dir.file("fused.json")])
        #expect(fused.status == 0, "\(fused.stderr)")
        guard case .cox(let afp) = try SavedModel.read(path: dir.file("afp.json")),
              case .cox(let model) = try SavedModel.read(path: dir.file("fused.json")) else { Issue.record("not Cox models"); return }
        #expect(model.scores?.map(\.name) == ["radscore"] && model.scores?.first?.model == .cox(afp))
        let joint = (age: 0.028757988207972082, afp: 0.0056186825349720543)
        #expect(abs(model.coefficients[0].estimate - joint.age) < 1e-6 * joint.age)
        #expect(abs(model.coefficients[1].estimate * afp.coefficients[0].estimate - joint.afp) < 1e-6 * joint.afp)

        // Predictions from a table of age and AFP only: the joint model's linear predictor.
        try "case_id,age,afp\nN1,60,20\nN2,75,150\n".write(toFile: dir.file("new.csv"), atomically: true, encoding: .utf8)
        let predicted = try CLI.run(["model", "predict", "--model", dir.file("fused.json"), "--data", dir.file("new.csv")])
        #expect(predicted.status == 0, "\(predicted.stderr)")
        let lp = predicted.stdout.split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[1])! }
        for (v, (age, a)) in zip(lp, [(60.0, 20.0), (75, 150)]) {
            #expect(abs(v - (joint.age * age + joint.afp * a)) < 1e-6 * abs(v))
        }
        let evaluated = try CLI.run(["model", "evaluate", "--model", dir.file("fused.json"), "--data", dir.file("a.csv")])
        #expect(evaluated.status == 0 && evaluated.stdout.contains("c_index,"), "\(evaluated.stderr)")

        // A table without the score model's predictor, one that already has a column of the score's name, a score
        // not among the predictors: errors that say so.
        try "case_id,age\nN1,60\n".write(toFile: dir.file("no-afp.csv"), atomically: true, encoding: .utf8)
        let missing = try CLI.run(["model", "predict", "--model", dir.file("fused.json"), "--data", dir.file("no-afp.csv")])
        #expect(missing.status != 0 && missing.stderr.contains("score 'radscore'") && missing.stderr.contains("afp"), "\(missing.stderr)")
        try "case_id,age,afp,radscore\nN1,60,20,1\n".write(toFile: dir.file("clash.csv"), atomically: true, encoding: .utf8)
        let clash = try CLI.run(["model", "predict", "--model", dir.file("fused.json"), "--data", dir.file("clash.csv")])
        #expect(clash.status != 0 && clash.stderr.contains("also a column"), "\(clash.stderr)")
        let unlisted = try CLI.run(["model", "fit"] + common + ["--predictors", "age", "--score", "radscore=" + dir.file("afp.json"),
                                                                "--output", dir.file("x.json")])
        #expect(unlisted.status != 0 && unlisted.stderr.contains("not among --predictors"), "\(unlisted.stderr)")
        let groups = try CLI.run(["model", "evaluate", "--model", dir.file("fused.json"), "--data", dir.file("a.csv"), "--times", "2",
                                  "--calibration-groups", "1"])
        #expect(groups.status != 0 && groups.stderr.contains("--calibration-groups must be at least 2"), "\(groups.stderr)")
    }
}
