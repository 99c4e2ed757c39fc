import Foundation
import RadiomicsCore

/// One coefficient of a Cox model: the log hazard ratio per unit of its predictor, with its standard error, Wald
/// z and p, and the hazard ratio with its Wald 95 % interval (the standard error, z, p and interval only for
/// unpenalised fits).
public struct CoxCoefficient: Codable, Sendable, Equatable {
    public var name: String
    public var estimate: Double
    public var standardError: Double?
    public var z: Double?
    public var pValue: Double?
    public var hazardRatio: Double
    public var hazardRatioLower: Double?
    public var hazardRatioUpper: Double?

    enum CodingKeys: String, CodingKey {
        case name, estimate, z
        case standardError = "standard_error", pValue = "p_value", hazardRatio = "hazard_ratio"
        case hazardRatioLower = "hazard_ratio_ci_lower", hazardRatioUpper = "hazard_ratio_ci_upper"
    }
}

/// A global test of a Cox model (all coefficients zero).
public struct ChiSquareTest: Codable, Sendable, Equatable {
    public var statistic: Double
    public var degreesOfFreedom: Int
    public var pValue: Double

    public init(statistic: Double, degreesOfFreedom: Int) {
        self.statistic = statistic
        self.degreesOfFreedom = degreesOfFreedom
        pValue = SpecialFunctions.chiSquareSurvival(statistic, degreesOfFreedom: Double(degreesOfFreedom))
    }

    enum CodingKeys: String, CodingKey {
        case statistic
        case degreesOfFreedom = "df", pValue = "p_value"
    }
}

/// A fitted Cox proportional-hazards model as saved by `radiomics model fit --survival`: the hazard of a case is
/// h0(t) exp(Σ β_j x_j) on the original scale of the predictors, with the baseline cumulative hazard H0 at x = 0
/// at every event time, so that S(t | x) = exp(−H0(t) exp(xᵀβ)).
public struct CoxModel: Codable, Sendable, Equatable {
    public var format = "radiomics-cox-model"
    public var version = 1
    /// The data's time and event columns.
    public var time: String
    public var event: String
    public var ties: CoxTies
    /// The penalty (none, or glmnet's elastic net on standardised predictors with mixing α and strength λ), the
    /// predictors it kept and, when λ was chosen so, the cross-validation.
    public var penalty: Penalty
    public var alpha: Double
    public var lambda: Double
    public var selected: [String]
    public var crossValidation: CrossValidationSummary?
    public var cases: Int
    public var events: Int
    public var logLikelihood: Double
    public var nullLogLikelihood: Double
    /// Global tests and the proportional-hazards test, for unpenalised fits.
    public var likelihoodRatioTest: ChiSquareTest?
    public var waldTest: ChiSquareTest?
    public var scoreTest: ChiSquareTest?
    /// Harrell's C of the linear predictor on the fitting data.
    public var concordance: Double
    /// The proportional-hazards test (scaled Schoenfeld residuals, as R's cox.zph) per predictor, and global.
    public var proportionalHazards: [String: ChiSquareTest]?
    public var proportionalHazardsGlobal: ChiSquareTest?
    public var predictors: [PredictorScale]
    public var coefficients: [CoxCoefficient]
    /// Event times, ascending, and H0 just after each.
    public var baselineTimes: [Double]
    public var baselineCumulativeHazard: [Double]
    /// Predictors that are other models' scores (late fusion), computed from the data when the model is applied.
    public var scores: [ModelScore]?

    enum CodingKeys: String, CodingKey {
        case format, version, time, event, ties, penalty, alpha, lambda, selected, cases, events, concordance, predictors, coefficients, scores
        case crossValidation = "cross_validation"
        case logLikelihood = "log_likelihood", nullLogLikelihood = "null_log_likelihood"
        case likelihoodRatioTest = "likelihood_ratio_test", waldTest = "wald_test", scoreTest = "score_test"
        case baselineTimes = "baseline_times", baselineCumulativeHazard = "baseline_cumulative_hazard"
        case proportionalHazards = "proportional_hazards_test", proportionalHazardsGlobal = "proportional_hazards_global_test"
    }

