import ArgumentParser
import Foundation
import FusionModel
import RadiomicsCore

/// `radiomics model ...`: clinical scores, logistic model fitting, prediction and validation. The work is
/// done in FusionModel; these commands parse options and print.
struct Model: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Clinical scores (ALBI, p-TACE) and radiomics-clinical logistic models: fit, predict, evaluate.",
        subcommands: [Ptace.self, Fit.self, Predict.self, Evaluate.self])

    /// Writes text to a file, or to standard output.
    static func emit(_ text: String, to output: String?) throws {
        if let output {
            do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch {
                throw RadiomicsError(file: output, "cannot write output: \(error.localizedDescription)")
            }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    struct Ptace: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "ALBI score and grade, p-TACE score, grade, published risk and logistic-model probability per case.",
            discussion: """
            FILE is a CSV table with case_id, vascularization_type (1-4), afp (ng/mL), ggt (U/L), albumin (g/L),
            bilirubin (total, umol/L) and tumor_size_cm; other columns are ignored. A missing or impossible value
            is an error naming its row and column. With --features (a table from 'radiomics extract --format csv'
            or PyRadiomics), a tumor_size_cm column that is absent or empty takes the mask's largest 3D diameter; with
            --vascularization (from 'radiomics vasc classify --format csv'), so does vascularization_type.
            """)
        @Option(help: "Clinical CSV table.") var clinical: String
        @Option(help: "Features table whose largest diameter (morph_diam or original_shape_Maximum3DDiameter, mm) gives missing tumour sizes.") var features: String?
        @Option(help: "Vascularization types measured by 'radiomics vasc classify --format csv': used where the clinical table has no type (a type in the table wins; a disagreement is a warning).")
        var vascularization: String?
        @Option(help: "Output format.") var format: OutputFormat = .csv
        @Option(help: "Write to FILE instead of standard output.") var output: String?

        func run() throws {
            try reportingErrors {
                let (results, warnings) = try PTACETable.score(clinicalPath: clinical, featuresPath: features,
                                                               vascularizationPath: vascularization)
                warnings.forEach(warn)
                try Model.emit(format == .json ? PTACETable.json(results) : PTACETable.csv(results), to: output)
            }
        }
    }

    struct Fit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fit a logistic regression (unpenalised, ridge, LASSO or elastic net) and save it as JSON.",
            discussion: """
            --data may be given several times (e.g. a features table and a clinical table); the tables are joined
            on case_id and every case must be in every table. Predictors are standardised (mean 0, SD 1) for
            fitting; the model file holds coefficients on both scales, and standard errors with Wald 95% CIs
            when unpenalised. A penalised fit needs --lambda, or --cv K to choose lambda by K-fold
            cross-validation (stratified folds from --seed).

            With --survival, a Cox proportional-hazards model of --time and --event (1 = event, 0 = censored):
            coefficients with standard errors, hazard ratios with Wald 95% CIs, the likelihood-ratio, Wald and
            score tests, Harrell's C on the fitting data and the baseline cumulative hazard (Efron's ties, or
            --ties breslow), as R survival's coxph gives them. With --penalty (l1, l2, elasticnet) and --lambda or
            --cv K, glmnet's elastic-net Cox fit (Breslow's ties, standardised predictors, K-fold CV of the
            partial-likelihood deviance), as scikit-survival's CoxnetSurvivalAnalysis gives it.
            """)
        @Option(help: "CSV table with case_id (repeat to join tables on case_id).") var data: [String] = []
        @Option(help: "Outcome column (0/1).") var outcome: String?
        @Flag(help: "Fit a Cox proportional-hazards model of --time and --event instead of a logistic model.") var survival = false
        @Option(help: "Survival time column (with --survival).") var time: String?
        @Option(help: "Event column, 1 = event, 0 = censored (with --survival).") var event: String?
        @Option(help: "Tied event times: efron or breslow (with --survival).") var ties: CoxTies = .efron
        @Option(help: "Comma-separated predictor columns.") var predictors: String
        @Option(help: "NAME=MODEL.json: a saved model's linear predictor as predictor NAME (late fusion; list NAME in --predictors; repeatable). The fitted model carries MODEL, so predict and evaluate compute NAME from the data.") var score: [String] = []
        @Option(help: "none, l2 (ridge), l1 (LASSO) or elasticnet.") var penalty: Penalty = .none
        @Option(help: "Penalty strength (glmnet scale).") var lambda: Double?
        @Option(help: "Choose lambda by K-fold cross-validation.") var cv: Int?
        @Option(help: "Elastic-net mixing, 0 (ridge) to 1 (LASSO).") var alpha: Double = 0.5
        @Option(help: "Seed of the cross-validation folds.") var seed: UInt64 = 1
        @Option(name: .customLong("cv-rule"), help: "min (lowest CV deviance) or 1se (sparsest within one SE).") var cvRule: String = "min"
        @Option(help: "Model file to write (JSON).") var output: String

        func validate() throws {
            if data.isEmpty { throw ValidationError("give at least one --data FILE") }
            if survival {
                if time == nil || event == nil { throw ValidationError("--survival needs --time COLUMN and --event COLUMN") }
                if outcome != nil { throw ValidationError("--outcome is for logistic models; a Cox model uses --time and --event") }
                if penalty == .none && (lambda != nil || cv != nil) { throw ValidationError("--lambda and --cv need --penalty") }
            } else {
                if outcome == nil { throw ValidationError("give --outcome COLUMN (or --survival with --time and --event)") }
                if time != nil || event != nil { throw ValidationError("--time and --event need --survival") }
            }
            if lambda != nil && cv != nil { throw ValidationError("give --lambda or --cv, not both") }
            if !["min", "1se"].contains(cvRule) { throw ValidationError("--cv-rule must be min or 1se") }
        }

        func run() throws {
            try reportingErrors {
                let names = predictors.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let scores = try score.map(ModelScore.read)
                if let unused = scores.first(where: { !names.contains($0.name) }) {
                    throw RadiomicsError("--score \(unused.name)=...: '\(unused.name)' is not among --predictors")
                }
                if survival, let time, let event {
                    let table = try ModelData.load(paths: data, predictors: names, outcome: nil, survival: (time, event), scores: scores)
                    var model = try CoxModel.fit(table, ties: ties, options: FitOptions(
                        penalty: penalty, alpha: alpha, lambda: lambda, cvFolds: cv, seed: seed, cvRule: cvRule))
                    model.scores = scores.isEmpty ? nil : scores
                    try model.write(to: output)
                    if model.penalty != .none {
                        FileHandle.standardError.write(Data("radiomics: selected \(model.selected.count) of \(model.predictors.count) predictors\(model.selected.count <= 20 ? ": " + model.selected.joined(separator: ", ") : "")\n".utf8))
                    }
                    return
                }
                let outcome = outcome!
                let table = try ModelData.load(paths: data, predictors: names, outcome: outcome, scores: scores)
                var model = try ModelFitter.fit(table, outcome: outcome, options: FitOptions(
                    penalty: penalty, alpha: alpha, lambda: lambda, cvFolds: cv, seed: seed, cvRule: cvRule))
                model.scores = scores.isEmpty ? nil : scores
                try model.write(to: output)
                if model.penalty != .none, model.selected.count < model.predictors.count {
                    FileHandle.standardError.write(Data("radiomics: selected \(model.selected.count) of \(model.predictors.count) predictors: \(model.selected.joined(separator: ", "))\n".utf8))
                }
            }
        }
    }

    struct Predict: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply a saved model: prints case_id,probability (logistic) or case_id,linear_predictor and survival at --times (Cox).")
        @Option(help: "Model file written by 'radiomics model fit'.") var model: String
        @Option(help: "CSV table with case_id and the model's predictors (repeat to join tables).") var data: [String] = []
        @Option(help: "Comma-separated times at which a Cox model gives each case's survival probability (e.g. 12,24,36).") var times: String?
        @Option(help: "Write to FILE instead of standard output.") var output: String?

        func validate() throws { if data.isEmpty { throw ValidationError("give at least one --data FILE") } }

        func run() throws {
            try reportingErrors {
                switch try SavedModel.read(path: model) {
                case .logistic(let m):
                    if times != nil { throw RadiomicsError(file: model, "--times is for survival (Cox) models; this is a logistic model") }
                    let (ids, p) = try PredictionTable.predict(model: m, dataPaths: data)
                    try Model.emit(PredictionTable.csv(caseIDs: ids, probabilities: p), to: output)
                case .cox(let m):
                    let at = try times.map { try Model.numbers($0, option: "--times", atLeastZero: true) } ?? []
                    let table = try ModelData.load(paths: data, predictors: m.predictorNames, outcome: nil, scores: m.scores ?? [])
                    try Model.emit(SurvivalPredictionTable.csv(model: m, data: table, times: at), to: output)
                }
            }
        }
    }

    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a saved model on data with the outcome: AUC (DeLong and bootstrap CIs), Hosmer-Lemeshow, calibration, Brier, decision curve; for a Cox model Harrell's C with its standard error and 95% CI and the log partial likelihood.",
            discussion: "With --report DIR, also writes figures as PNG and SVG and an index.html: ROC, calibration, decision curve and nomogram for a logistic model; Kaplan-Meier by risk group with numbers at risk, calibration and Uno's AUC over time at --times, and a nomogram with a survival scale per time for a Cox model.")
        @Option(help: "Model file written by 'radiomics model fit'.") var model: String
        @Option(help: "CSV table with case_id, the predictors and the outcome (repeat to join tables).") var data: [String] = []
        @Option(help: "Output format.") var format: OutputFormat = .csv
        @Option(help: "Directory for the figures (PNG and SVG) and index.html.") var report: String?
        @Option(help: "Bootstrap replicates for the AUC interval.") var bootstrap: Int = 2000
        @Option(help: "Seed of the bootstrap.") var seed: UInt64 = 1
        @Option(name: .customLong("risk-groups"), help: "Cox models: risk groups of equal size by the linear predictor's quantiles.") var riskGroups: Int = 2
        @Option(help: "Cox models: comma-separated cut-offs of the linear predictor for the risk groups (instead of --risk-groups).") var cutoffs: String?
        @Option(help: "Cox models: comma-separated times at which each risk group's survival, Uno's AUC, the Brier score and calibration are given; the integrated Brier score runs from the first to the last.") var times: String?
        @Option(name: .customLong("calibration-groups"), help: "Cox models: quantile groups of the linear predictor for calibration at --times.") var calibrationGroups: Int = 5
        @Option(help: "Write to FILE instead of standard output.") var output: String?

        func validate() throws {
            if data.isEmpty { throw ValidationError("give at least one --data FILE") }
            if bootstrap < 100 { throw ValidationError("--bootstrap must be at least 100") }
            if riskGroups < 2 { throw ValidationError("--risk-groups must be at least 2") }
            if calibrationGroups < 2 { throw ValidationError("--calibration-groups must be at least 2") }
        }

        func run() throws {
            try reportingErrors {
                let m: LogisticModel
                switch try SavedModel.read(path: model) {
                case .logistic(let logistic): m = logistic
                case .cox(let cox):
                    let table = try ModelData.load(paths: data, predictors: cox.predictorNames, outcome: nil, survival: (cox.time, cox.event),
                                                   scores: cox.scores ?? [])
                    let e = try SurvivalEvaluation.of(model: cox, data: table, groups: riskGroups,
                                                      cutoffs: try cutoffs.map { try Model.numbers($0, option: "--cutoffs") },
                                                      times: try times.map { try Model.numbers($0, option: "--times", atLeastZero: true) } ?? [],
                                                      calibrationGroups: calibrationGroups)
                    try Model.emit(format == .json ? e.json.rendered() + "\n" : e.csv, to: output)
                    if let report { try SurvivalReport.write(e, model: cox, data: table, to: report) }
                    return
                }
                let table = try ModelData.load(paths: data, predictors: m.predictorNames, outcome: m.outcome, scores: m.scores ?? [])
                let e = try Evaluation.of(model: m, data: table, bootstrapReplicates: bootstrap, seed: seed)
                try Model.emit(format == .json ? e.json.rendered() + "\n" : e.csv, to: output)
                if let report { try Report.write(e, model: m, to: report, seed: seed) }
            }
        }
    }
}

extension Model {
    /// A comma-separated list of finite numbers (at least 0 when asked), or an error naming the option.
    static func numbers(_ text: String, option: String, atLeastZero: Bool = false) throws -> [Double] {
        try text.split(separator: ",").map { part -> Double in
            let cell = part.trimmingCharacters(in: .whitespaces)
            guard let v = Double(cell), v.isFinite, !atLeastZero || v >= 0 else {
                throw RadiomicsError("\(option): '\(cell)' is not \(atLeastZero ? "a time (a number at least 0)" : "a number")")
            }
            return v
        }
    }
}

extension Penalty: ExpressibleByArgument {}
extension CoxTies: ExpressibleByArgument {}
