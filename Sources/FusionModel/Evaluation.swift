import Foundation
import RadiomicsCore

/// Validation of predicted risks against observed outcomes: discrimination (AUC, DeLong and bootstrap CIs),
/// calibration (Hosmer-Lemeshow, logistic recalibration, Brier) and clinical usefulness (decision curve).
public struct Evaluation: Sendable {
    public var caseIDs: [String]
    public var predicted: [Double]
    public var outcome: [Double]
    public var delong: ROC.AUCInterval
    public var bootstrap: ROC.AUCInterval
    public var bootstrapReplicates: Int
    public var bootstrapSeed: UInt64
    public var hosmerLemeshow: HosmerLemeshow.Result
    public var calibration: Calibration.Result
    public var decisionCurve: [DecisionCurve.Point]
    /// The model's coefficients, when a saved model was evaluated.
    public var coefficients: [Coefficient]

    public init(caseIDs: [String], predicted p: [Double], outcome y: [Double], coefficients: [Coefficient] = [],
                bootstrapReplicates: Int = 2000, seed: UInt64 = 1) throws {
        let events = y.filter { $0 == 1 }.count
        guard events > 0, events < y.count else {
            throw RadiomicsError("evaluation needs both outcomes; the data hold only \(events == 0 ? "0s" : "1s")")
        }
        guard p.count >= 10 else { throw RadiomicsError("evaluation needs at least 10 cases (Hosmer-Lemeshow uses 10 groups)") }
        self.caseIDs = caseIDs
        predicted = p
        outcome = y
        self.coefficients = coefficients
        delong = ROC.delong(scores: p, outcome: y)
        bootstrap = ROC.bootstrap(scores: p, outcome: y, replicates: bootstrapReplicates, seed: seed)
        self.bootstrapReplicates = bootstrapReplicates
        bootstrapSeed = seed
        hosmerLemeshow = HosmerLemeshow.test(predicted: p, outcome: y)
        calibration = try Calibration.evaluate(predicted: p, outcome: y)
        decisionCurve = DecisionCurve.netBenefit(predicted: p, outcome: y)
    }

    public static func of(model: LogisticModel, data: ModelData, bootstrapReplicates: Int = 2000, seed: UInt64 = 1) throws -> Evaluation {
        try Evaluation(caseIDs: data.caseIDs, predicted: model.probabilities(data), outcome: data.requireOutcome(),
                       coefficients: model.coefficients, bootstrapReplicates: bootstrapReplicates, seed: seed)
    }

    /// The scalar results, in output order.
    public var scalars: [(String, Double)] {
        [("cases", Double(outcome.count)), ("events", outcome.reduce(0, +)),
         ("auc", delong.auc), ("auc_se", delong.standardError), ("auc_ci_lower", delong.lower), ("auc_ci_upper", delong.upper),
         ("auc_bootstrap_ci_lower", bootstrap.lower), ("auc_bootstrap_ci_upper", bootstrap.upper),
         ("auc_bootstrap_replicates", Double(bootstrapReplicates)), ("auc_bootstrap_seed", Double(bootstrapSeed)),
         ("hl_statistic", hosmerLemeshow.statistic), ("hl_df", Double(hosmerLemeshow.degreesOfFreedom)), ("hl_pvalue", hosmerLemeshow.pValue),
         ("calibration_intercept", calibration.intercept), ("calibration_slope", calibration.slope), ("brier", calibration.brier)]
    }

    /// `metric,value` rows, then the coefficients as `coefficient:NAME,estimate`.
    public var csv: String { Self.metricTable(scalars, coefficients: coefficients.map { ($0.name, $0.estimate) }) }

    /// An evaluation as `metric,value` rows, then the coefficients as `coefficient:NAME,estimate` (logistic and Cox).
    static func metricTable(_ scalars: [(String, Double)], coefficients: [(name: String, estimate: Double)]) -> String {
        var lines = ["metric,value"] + scalars.map { "\($0.0),\(Format.number($0.1))" }
        lines += coefficients.map { CSVWriter.row(["coefficient:\($0.name)", Format.number($0.estimate)]) }
        return lines.joined(separator: "\n") + "\n"
    }

    public var json: JSONValue {
        var o: [(String, JSONValue)] = scalars.map { ($0.0, .number($0.1)) }
        o.append(("coefficients", .array(coefficients.map { c in
            var f: [(String, JSONValue)] = [("name", .string(c.name)), ("estimate", .number(c.estimate)), ("standardized", .number(c.standardized))]
            if let se = c.standardError { f.append(("standard_error", .number(se))) }
            if let v = c.z { f.append(("z", .number(v))) }
            if let v = c.pValue { f.append(("p_value", .number(v))) }
            if let v = c.ciLower { f.append(("ci_lower", .number(v))) }
            if let v = c.ciUpper { f.append(("ci_upper", .number(v))) }
            return .object(f)
        })))
        o.append(("hl_groups", .array(hosmerLemeshow.groups.map {
            .object([("cases", .int($0.cases)), ("observed", .number($0.observed)), ("expected", .number($0.expected))])
        })))
        o.append(("decision_curve", .array(decisionCurve.map {
            .object([("threshold", .number($0.threshold)), ("net_benefit", .number($0.model)),
                     ("treat_all", .number($0.treatAll)), ("treat_none", .number(0))])
        })))
        return .object(o)
    }
}