    /// Fits the model to `data`, which must hold a survival outcome; with a penalty in `options`, the elastic-net
    /// fit (Breslow's ties, as glmnet) at `options.lambda` or at the λ K-fold cross-validation chooses.
    public static func fit(_ data: ModelData, ties: CoxTies = .efron, options: FitOptions = FitOptions()) throws -> CoxModel {
        if options.penalty != .none { return try penalised(data, options: options) }
        let outcome = try data.requireSurvival()
        let fit = try CoxRegression.fit(x: data.x, time: outcome.time, event: outcome.event, ties: ties,
                                        predictorNames: data.predictorNames)
        let p = data.predictorNames.count
        let se = fit.standardErrors
        let coefficients = (0..<p).map { j -> CoxCoefficient in
            let b = fit.coefficients[j], z = b / se[j]
            return CoxCoefficient(name: data.predictorNames[j], estimate: b, standardError: se[j], z: z,
                                  pValue: 2 * SpecialFunctions.normalCDF(-abs(z)), hazardRatio: exp(b),
                                  hazardRatioLower: exp(b - SpecialFunctions.z975 * se[j]),
                                  hazardRatioUpper: exp(b + SpecialFunctions.z975 * se[j]))
        }
        let risk = data.x.map { zip($0, fit.coefficients).reduce(0) { $0 + $1.0 * $1.1 } }
        let baseline = baselineHazard(time: outcome.time, event: outcome.event, linearPredictor: risk, ties: ties)
        let ph = try ProportionalHazardsTest(x: data.x, time: outcome.time, event: outcome.event, ties: ties,
                                             beta: fit.coefficients, predictorNames: data.predictorNames)
        let scales = (0..<p).map { j -> PredictorScale in
            let column = data.x.map { $0[j] }
            let mean = column.reduce(0, +) / Double(column.count)
            let sd = (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(column.count)).squareRoot()
            return PredictorScale(name: data.predictorNames[j], mean: mean, sd: sd, minimum: column.min()!, maximum: column.max()!)
        }
        return CoxModel(time: outcome.timeColumn, event: outcome.eventColumn, ties: ties, penalty: .none, alpha: 0, lambda: 0,
                        selected: data.predictorNames, crossValidation: nil, cases: data.caseIDs.count,
                        events: fit.events, logLikelihood: fit.logLikelihood, nullLogLikelihood: fit.nullLogLikelihood,
                        likelihoodRatioTest: ChiSquareTest(statistic: fit.likelihoodRatioTest, degreesOfFreedom: p),
                        waldTest: ChiSquareTest(statistic: fit.waldTest, degreesOfFreedom: p),
                        scoreTest: ChiSquareTest(statistic: fit.scoreTest, degreesOfFreedom: p),
                        concordance: Concordance(time: outcome.time, event: outcome.event, risk: risk).index,
                        proportionalHazards: Dictionary(uniqueKeysWithValues: zip(data.predictorNames, ph.chiSquare).map {
                            ($0, ChiSquareTest(statistic: $1, degreesOfFreedom: 1))
                        }),
                        proportionalHazardsGlobal: ChiSquareTest(statistic: ph.global, degreesOfFreedom: p),
                        predictors: scales, coefficients: coefficients,
                        baselineTimes: baseline.map(\.time), baselineCumulativeHazard: baseline.map(\.hazard))
    }

