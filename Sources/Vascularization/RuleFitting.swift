import Foundation
import RadiomicsCore
import RadiomicsIO

/// Re-tunes the rule thresholds on a site's labelled cases (`radiomics vasc fit`).
///
/// The rules keep their form (ring, then heterogeneous, then hyper-enhancing); only the six thresholds move.
/// Coordinate ascent: each threshold in turn takes the value, among the midpoints between the observed values
/// of its quantity, that gives the most correct calls (ties: the value nearest the current one, so thresholds
/// move no further than the data ask), until a sweep changes nothing. The accuracy reported for the new rules
/// is cross-validated: stratified K folds, each typed by thresholds fitted on the other folds.
public enum RuleFitting {
    public struct Labelled: Sendable {
        public var caseID: String
        public var truth: Int
        public var quantities: EnhancementQuantities
        public init(caseID: String, truth: Int, quantities: EnhancementQuantities) {
            self.caseID = caseID
            self.truth = truth
            self.quantities = quantities
        }
    }

    public struct Fit: Sendable {
        public var rules: VascularizationRules
        /// Agreement of the fitted rules on the cases they were fitted on.
        public var training: TypeAgreement
        /// Agreement of the held-out calls over the folds.
        public var crossValidated: TypeAgreement
        public var folds: Int
    }

    typealias Knob = (key: WritableKeyPath<VascularizationRules.Thresholds, Double>, quantity: String, sign: Double)

    /// Each threshold and the quantity it is compared with (core_minus_liver is compared with minus the threshold).
    static var knobs: [Knob] { [
        (\.ringRimMinusCoreHU, "rim_minus_core_hu", 1), (\.ringMinCoverage, "rim_coverage", 1),
        (\.ringCoreBelowLiverHU, "core_minus_liver_hu", -1), (\.heterogeneitySDHU, "heterogeneity_sd_hu", 1),
        (\.septumFraction, "septum_fraction", 1), (\.hyperenhancementHU, "arterial_tumour_minus_liver_hu", 1),
    ] }

    static func correct(_ rules: VascularizationRules, _ cases: [Labelled]) -> Int {
        cases.reduce(0) { $0 + (rules.classify($1.quantities).type == $1.truth ? 1 : 0) }
    }

    /// Thresholds that type `cases` best, starting from `start`.
    public static func fitThresholds(_ cases: [Labelled], start: VascularizationRules) -> VascularizationRules {
        var rules = start
        var best = correct(rules, cases)
        for _ in 0..<10 {
            var changed = false
            for knob in knobs {
                let values = Set(cases.compactMap { $0.quantities[knob.quantity] }.map { $0 * knob.sign }).sorted()
                guard values.count >= 2 else { continue }
                var candidates = zip(values, values.dropFirst()).map { ($0 + $1) / 2 }
                candidates += [values.first! - 1, values.last! + 1]
                let current = rules.thresholds[keyPath: knob.key]
                var choice = current
                for c in candidates {
                    var trial = rules
                    trial.thresholds[keyPath: knob.key] = c
                    let n = correct(trial, cases)
                    if n > best || (n == best && abs(c - current) < abs(choice - current)) {
                        if n > best { changed = true }
                        best = n
                        choice = c
                    }
                }
                if knob.key == \VascularizationRules.Thresholds.ringMinCoverage || knob.key == \VascularizationRules.Thresholds.septumFraction {
                    choice = min(1, max(0, choice))
                }
                rules.thresholds[keyPath: knob.key] = choice
            }
            if !changed { break }
        }
        return rules
    }

    /// Fits on all cases and cross-validates with `folds` stratified folds drawn with `seed`.
    public static func fit(_ cases: [Labelled], start: VascularizationRules, folds: Int = 5, seed: UInt64 = 1) throws -> Fit {
        guard cases.count >= 2 * folds else {
            throw RadiomicsError("\(cases.count) labelled cases are too few for \(folds)-fold cross-validation (at least \(2 * folds))")
        }
        // Stratified folds: each type's cases dealt round the folds in a seeded order.
        var rng = SeededRandom(seed: seed)
        var fold = [Int](repeating: 0, count: cases.count)
        var next = 0
        for t in 1...4 {
            let members = cases.indices.filter { cases[$0].truth == t }
            for (k, m) in rng.permutation(members.count).map({ members[$0] }).enumerated() { fold[m] = (next + k) % folds }
            next += members.count
        }
        var held = TypeAgreement()
        for f in 0..<folds {
            let train = cases.indices.filter { fold[$0] != f }.map { cases[$0] }
            let fitted = fitThresholds(train, start: start)
            for i in cases.indices where fold[i] == f {
                held.add(truth: cases[i].truth, call: fitted.classify(cases[i].quantities).type)
            }
        }
        var rules = fitThresholds(cases, start: start)
        let training = TypeAgreement(pairs: cases.map { ($0.truth, rules.classify($0.quantities).type) })
        rules.name = "fitted"
        rules.description = String(format: "fitted on %d labelled cases: cross-validated accuracy %.3f (kappa %.3f, %d folds), training accuracy %.3f",
                                   cases.count, held.accuracy, held.kappa, folds, training.accuracy)
        return Fit(rules: rules, training: training, crossValidated: held, folds: folds)
    }

    /// Joins a labels table (`case_id,type`) with a quantities table written by `vasc classify --format csv`.
    /// A labelled case missing from the quantities, or whose typing failed there, is an error naming it.
    public static func labelled(labels: CSVTable, quantities: CSVTable) throws -> [Labelled] {
        let labelIDs = try labels.caseIDs()
        let typeColumn = try labels.columnIndex("type")
        let ids = try quantities.caseIDs()
        var rowOf: [String: Int] = [:]
        for (r, id) in ids.enumerated() { rowOf[id] = r }
        let errorColumn = quantities.header.firstIndex(of: "error")
        return try labels.rows.indices.map { r in
            let truth = try labels.number(row: r, column: typeColumn)
            guard truth == truth.rounded(), (1...4).contains(Int(truth)) else {
                throw RadiomicsError(file: labels.source, "\(labels.location(row: r, column: typeColumn)): type must be 1-4")
            }
            guard let q = rowOf[labelIDs[r]] else {
                throw RadiomicsError(file: quantities.source, "case \(labelIDs[r]) (labelled in \(labels.source)) has no row here")
            }
            if let e = errorColumn, !quantities.rows[q][e].isEmpty {
                throw RadiomicsError(file: quantities.source, "case \(labelIDs[r]) could not be measured: \(quantities.rows[q][e])")
            }
            var measured = EnhancementQuantities()
            for (name, unit, _) in EnhancementQuantities.names {
                guard let c = quantities.header.firstIndex(of: name) else { continue }
                let text = quantities.rows[q][c].trimmingCharacters(in: .whitespaces)
                measured.add(name, text.hasPrefix("[") ? nil : Double(text), unit)
            }
            return Labelled(caseID: labelIDs[r], truth: Int(truth), quantities: measured)
        }
    }
}
