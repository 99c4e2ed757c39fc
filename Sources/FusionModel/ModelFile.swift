import Foundation
import RadiomicsCore

/// Kind of penalty on the (standardised) coefficients; the intercept is never penalised.
public enum Penalty: String, Codable, CaseIterable, Sendable {
    case none, l2, l1, elasticnet
}

/// How a predictor was standardised for fitting, and its observed range (for nomograms).
public struct PredictorScale: Codable, Sendable, Equatable {
    public var name: String
    /// Mean and population standard deviation (divisor n, as glmnet) in the fitting data.
    public var mean: Double
    public var sd: Double
    public var minimum: Double
    public var maximum: Double
}

/// One coefficient on the original scale of its predictor; `standardized` is the coefficient per
/// standard deviation (what the penalty acts on). Standard errors, Wald z, p and 95% CI only for
/// unpenalised fits.
public struct Coefficient: Codable, Sendable, Equatable {
    public var name: String
    public var estimate: Double
    public var standardized: Double
    public var standardError: Double?
    public var z: Double?
    public var pValue: Double?
    public var ciLower: Double?
    public var ciUpper: Double?

    enum CodingKeys: String, CodingKey {
        case name, estimate, standardized, z
        case standardError = "standard_error", pValue = "p_value", ciLower = "ci_lower", ciUpper = "ci_upper"
    }
}

/// Cross-validation of the penalty strength over a λ path.
public struct CrossValidationSummary: Codable, Sendable, Equatable {
    public var folds: Int
    public var seed: UInt64
    /// "min" (smallest mean deviance) or "1se" (largest λ within one standard error of it).
    public var rule: String
    public var lambdas: [Double]
    /// Mean held-out binomial deviance per case, and its standard error over folds, for each λ.
    public var meanDeviance: [Double]
    public var devianceSE: [Double]
    public var lambdaMin: Double
    public var lambda1SE: Double

    enum CodingKeys: String, CodingKey {
        case folds, seed, rule, lambdas
        case meanDeviance = "mean_deviance", devianceSE = "deviance_se", lambdaMin = "lambda_min", lambda1SE = "lambda_1se"
    }
}

/// A fitted logistic model as saved by `radiomics model fit` and read by `predict` and `evaluate`:
/// logit p = β₀ + Σ β_j x_j on the original scale of the predictors.
public struct LogisticModel: Codable, Sendable, Equatable {
    public var format = "radiomics-logistic-model"
    public var version = 1
    public var outcome: String
    public var penalty: Penalty
    /// Elastic-net mixing α (1 = LASSO, 0 = ridge) and penalty strength λ (glmnet's scale).
    public var alpha: Double
    public var lambda: Double
    public var cases: Int
    public var events: Int
    public var logLikelihood: Double
    public var predictors: [PredictorScale]
    /// The intercept first (name "(Intercept)"), then one per predictor in `predictors` order.
    public var coefficients: [Coefficient]
    /// Predictors with a non-zero coefficient (the LASSO selection; all of them without an L1 part).
    public var selected: [String]
    public var crossValidation: CrossValidationSummary?
    /// Predictors that are other models' scores (late fusion), computed from the data when the model is applied.
    public var scores: [ModelScore]?

    enum CodingKeys: String, CodingKey {
        case format, version, outcome, penalty, alpha, lambda, cases, events, predictors, coefficients, selected, scores
        case logLikelihood = "log_likelihood", crossValidation = "cross_validation"
    }

    public var predictorNames: [String] { predictors.map(\.name) }

    /// η = β₀ + Σ β_j x_j.
    public func linearPredictor(_ x: [Double]) -> Double {
        zip(coefficients.dropFirst(), x).reduce(coefficients[0].estimate) { $0 + $1.0.estimate * $1.1 }
    }

    public func probability(_ x: [Double]) -> Double { SpecialFunctions.logistic(linearPredictor(x)) }

    public func probabilities(_ data: ModelData) -> [Double] { data.x.map(probability) }

    public static func read(path: String) throws -> LogisticModel {
        guard let data = FileManager.default.contents(atPath: path) else { throw RadiomicsError(file: path, "cannot read the model file") }
        let model: LogisticModel
        do { model = try JSONDecoder().decode(LogisticModel.self, from: data) } catch {
            throw RadiomicsError(file: path, "not a model file written by 'radiomics model fit' (\(error))")
        }
        guard model.format == "radiomics-logistic-model", model.version == 1,
              model.coefficients.count == model.predictors.count + 1 else {
            throw RadiomicsError(file: path, "not a version-1 radiomics logistic model")
        }
        return model
    }

    public func write(to path: String) throws { try writeModel(self, to: path) }
}

/// A model file: pretty JSON with sorted keys.
func writeModel<T: Encodable>(_ model: T, to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    do { try encoder.encode(model).write(to: URL(fileURLWithPath: path)) } catch {
        throw RadiomicsError(file: path, "cannot write the model: \(error.localizedDescription)")
    }
}

/// Output of `radiomics model predict`: `case_id,probability`.
public enum PredictionTable {
    public static func csv(caseIDs: [String], probabilities: [Double]) -> String {
        (["case_id,probability"] + zip(caseIDs, probabilities).map { CSVWriter.field($0) + "," + Format.number($1) })
            .joined(separator: "\n") + "\n"
    }

    /// Applies a saved model to the joined tables (they must hold every predictor the model uses).
    public static func predict(model: LogisticModel, dataPaths: [String]) throws -> (caseIDs: [String], probabilities: [Double]) {
        let data = try ModelData.load(paths: dataPaths, predictors: model.predictorNames, outcome: nil, scores: model.scores ?? [])
        return (data.caseIDs, model.probabilities(data))
    }
}