    static func penalised(_ data: ModelData, options: FitOptions) throws -> CoxModel {
        let outcome = try data.requireSurvival()
        let events = outcome.event.filter { $0 }.count
        guard events > 0 else { throw RadiomicsError("no events: a Cox model needs at least one death (event = 1)") }
        let scaled = try Standardised(data)
        let alpha = options.effectiveAlpha
        let model = PenalisedCox(columns: scaled.columns, time: outcome.time, event: outcome.event)
        let path = CrossValidation.path(lambdaMax: model.lambdaMax(alpha: alpha), cases: data.x.count, predictors: scaled.columns.count)
        var summary: CrossValidationSummary?
        let lambda: Double
        if let given = options.lambda {
            guard given > 0, given.isFinite else { throw RadiomicsError("--lambda must be a positive number") }
            lambda = given
        } else if let k = options.cvFolds {
            let cv = try PenalisedCox.crossValidate(x: data.x, time: outcome.time, event: outcome.event,
                                                    predictorNames: data.predictorNames, alpha: alpha, lambdas: path,
                                                    folds: k, seed: options.seed, rule: options.cvRule)
            summary = cv
            lambda = options.cvRule == "1se" ? cv.lambda1SE : cv.lambdaMin
        } else {
            throw RadiomicsError("a penalised fit needs --lambda or --cv K")
        }
        // Warm starts down the path to λ; converged far enough that the coefficients are exact to about 1e-8 (the
        // cross-validation's paths stop at 1e-9 of the objective, enough to rank the λ).
        let gamma = model.path(lambdas: path.filter { $0 > lambda } + [lambda], alpha: alpha, tolerance: 1e-16).last!
        let beta = zip(gamma, scaled.scales).map { $0 / $1.sd }
        let risk = data.x.map { zip($0, beta).reduce(0) { $0 + $1.0 * $1.1 } }
        let sets = BreslowRiskSets(time: outcome.time, event: outcome.event)
        let baseline = baselineHazard(time: outcome.time, event: outcome.event, linearPredictor: risk, ties: .breslow)
        let coefficients = zip(data.predictorNames, beta).map {
            CoxCoefficient(name: $0, estimate: $1, standardError: nil, z: nil, pValue: nil, hazardRatio: exp($1),
                           hazardRatioLower: nil, hazardRatioUpper: nil)
        }
        return CoxModel(time: outcome.timeColumn, event: outcome.eventColumn, ties: .breslow, penalty: options.penalty, alpha: alpha,
                        lambda: lambda, selected: zip(data.predictorNames, beta).filter { $0.1 != 0 }.map(\.0), crossValidation: summary,
                        cases: data.caseIDs.count, events: events, logLikelihood: sets.logLikelihood(caseOrder: risk),
                        nullLogLikelihood: sets.logLikelihood(caseOrder: [Double](repeating: 0, count: risk.count)),
                        likelihoodRatioTest: nil, waldTest: nil, scoreTest: nil,
                        concordance: Concordance(time: outcome.time, event: outcome.event, risk: risk).index,
                        proportionalHazards: nil, proportionalHazardsGlobal: nil, predictors: scaled.scales, coefficients: coefficients,
                        baselineTimes: baseline.map(\.time), baselineCumulativeHazard: baseline.map(\.hazard))
    }

    /// The baseline cumulative hazard at x = 0 (R: `basehaz(fit, centered = FALSE)`): at each event time with d
    /// deaths D and risk set R, H0 rises by d / S0(R) (Breslow) or Σ_{r<d} 1 / (S0(R) − (r/d) S0(D)) (Efron), with
    /// S0(A) = Σ_{i∈A} exp(η_i).
    static func baselineHazard(time: [Double], event: [Bool], linearPredictor eta: [Double], ties: CoxTies)
        -> [(time: Double, hazard: Double)] {
        let order = time.indices.sorted { time[$0] > time[$1] }
        var increments: [(time: Double, step: Double)] = []
        var s0 = 0.0
        for run in equalTimeRuns(order, time: time) {
            var d0 = 0.0, deaths = 0
            for i in run {
                let r = exp(eta[i])
                s0 += r
                if event[i] { d0 += r; deaths += 1 }
            }
            if deaths > 0 {
                let d = Double(deaths)
                let step = ties == .breslow ? d / s0 : (0..<deaths).reduce(0.0) { $0 + 1 / (s0 - Double($1) / d * d0) }
                increments.append((time[run.first!], step))
            }
        }
        var total = 0.0
        return increments.reversed().map { total += $0.step; return ($0.time, total) }
    }

    /// H0(t): the baseline cumulative hazard just after time t (0 before the first event).
    public func baselineCumulativeHazard(at t: Double) -> Double {
        lastIndex(atOrBefore: t, in: baselineTimes).map { baselineCumulativeHazard[$0] } ?? 0
    }

    public func write(to path: String) throws { try writeModel(self, to: path) }
}

extension CoxModel {
    public var predictorNames: [String] { predictors.map(\.name) }

