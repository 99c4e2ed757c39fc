import Foundation
import RadiomicsCore
import RadiomicsIO

/// Late fusion: a saved model's linear predictor taken as one predictor of another model (a radiomics score from
/// a LASSO model beside ALBI grade and AFP in a clinical-radiomic Cox model, say). The fused model's file carries
/// the models its scores come from, so predicting and evaluating it needs only the tables their predictors are in.
/// A score is the linear predictor: β₀ + xᵀβ (the logit) of a logistic model, xᵀβ of a Cox model (uncentred, as the
/// Cox model's own predictions use it); a model may itself hold scores. A score from outside (a deep-learning
/// tool's output, p-TACE from `radiomics ptace`) needs none of this: it is a column of a table given with --data.
public struct ModelScore: Codable, Sendable, Equatable {
    /// The predictor's name in the fused model.
    public var name: String
    public var model: SavedModel

    public init(name: String, model: SavedModel) {
        self.name = name
        self.model = model
    }

    /// `NAME=MODEL.json`, as `model fit --score` takes it.
    public static func read(_ spec: String) throws -> ModelScore {
        let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw RadiomicsError("--score takes NAME=MODEL.json (e.g. radscore=radiomics-lasso.json), not '\(spec)'")
        }
        guard parts[0] != "case_id" else { throw RadiomicsError("--score: 'case_id' cannot name a score") }
        return ModelScore(name: parts[0], model: try SavedModel.read(path: parts[1]))
    }

    /// `tables` with one table more per score: case_id and the score of every case (the score's model's
    /// predictors must be in the tables for every case, as any predictor's).
    public static func adding(_ scores: [ModelScore], to tables: [CSVTable]) throws -> [CSVTable] {
        guard let ids = try tables.first?.caseIDs() else { return tables }
        var out = tables
        for score in scores {
            if let holder = tables.first(where: { $0.header.contains(score.name) }) {
                throw RadiomicsError(file: holder.source, "the score '\(score.name)' is also a column of this table; rename one")
            }
            let values: [Double]
            do { values = try score.model.linearPredictors(tables: tables) } catch {
                throw RadiomicsError("score '\(score.name)': \(error)")
            }
            out.append(CSVTable(source: "score '\(score.name)'", header: ["case_id", score.name],
                                rows: zip(ids, values).map { [$0, "\($1)"] }))
        }
        return out
    }
}

extension SavedModel: Codable {
    public init(from decoder: Decoder) throws {
        struct Header: Decodable { var format: String? }
        self = try Header(from: decoder).format == "radiomics-cox-model" ? .cox(try CoxModel(from: decoder)) : .logistic(try LogisticModel(from: decoder))
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .logistic(let m): try m.encode(to: encoder)
        case .cox(let m): try m.encode(to: encoder)
        }
    }

    public var predictorNames: [String] {
        switch self {
        case .logistic(let m): m.predictorNames
        case .cox(let m): m.predictorNames
        }
    }

    /// The scores this model takes from other models.
    public var scores: [ModelScore] {
        switch self {
        case .logistic(let m): m.scores ?? []
        case .cox(let m): m.scores ?? []
        }
    }

    /// The linear predictor of every case of the tables (in the first table's order).
    public func linearPredictors(tables: [CSVTable]) throws -> [Double] {
        let data = try ModelData.join(tables: try ModelScore.adding(scores, to: tables), predictors: predictorNames, outcome: nil)
        switch self {
        case .logistic(let m): return data.x.map(m.linearPredictor)
        case .cox(let m): return data.x.map(m.linearPredictor)
        }
    }
}
