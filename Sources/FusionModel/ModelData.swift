import Foundation
import RadiomicsIO
import RadiomicsCore

/// Cases for fitting or applying a model: one or more CSV tables (e.g. radiomic features and clinical
/// values) joined on `case_id`, reduced to the named numeric columns.
///
/// The first table fixes the case order. Every other table must hold exactly the same cases: a case
/// missing from any table is an error naming the case and the table. A column must come from one table
/// only. Missing or non-numeric values in the used columns are errors naming file, row and column, and an
/// outcome must be 0 or 1: nothing is dropped silently.
public struct ModelData: Sendable {
    public var caseIDs: [String]
    public var predictorNames: [String]
    /// x[i][j]: predictor j of case i.
    public var x: [[Double]]
    /// 0/1 outcome per case, when an outcome column was asked for.
    public var y: [Double]?
    /// Time and event per case, when survival columns were asked for.
    public var survival: SurvivalOutcome?

    public init(caseIDs: [String], predictorNames: [String], x: [[Double]], y: [Double]?, survival: SurvivalOutcome? = nil) {
        self.caseIDs = caseIDs
        self.predictorNames = predictorNames
        self.x = x
        self.y = y
        self.survival = survival
    }

    /// `scores`: other models whose linear predictors join the tables as columns (`ModelScore`).
    public static func load(paths: [String], predictors: [String], outcome: String?,
                            survival: (time: String, event: String)? = nil, scores: [ModelScore] = []) throws -> ModelData {
        try join(tables: try ModelScore.adding(scores, to: paths.map { try CSVTable.read(path: $0) }), predictors: predictors,
                 outcome: outcome, survival: survival)
    }

    public static func join(tables: [CSVTable], predictors: [String], outcome: String?,
                            survival columns: (time: String, event: String)? = nil) throws -> ModelData {
        guard let first = tables.first else { throw RadiomicsError("no data table given") }
        guard !predictors.isEmpty else { throw RadiomicsError("no predictors given") }
        if let dup = Dictionary(grouping: predictors, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw RadiomicsError("predictor '\(dup)' is listed twice")
        }
        let ids = try first.caseIDs()
        var rowOf: [[String: Int]] = []
        for t in tables {
            let tIDs = try t.caseIDs()
            let index = Dictionary(uniqueKeysWithValues: tIDs.enumerated().map { ($1, $0) })
            if let missing = ids.first(where: { index[$0] == nil }) {
                throw RadiomicsError(file: t.source, "case '\(missing)' (in \(first.source)) is missing from this table")
            }
            let known = Set(ids)
            if let extra = tIDs.first(where: { !known.contains($0) }) {
                throw RadiomicsError(file: first.source, "case '\(extra)' (in \(t.source)) is missing from this table")
            }
            rowOf.append(index)
        }
        func locate(_ name: String) throws -> (table: Int, column: Int) {
            let hits = tables.indices.compactMap { t in tables[t].header.firstIndex(of: name).map { (t, $0) } }
            if hits.isEmpty {
                throw RadiomicsError("no column '\(name)' in \(tables.map(\.source).joined(separator: " or "))")
            }
            if hits.count > 1 {
                throw RadiomicsError("column '\(name)' is in both \(tables[hits[0].0].source) and \(tables[hits[1].0].source); rename one")
            }
            return hits[0]
        }
        let where_ = try predictors.map(locate)
        var x = [[Double]](repeating: [], count: ids.count)
        for (i, id) in ids.enumerated() {
            x[i] = try where_.map { t, c in try tables[t].number(row: rowOf[t][id]!, column: c) }
        }
        var y: [Double]?
        if let outcome {
            if predictors.contains(outcome) { throw RadiomicsError("the outcome '\(outcome)' is also listed as a predictor") }
            let (t, c) = try locate(outcome)
            y = try ids.map { id in
                let r = rowOf[t][id]!
                let v = try tables[t].number(row: r, column: c)
                guard v == 0 || v == 1 else {
                    throw RadiomicsError(file: tables[t].source, "\(tables[t].location(row: r, column: c)): outcome must be 0 or 1, not \(Format.number(v))")
                }
                return v
            }
        }
        var survival: SurvivalOutcome?
        if let columns {
            for name in [columns.time, columns.event] where predictors.contains(name) || name == outcome {
                throw RadiomicsError("the survival column '\(name)' is also listed as a predictor or outcome")
            }
            if columns.time == columns.event { throw RadiomicsError("the time and event columns are both '\(columns.time)'") }
            let (tt, tc) = try locate(columns.time), (et, ec) = try locate(columns.event)
            let time = try ids.map { id in
                let r = rowOf[tt][id]!
                let v = try tables[tt].number(row: r, column: tc)
                guard v >= 0 else {
                    throw RadiomicsError(file: tables[tt].source, "\(tables[tt].location(row: r, column: tc)): a survival time cannot be negative (\(Format.number(v)))")
                }
                return v
            }
            let event = try ids.map { id in
                let r = rowOf[et][id]!
                let v = try tables[et].number(row: r, column: ec)
                guard v == 0 || v == 1 else {
                    throw RadiomicsError(file: tables[et].source, "\(tables[et].location(row: r, column: ec)): an event must be 0 (censored) or 1 (event), not \(Format.number(v))")
                }
                return v == 1
            }
            survival = SurvivalOutcome(timeColumn: columns.time, eventColumn: columns.event, time: time, event: event)
        }
        return ModelData(caseIDs: ids, predictorNames: predictors, x: x, y: y, survival: survival)
    }

    /// The survival outcome, or an error saying it is needed.
    public func requireSurvival() throws -> SurvivalOutcome {
        guard let survival else { throw RadiomicsError("no survival time and event columns") }
        return survival
    }

    /// The outcome, or an error saying it is needed.
    public func requireOutcome() throws -> [Double] {
        guard let y else { throw RadiomicsError("no outcome column") }
        return y
    }

    /// The cases at `rows`, in that order.
    public func subset(_ rows: [Int]) -> ModelData {
        ModelData(caseIDs: rows.map { caseIDs[$0] }, predictorNames: predictorNames, x: rows.map { x[$0] }, y: y.map { v in rows.map { v[$0] } },
                  survival: survival.map { s in
                      SurvivalOutcome(timeColumn: s.timeColumn, eventColumn: s.eventColumn, time: rows.map { s.time[$0] }, event: rows.map { s.event[$0] })
                  })
    }
}

/// Time to an event or to censoring, per case, and whether the event happened (1) or the case was censored (0).
public struct SurvivalOutcome: Sendable {
    public var timeColumn: String
    public var eventColumn: String
    public var time: [Double]
    public var event: [Bool]
}