    /// xᵀβ on the original scale of the predictors (the log relative hazard against x = 0).
    public func linearPredictor(_ x: [Double]) -> Double {
        zip(coefficients, x).reduce(0) { $0 + $1.0.estimate * $1.1 }
    }

    /// S(t | x) = exp(−H0(t) exp(xᵀβ)).
    public func survival(at t: Double, _ x: [Double]) -> Double {
        exp(-baselineCumulativeHazard(at: t) * exp(linearPredictor(x)))
    }

    public static func read(path: String, data: Data) throws -> CoxModel {
        let model: CoxModel
        do { model = try JSONDecoder().decode(CoxModel.self, from: data) } catch {
            throw RadiomicsError(file: path, "not a Cox model file written by 'radiomics model fit --survival' (\(error))")
        }
        guard model.version == 1, model.coefficients.count == model.predictors.count,
              model.baselineTimes.count == model.baselineCumulativeHazard.count,
              zip(model.baselineTimes, model.baselineTimes.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw RadiomicsError(file: path, "not a version-1 radiomics Cox model (inconsistent coefficients or baseline hazard)")
        }
        return model
    }
}

/// A model file of either kind, told apart by its `format`.
public enum SavedModel: Sendable, Equatable {
    case logistic(LogisticModel)
    case cox(CoxModel)

    public static func read(path: String) throws -> SavedModel {
        guard let data = FileManager.default.contents(atPath: path) else { throw RadiomicsError(file: path, "cannot read the model file") }
        struct Header: Decodable { var format: String? }
        if (try? JSONDecoder().decode(Header.self, from: data))?.format == "radiomics-cox-model" {
            return .cox(try CoxModel.read(path: path, data: data))
        }
        return .logistic(try LogisticModel.read(path: path))
    }
}

/// A saved Cox model on data with the outcome (`radiomics model evaluate`): Harrell's C of its linear predictor
/// with the infinitesimal-jackknife standard error and Wald 95 % interval, the log partial likelihood of the data at
/// the model's coefficients, and the coefficients themselves.
public struct SurvivalEvaluation: Sendable {
    public var cases: Int
    public var events: Int
    public var concordance: Concordance
    public var logLikelihood: Double
    public var coefficients: [CoxCoefficient]
    public var riskGroups: RiskGroups
    /// Times at which the groups' survival and Uno's AUC are reported.
    public var times: [Double]
    /// Uno's AUC at each of `times`.
    public var timeDependentAUC: [Double]
    /// The Brier score at each of `times`, and integrated from the first to the last of them (two or more times).
    public var brier: [Double]
    public var integratedBrier: Double?
    /// Calibration at each of `times`: quantile groups of the linear predictor, predicted against Kaplan-Meier.
    public var calibration: [SurvivalCalibration]

    /// `groups` quantile groups of the linear predictor, or the groups `cutoffs` make; calibration in
    /// `calibrationGroups` quantile groups.
    public static func of(model: CoxModel, data: ModelData, groups: Int = 2, cutoffs: [Double]? = nil,
                          times: [Double] = [], calibrationGroups: Int = 5) throws -> SurvivalEvaluation {
        let outcome = try data.requireSurvival()
        let risk = data.x.map(model.linearPredictor)
        let c = Concordance(time: outcome.time, event: outcome.event, risk: risk)
        guard c.concordant + c.discordant + c.tiedRisk > 0 else {
            throw RadiomicsError("no comparable pair of cases (no event before another case's time): the C-index is undefined")
        }
        // Over the predictors with a coefficient only (a LASSO model keeps a few of many): the same η, and the
        // pass's information matrix stays small.
        let used = model.coefficients.indices.filter { model.coefficients[$0].estimate != 0 }
        let problem = CoxProblem(x: data.x.map { row in used.map { row[$0] } }, time: outcome.time, event: outcome.event, ties: model.ties)
        return SurvivalEvaluation(cases: data.caseIDs.count, events: outcome.event.filter { $0 }.count, concordance: c,
                                  logLikelihood: problem.evaluate(used.map { model.coefficients[$0].estimate }).logLikelihood,
                                  coefficients: model.coefficients,
                                  riskGroups: try RiskGroups(linearPredictor: risk, time: outcome.time, event: outcome.event,
                                                             count: groups, cutoffs: cutoffs),
                                  times: times,
                                  timeDependentAUC: try times.map { try TimeDependentAUC.uno(time: outcome.time, event: outcome.event, risk: risk, at: $0) },
                                  brier: try SurvivalBrier.scores(time: outcome.time, event: outcome.event, times: times, survival: survival),
                                  integratedBrier: times.count >= 2
                                    ? try SurvivalBrier.integrated(time: outcome.time, event: outcome.event, from: times.min()!, to: times.max()!,
                                                                   survival: survival).value
                                    : nil,
                                  calibration: try calibration())
        func survival(_ t: Double) -> [Double] { data.x.map { model.survival(at: t, $0) } }
        func calibration() throws -> [SurvivalCalibration] {
            guard !times.isEmpty else { return [] }
            let quantiles = try RiskGroups(linearPredictor: risk, time: outcome.time, event: outcome.event, count: calibrationGroups)
            return times.map { SurvivalCalibration(time: $0, survival: survival($0), groups: quantiles) }
        }
    }

    public var scalars: [(String, Double)] {
        let ci = concordance.interval
        return [("cases", Double(cases)), ("events", Double(events)), ("c_index", concordance.index),
                ("c_index_se", concordance.standardError), ("c_index_ci_lower", ci.lower), ("c_index_ci_upper", ci.upper),
                ("log_likelihood", logLikelihood)] + (integratedBrier.map { [("integrated_brier_score", $0)] } ?? [])
    }

    /// `metric,value` rows, then Uno's AUC and the Brier score at each time as `time_dependent_auc:T` and
    /// `brier_score:T`, then the coefficients as `coefficient:NAME,estimate`.
    public var csv: String {
        let byTime = zip(times, timeDependentAUC).map { ("time_dependent_auc:\(Format.number($0))", $1) }
            + zip(times, brier).map { ("brier_score:\(Format.number($0))", $1) }
        return Evaluation.metricTable(scalars + byTime, coefficients: coefficients.map { ($0.name, $0.estimate) })
    }

    /// The same keys as the logistic evaluation's where they mean the same; `coefficients` as a list of objects.
    public var json: JSONValue {
        var o: [(String, JSONValue)] = scalars.map { ($0.0, .number($0.1)) }
        o.append(("coefficients", .array(coefficients.map { c in
            let optional = { (v: Double?) in v.map(JSONValue.number) ?? .null }
            return .object([("name", .string(c.name)), ("estimate", .number(c.estimate)), ("standard_error", optional(c.standardError)),
                            ("z", optional(c.z)), ("p_value", optional(c.pValue)), ("hazard_ratio", .number(c.hazardRatio)),
                            ("hazard_ratio_ci_lower", optional(c.hazardRatioLower)), ("hazard_ratio_ci_upper", optional(c.hazardRatioUpper))])
        })))
        if !timeDependentAUC.isEmpty {
            o.append(("time_dependent_auc", .array(zip(times, timeDependentAUC).map {
                .object([("time", .number($0)), ("auc", .number($1))])
            })))
        }
        if !brier.isEmpty {
            o.append(("brier_score", .array(zip(times, brier).map { .object([("time", .number($0)), ("brier", .number($1))]) })))
        }
        if !calibration.isEmpty { o.append(("calibration", .array(calibration.map(\.json)))) }
        o += riskGroups.json(times: times)
        return .object(o)
    }
}

/// Output of `radiomics model predict` for a Cox model: `case_id,linear_predictor` and S(t | x) at each time asked.
public enum SurvivalPredictionTable {
    public static func csv(model: CoxModel, data: ModelData, times: [Double]) -> String {
        let header = ["case_id", "linear_predictor"] + times.map { "survival_\(Format.number($0))" }
        let rows = zip(data.caseIDs, data.x).map { id, x in
            CSVWriter.row([id, Format.number(model.linearPredictor(x))] + times.map { Format.number(model.survival(at: $0, x)) })
        }
        return ([CSVWriter.row(header)] + rows).joined(separator: "\n") + "\n"
    }
}
