import FusionModel
import Foundation
import RadiomicsCore
import RadiomicsIO
import Testing
import TestSupport

/// Cox regression, Kaplan-Meier, log-rank and concordance against R survival 3.5.3 (numbers and commands in
/// SurvivalReferenceData.swift), to 1e-6 relative.
@Suite struct SurvivalTests {
    static func close(_ a: Double, _ b: Double, _ what: String, tolerance: Double = 1e-6) {
        #expect(abs(a - b) <= tolerance * max(abs(b), 1e-300), "\(what): \(a) against R's \(b)")
    }

    struct CoxReference {
        var data: String, ties: CoxTies
        var coef: [Double], se: [Double], loglik: (Double, Double), score: Double, wald: Double, lr: Double
        var concordance: Double, counts: (Double, Double, Double)
    }

    static let cox: [CoxReference] = [
        CoxReference(data: "A", ties: .efron, coef: [0.028757988207972082, 0.0056186825349720543], se: [0.02076196732483504, 0.0040332270143903885],
                     loglik: (-100.15972313294051, -98.460578336894216), score: 3.8983852459359358, wald: 3.7376902543881112, lr: 3.3982895920925955,
                     concordance: 0.61776581426648725, counts: (459, 284, 0)),
        CoxReference(data: "A", ties: .breslow, coef: [0.028757988207972082, 0.0056186825349720543], se: [0.02076196732483504, 0.0040332270143903885],
                     loglik: (-100.15972313294051, -98.460578336894216), score: 3.8983852459359358, wald: 3.7376902543881112, lr: 3.3982895920925955,
                     concordance: 0.61776581426648725, counts: (459, 284, 0)),
        CoxReference(data: "B", ties: .efron, coef: [0.0075359319513624481, 0.0011338543399501385], se: [0.016907202919200434, 0.002980264487465072],
                     loglik: (-172.32983838212365, -172.14637299732649), score: 0.37042671422956663, wald: 0.36988630791827115, lr: 0.36693076959431892,
                     concordance: 0.55676328502415462, counts: (461, 367, 0)),
        CoxReference(data: "B", ties: .breslow, coef: [0.004708656089032719, 0.000674069137316074], se: [0.016834017319356291, 0.0030396992722074253],
                     loglik: (-193.79006541496781, -193.72343464601096), score: 0.13399905258668232, wald: 0.133947054691054, lr: 0.13326153791371098,
                     concordance: 0.55797101449275366, counts: (462, 366, 0)),
    ]

    struct Case {
        var time: [Double], event: [Bool], x: [[Double]], group: [String]
    }

    /// Data set A or B of SurvivalReference (TestSupport): time, event, predictors age and afp, group.
    static func data(_ name: String) throws -> Case {
        let t = try CSVTable.parse((name == "A" ? SurvivalReference.a : SurvivalReference.b) + "\n", source: name)
        let column = { (n: String) in t.header.firstIndex(of: n)! }
        let rows = t.rows.indices
        return Case(time: try rows.map { try t.number(row: $0, column: column("time")) },
                    event: try rows.map { try t.number(row: $0, column: column("event")) == 1 },
                    x: try rows.map { r in [try t.number(row: r, column: column("age")), try t.number(row: r, column: column("afp"))] },
                    group: rows.map { t.rows[$0][column("group")] })
    }

    @Test(arguments: 0..<4)
    func coxMatchesR(_ k: Int) throws {
        let r = Self.cox[k]
        let d = try Self.data(r.data)
        let fit = try CoxRegression.fit(x: d.x, time: d.time, event: d.event, ties: r.ties)
        let what = "\(r.data) \(r.ties)"
        for j in 0..<2 {
            Self.close(fit.coefficients[j], r.coef[j], "\(what) coefficient \(j)")
            Self.close(fit.standardErrors[j], r.se[j], "\(what) standard error \(j)")
        }
        Self.close(fit.nullLogLikelihood, r.loglik.0, "\(what) null log-likelihood", tolerance: 1e-9)
        Self.close(fit.logLikelihood, r.loglik.1, "\(what) log-likelihood", tolerance: 1e-9)
        Self.close(fit.scoreTest, r.score, "\(what) score test")
        Self.close(fit.waldTest, r.wald, "\(what) Wald test")
        Self.close(fit.likelihoodRatioTest, r.lr, "\(what) likelihood-ratio test")
        let risk = d.x.map { zip($0, fit.coefficients).reduce(0) { $0 + $1.0 * $1.1 } }
        let c = Concordance(time: d.time, event: d.event, risk: risk)
        #expect(c.concordant == r.counts.0 && c.discordant == r.counts.1 && c.tiedRisk == r.counts.2, "\(what) pairs")
        Self.close(c.index, r.concordance, "\(what) concordance", tolerance: 1e-12)
        // R: concordance(fit)$var, for the Efron fits (R survival 3.5.3, same script).
        if r.ties == .efron {
            Self.close(c.variance, r.data == "A" ? 0.0034563877105375177 : 0.0063692004599966625, "\(what) concordance variance")
        }
    }

    /// The model file's baseline cumulative hazard at x = 0 against R's basehaz(fit, centered = FALSE) (first,
    /// middle and last of R's times), and the fit through the data tables equals the fit on arrays.
    @Test func baselineHazardMatchesR() throws {
        for (name, ties, times, hazard) in [
            ("A", CoxTies.efron, [0.007, 3.652, 21.298], [0.0032567200119676338, 0.09026424687662149, 0.5220770544224953]),
            ("A", .breslow, [0.007, 3.652, 21.298], [0.0032567200119676338, 0.09026424687662149, 0.5220770544224953]),
            ("B", .efron, [1, 2, 5], [0.70809031389403931, 0.96140136369027562, 1.429634066586017]),
            ("B", .breslow, [1, 2, 5], [0.50706259817174226, 0.76486259264687495, 1.2036944441183572]),
        ] {
            let table = try CSVTable.parse((name == "A" ? SurvivalReference.a : SurvivalReference.b) + "\n", source: name)
            let data = try ModelData.join(tables: [table], predictors: ["age", "afp"], outcome: nil, survival: ("time", "event"))
            let model = try CoxModel.fit(data, ties: ties)
            let r = Self.cox.first { $0.data == name && $0.ties == ties }!
            for j in 0..<2 { Self.close(model.coefficients[j].estimate, r.coef[j], "\(name) \(ties) coefficient \(j)") }
            Self.close(model.concordance, r.concordance, "\(name) \(ties) concordance", tolerance: 1e-12)
            for (t, h) in zip(times, hazard) {
                Self.close(model.baselineCumulativeHazard(at: t), h, "\(name) \(ties) H0(\(t))")
            }
        }
    }

    /// Times and events are checked as they are read: the error names the file, row and column.
    @Test func badSurvivalColumnsNameRowAndColumn() throws {
        for (cells, message) in [("-2,1", "a survival time cannot be negative"), ("3,2", "an event must be 0 (censored) or 1 (event), not 2"),
                                 (",1", "missing value"), ("3,yes", "'yes' is not a number")] {
            let table = try CSVTable.parse("case_id,age,time,event\nP1,60,4,1\nP2,70,\(cells)\n", source: "clinical.csv")
            #expect { _ = try ModelData.join(tables: [table], predictors: ["age"], outcome: nil, survival: ("time", "event")) } throws: {
                let text = "\($0)"
                return text.contains("clinical.csv") && text.contains("row 2") && text.contains(message)
            }
        }
        let table = try CSVTable.parse("case_id,age,time,event\nP1,60,4,1\n", source: "clinical.csv")
        #expect(throws: (any Error).self) { _ = try ModelData.join(tables: [table], predictors: ["age", "time"], outcome: nil, survival: ("time", "event")) }
    }

    @Test func logRankMatchesR() throws {
        for (name, chisq, observed, expected) in [
            ("A", 2.7982998946572049, [12.0, 12, 11], [10.895069004036218, 8.7522221856110285, 15.352708810352757]),
            ("B", 8.706928287986516, [19.0, 20, 12], [21.423529411764708, 14.705882352941176, 14.870588235294118]),
        ] {
            let d = try Self.data(name)
            let test = try LogRankTest(time: d.time, event: d.event, group: d.group)
            #expect(test.groups == ["A", "B", "C"] && test.degreesOfFreedom == 2)
            Self.close(test.chiSquare, chisq, "\(name) log-rank chi-square")
            for g in 0..<3 {
                #expect(test.observed[g] == observed[g])
                Self.close(test.expected[g], expected[g], "\(name) expected deaths in group \(g)")
            }
        }
    }

    @Test func kaplanMeierMatchesR() throws {
        // The last event steps (R: summary(survfit(...), censored = FALSE)), the median and its interval.
        let a = KaplanMeier(time: try Self.data("A").time, event: try Self.data("A").event)
        let aSteps = a.steps.filter { $0.events > 0 }.suffix(3).map { $0 }
        #expect(aSteps.map(\.time) == [16.494, 20.035, 21.298])
        for (step, (s, se, lo, hi)) in zip(aSteps.prefix(2), [(0.1105641025641025, 0.062538480650418268, 0.036487842958544493, 0.33502722508683497),
                                                         (0.055282051282051249, 0.050058146065264514, 0.0093716772561213031, 0.32610013239147601)]) {
            Self.close(step.survival, s, "A survival at \(step.time)")
            Self.close(step.standardError, se, "A standard error at \(step.time)")
            Self.close(step.interval().lower, lo, "A lower bound at \(step.time)")
            Self.close(step.interval().upper, hi, "A upper bound at \(step.time)")
        }
        #expect(aSteps[2].survival == 0)
        let m = a.median()
        #expect(m.median == 3.752 && m.lower == 2.548 && m.upper == 7.856)

        let b = KaplanMeier(time: try Self.data("B").time, event: try Self.data("B").event)
        let bSteps = b.steps.filter { $0.events > 0 }.suffix(3).map { $0 }
        #expect(bSteps.map(\.time) == [1, 2, 3])
        for (step, (s, se, lo, hi)) in zip(bSteps, [(0.29999999999999999, 0.059160797830996162, 0.20382715687856659, 0.4415505832405785),
                                                   (0.19411764705882353, 0.051714941477223705, 0.11515854157323965, 0.32721550989501563),
                                                   (0.077647058823529416, 0.047293015876577575, 0.023533036377746664, 0.25619582816120784)]) {
            Self.close(step.survival, s, "B survival at \(step.time)")
            Self.close(step.standardError, se, "B standard error at \(step.time)")
            Self.close(step.interval().lower, lo, "B lower bound at \(step.time)")
            Self.close(step.interval().upper, hi, "B upper bound at \(step.time)")
        }
        let mb = b.median()
        #expect(mb.median == 1 && mb.lower == 1 && mb.upper == 1)
    }

    @Test func coxRefusesWhatItCannotFit() throws {
        let time = [1.0, 2, 3, 4], event = [true, false, true, true]
        #expect { _ = try CoxRegression.fit(x: time.map { _ in [1.0] }, time: time, event: event, predictorNames: ["grade"]) } throws: {
            "\($0)".contains("'grade' has the same value in every case")
        }
        #expect { _ = try CoxRegression.fit(x: time.map { [$0] }, time: time, event: [false, false, false, false]) } throws: {
            "\($0)".contains("no events")
        }
        // Deaths in time order of the predictor: the likelihood keeps rising as β grows.
        #expect { _ = try CoxRegression.fit(x: [[4.0], [3], [2], [1]], time: time, event: [true, true, true, true], predictorNames: ["afp"]) } throws: {
            "\($0)".contains("did not converge") && "\($0)".contains("'afp'")
        }
    }
}

/// A cohort simulated from a known Cox model: exponential survival with hazard 0.1 exp(0.7 x1 − 0.5 x2) (x1
/// normal, x2 a 0/1 feature in 40 %), independent exponential censoring at rate 0.05 (about 40 % censored),
/// 20,000 cases (the C-index of a sample this size is within about 0.003 of its expectation).
@Suite struct SimulatedCoxCohortTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func recoversTheModelItCameFrom(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        let n = 20_000, beta = [0.7, -0.5], baseline = 0.1, censoring = 0.05
        var x: [[Double]] = [], time: [Double] = [], event: [Bool] = [], hazard: [Double] = []
        for _ in 0..<n {
            let row = [rng.normal(), rng.uniform() < 0.4 ? 1.0 : 0.0]
            let h = baseline * exp(zip(row, beta).reduce(0) { $0 + $1.0 * $1.1 })
            let t = -log(1 - rng.uniform()) / h, c = -log(1 - rng.uniform()) / censoring
            x.append(row); hazard.append(h); time.append(min(t, c)); event.append(t <= c)
        }
        let fit = try CoxRegression.fit(x: x, time: time, event: event)
        for j in 0..<2 {
            #expect(abs(fit.coefficients[j] - beta[j]) < 2 * fit.standardErrors[j],
                    "β\(j + 1) = \(fit.coefficients[j]) ± \(fit.standardErrors[j]), true \(beta[j])")
        }
        // The true model's C-index against its expectation given these covariates: a pair is comparable with
        // probability (h_i + h_j) / (h_i + h_j + 2c) (the first of four exponential clocks is a death), and then
        // the case with the higher hazard dies first with probability max(h) / (h_i + h_j), censoring being
        // memoryless. Averaged over two million random pairs (Monte Carlo error about 2e-4).
        var weighted = 0.0, weights = 0.0
        for _ in 0..<2_000_000 {
            let i = rng.index(below: n), j = rng.index(below: n)
            guard i != j else { continue }
            let s = hazard[i] + hazard[j], w = s / (s + 2 * censoring)
            weighted += w * max(hazard[i], hazard[j]) / s
            weights += w
        }
        let c = Concordance(time: time, event: event, risk: hazard).index
        #expect(abs(c - weighted / weights) < 0.01, "C = \(c), expected \(weighted / weights)")
    }

    /// The O(n log n) count equals the count over every pair, with ties in time, in risk and both.
    @Test func concordanceCountsEveryPair() {
        var rng = SeededRandom(seed: 9)
        for n in [1, 2, 5, 40, 300] {
            let time = (0..<n).map { _ in Double(rng.index(below: 12)) }
            let event = (0..<n).map { _ in rng.uniform() < 0.6 }
            let risk = (0..<n).map { _ in Double(rng.index(below: 7)) }
            var c = 0.0, d = 0.0, t = 0.0
            for i in 0..<n where event[i] {
                for j in 0..<n where j != i && (time[j] > time[i] || (time[j] == time[i] && !event[j])) {
                    if risk[i] > risk[j] { c += 1 } else if risk[i] < risk[j] { d += 1 } else { t += 1 }
                }
            }
            let fast = Concordance(time: time, event: event, risk: risk)
            #expect(fast.concordant == c && fast.discordant == d && fast.tiedRisk == t, "n = \(n)")
            // The jackknife variance from every pair: each case's score and pair count.
            guard c + d + t > 0 else { continue }
            var score = [Double](repeating: 0, count: n), pairs = score
            for i in 0..<n where event[i] {
                for j in 0..<n where j != i && (time[j] > time[i] || (time[j] == time[i] && !event[j])) {
                    let s = risk[i] > risk[j] ? 1.0 : risk[i] == risk[j] ? 0.5 : 0
                    score[i] += s; score[j] += s; pairs[i] += 1; pairs[j] += 1
                }
            }
            let index = (c + t / 2) / (c + d + t)
            let variance = (0..<n).reduce(0.0) { $0 + pow((score[$1] - index * pairs[$1]) / (c + d + t), 2) }
            #expect(abs(fast.variance - variance) <= 1e-12 * variance, "n = \(n)")
        }
    }
}

/// The proportional-hazards test against R survival 3.5.3's cox.zph(fit) (transform "km"; same data and fits as
/// SurvivalTests; script in SurvivalReferenceData.swift).
@Suite struct ProportionalHazardsTests {
    @Test func matchesCoxZph() throws {
        for (name, ties, chisq) in [
            ("A", CoxTies.efron, [0.0050520101094548549, 0.85196211436198166, 0.85283860759990249]),
            ("A", .breslow, [0.0050520101094548549, 0.85196211436198166, 0.85283860759990249]),
            ("B", .efron, [0.000678371794052731, 0.50612312663991788, 0.5251517078908825]),
            ("B", .breslow, [0.0010616673227524173, 0.21263468813914191, 0.22483041083956629]),
        ] {
            let d = try SurvivalTests.data(name)
            let fit = try CoxRegression.fit(x: d.x, time: d.time, event: d.event, ties: ties)
            let test = try ProportionalHazardsTest(x: d.x, time: d.time, event: d.event, ties: ties, beta: fit.coefficients,
                                                   predictorNames: ["age", "afp"])
            SurvivalTests.close(test.chiSquare[0], chisq[0], "\(name) \(ties) age")
            SurvivalTests.close(test.chiSquare[1], chisq[1], "\(name) \(ties) afp")
            SurvivalTests.close(test.global, chisq[2], "\(name) \(ties) global")
        }
    }
}

/// Risk groups by the linear predictor's quantiles against R: survdiff and quantile(survfit(...), 0.5) on the
/// groups findInterval(lp, quantile(lp, (1:(k-1))/k), left.open = TRUE) + 1 (R 4.2.2, survival 3.5.3; script
/// in SurvivalReferenceData.swift), data set A, Efron fit.
@Suite struct RiskGroupTests {
    @Test func matchR() throws {
        let d = try SurvivalTests.data("A")
        let fit = try CoxRegression.fit(x: d.x, time: d.time, event: d.event)
        let lp = d.x.map { zip($0, fit.coefficients).reduce(0) { $0 + $1.0 * $1.1 } }
        for (k, chisq, sizes, medians, lower, upper) in [
            (2, 1.5463505931976256, [20, 20], [5.014, 2.784], [3.107, 0.829], [nil, 8.43]),
            (3, 4.217174519402044, [14, 13, 13], [8.019, 3.107, 2.665], [4.293, 0.668, 0.829], [nil, nil, nil] as [Double?]),
        ] {
            let groups = try RiskGroups(linearPredictor: lp, time: d.time, event: d.event, count: k)
            #expect(groups.groups.map(\.cases) == sizes)
            SurvivalTests.close(try #require(groups.logRank).chiSquare, chisq, "\(k) groups: log-rank")
            for (g, (m, (lo, hi))) in zip(groups.groups, zip(medians, zip(lower, upper))) {
                let median = g.curve.median()
                #expect(median.median == m && median.lower == lo && median.upper == hi, "group \(g.number) of \(k)")
            }
        }
    }
}

/// Uno's time-dependent AUC against scikit-survival 0.28.0's cumulative_dynamic_auc (numpy 2.4.6; the script is
/// in SurvivalReferenceData.swift), risk = the Efron fits' linear predictors, data sets A and B (B: deaths and
/// censorings tied at every time).
@Suite struct TimeDependentAUCTests {
    @Test func matchesScikitSurvival() throws {
        for (name, beta, times, auc) in [
            ("A", [0.028757988207972082, 0.0056186825349720543], [1.0, 2.5, 5.0, 10.0], [0.6488095238095238, 0.5796703296703297, 0.688, 0.801956978812874]),
            ("B", [0.0075359319513624481, 0.0011338543399501385], [1.0, 2.0, 3.0], [0.5658263305322125, 0.5992753623188404, 1.0]),
        ] {
            let d = try SurvivalTests.data(name)
            let risk = d.x.map { zip($0, beta).reduce(0) { $0 + $1.0 * $1.1 } }
            for (t, expected) in zip(times, auc) {
                SurvivalTests.close(try TimeDependentAUC.uno(time: d.time, event: d.event, risk: risk, at: t), expected, "\(name) AUC(\(t))")
            }
        }
        #expect(throws: (any Error).self) { _ = try TimeDependentAUC.uno(time: [1, 2], event: [true, true], risk: [1, 2], at: 5) }
    }
}

/// Elastic-net Cox against scikit-survival 0.28.0's CoxnetSurvivalAnalysis (PenalisedCoxReferenceData.swift):
/// the same non-zero coefficients and their values to 1e-6, at three penalties along one warm-started path.
@Suite struct PenalisedCoxTests {
    static let reference: [(lambda: Double, nonZero: [Int], coefficients: [Double])] = [
        (0.2, [0, 1], [0.43564234648435846, -0.10893354153093401]),
        (0.05, [0, 1, 2, 6, 8, 9, 11, 13, 14, 18, 19, 20, 23, 25, 27, 28, 29], [0.7956616902827885, -0.4364899262756548, 0.33485671354439855, -0.08926493215338938, -0.06515812798708213, 0.06832890227497605, -0.042583643211572667, -0.13896728000023909, -0.02646101026659818, -0.04451872283037538, -0.10812979996687061, -0.0819875326038119, 0.037070489432583356, -0.040815694789770554, 0.07809568663238063, -0.0030633391110764427, 0.062327015851779605]),
        (0.01, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 22, 23, 24, 25, 26, 27, 28, 29], [0.9938297539540478, -0.6061936702243834, 0.4670658656080643, 0.1132750369292823, 0.035928858462550076, -0.07368763473762613, -0.13712546418338728, -0.031798607892292566, -0.21230656847724352, 0.24897373056076824, 0.05845466252313011, -0.22492307688723345, -0.022446525331128127, -0.27817518300979593, -0.0728076328749595, -0.035632680887028284, 0.05956143735667968, -0.07782534525342098, -0.1405687362633362, -0.21659794115046474, -0.20157434747462535, -0.029056215102021818, 0.1930043591130121, -0.031131000999813474, -0.16722222467251038, -0.03424730405192931, 0.15765156159990917, -0.041531436297155694, 0.23771653318147415]),
    ]

    static func standardised() throws -> (x: [[Double]], time: [Double], event: [Bool]) {
        let t = try CSVTable.parse(PenalisedCoxReference.data + "\n", source: "coxnet")
        let rows = t.rows.indices, p = 30
        var x = try rows.map { r in try (0..<p).map { try t.number(row: r, column: t.header.firstIndex(of: "x\($0 + 1)")!) } }
        for j in 0..<p {
            let column = x.map { $0[j] }, mean = column.reduce(0, +) / Double(column.count)
            let sd = (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(column.count)).squareRoot()
            for i in x.indices { x[i][j] = (x[i][j] - mean) / sd }
        }
        return (x, try rows.map { try t.number(row: $0, column: 1) }, try rows.map { try t.number(row: $0, column: 2) == 1 })
    }

    @Test func matchesCoxnet() throws {
        let d = try Self.standardised()
        let model = PenalisedCox(x: d.x, time: d.time, event: d.event)
        let path = model.path(lambdas: Self.reference.map(\.lambda), alpha: 0.9, tolerance: 1e-16)
        for (beta, r) in zip(path, Self.reference) {
            #expect(beta.indices.filter { beta[$0] != 0 } == r.nonZero, "λ = \(r.lambda)")
            for (j, b) in zip(r.nonZero, r.coefficients) {
                #expect(abs(beta[j] - b) <= 1e-6 * abs(b) + 1e-9, "λ = \(r.lambda), x\(j + 1): \(beta[j]) against \(b)")
            }
        }
    }
}

extension PenalisedCoxTests {
    /// Through the model file's fit: the coefficients per SD at λ = 0.05 are scikit-survival's; a 10-fold CV picks
    /// λ_min at its smallest mean deviance, λ_1se no smaller, and keeps the two strongest true predictors.
    @Test func modelFitAndCrossValidation() throws {
        let table = try CSVTable.parse(PenalisedCoxReference.data + "\n", source: "coxnet")
        let names = (1...30).map { "x\($0)" }
        let data = try ModelData.join(tables: [table], predictors: names, outcome: nil, survival: ("time", "event"))
        let fixed = try CoxModel.fit(data, options: FitOptions(penalty: .elasticnet, alpha: 0.9, lambda: 0.05))
        let r = Self.reference[1]
        #expect(fixed.selected == r.nonZero.map { names[$0] } && fixed.ties == .breslow)
        for (j, b) in zip(r.nonZero, r.coefficients) {
            let perSD = fixed.coefficients[j].estimate * fixed.predictors[j].sd
            #expect(abs(perSD - b) <= 1e-6 * abs(b) + 1e-9, "x\(j + 1): \(perSD) against \(b)")
        }
        let cv = try CoxModel.fit(data, options: FitOptions(penalty: .l1, cvFolds: 10, seed: 3, cvRule: "1se"))
        let summary = try #require(cv.crossValidation)
        let best = summary.meanDeviance.indices.min { summary.meanDeviance[$0] < summary.meanDeviance[$1] }!
        #expect(summary.lambdaMin == summary.lambdas[best] && summary.lambda1SE >= summary.lambdaMin && cv.lambda == summary.lambda1SE)
        #expect(Set(["x1", "x2"]).isSubset(of: cv.selected), "\(cv.selected)")
        #expect(cv.coefficients.allSatisfy { $0.standardError == nil })
    }
}

extension PenalisedCoxTests {
    /// A predictor with one case of a rare value is constant in the folds that leave that case out: the error names
    /// the predictor and the fold instead of a fit on a zero column.
    @Test func rareValueInAFoldIsNamed() throws {
        var lines = PenalisedCoxReference.data.split(separator: "\n").map(String.init)
        lines[0] += ",rare"
        for i in 1..<lines.count { lines[i] += i == 5 ? ",1" : ",0" }
        let table = try CSVTable.parse(lines.joined(separator: "\n") + "\n", source: "coxnet")
        let data = try ModelData.join(tables: [table], predictors: ["x1", "x2", "rare"], outcome: nil, survival: ("time", "event"))
        #expect { _ = try CoxModel.fit(data, options: FitOptions(penalty: .l1, cvFolds: 10)) } throws: {
            "\($0)".contains("'rare'") && "\($0)".contains("fold")
        }
    }
}

extension PenalisedCoxTests {
    /// The cross-validation's walk stops once the curve has stayed above the 1-SE band of its minimum for 10 λ:
    /// the curve it gives is the whole walk's curve cut short, with the same λ_min and λ_1se.
    @Test func crossValidationStopsPastTheMinimum() throws {
        let table = try CSVTable.parse(PenalisedCoxReference.data + "\n", source: "coxnet")
        let names = (1...30).map { "x\($0)" }
        let data = try ModelData.join(tables: [table], predictors: names, outcome: nil, survival: ("time", "event"))
        let outcome = try data.requireSurvival()
        let d = try Self.standardised()
        let lambdas = CrossValidation.path(lambdaMax: PenalisedCox(x: d.x, time: d.time, event: d.event).lambdaMax(alpha: 1),
                                           cases: data.x.count, predictors: names.count)
        func cv(_ patience: Int?) throws -> CrossValidationSummary {
            try PenalisedCox.crossValidate(x: data.x, time: outcome.time, event: outcome.event, predictorNames: names, alpha: 1,
                                           lambdas: lambdas, folds: 5, seed: 2, rule: "min", patience: patience)
        }
        let whole = try cv(nil), stopped = try cv(10)
        #expect(stopped.lambdas.count < whole.lambdas.count, "\(stopped.lambdas.count) of \(whole.lambdas.count)")
        #expect(Array(whole.lambdas.prefix(stopped.lambdas.count)) == stopped.lambdas)
        #expect(Array(whole.meanDeviance.prefix(stopped.lambdas.count)) == stopped.meanDeviance)
        #expect(stopped.lambdaMin == whole.lambdaMin && stopped.lambda1SE == whole.lambda1SE)
        // Where it stopped: the last 10 λ above the band, the one before inside it.
        let best = stopped.meanDeviance.indices.min { stopped.meanDeviance[$0] < stopped.meanDeviance[$1] }!
        let band = stopped.meanDeviance[best] + stopped.devianceSE[best]
        #expect(stopped.meanDeviance.suffix(10).allSatisfy { $0 > band })
        #expect(stopped.meanDeviance.dropLast(10).last! <= band)
    }
}

/// The Brier score and its integral against scikit-survival 0.28.0's brier_score and integrated_brier_score (numpy
/// 2.4.6; the script is in SurvivalReferenceData.swift): predicted survival exp(−0.1 t e^η), η the Efron fits'
/// linear predictors, data sets A and B (B: deaths and censorings tied at every time).
@Suite struct SurvivalBrierTests {
    @Test func matchesScikitSurvival() throws {
        for (name, beta, times, expected, integrated, gridSize) in [
            ("A", [0.028757988207972082, 0.0056186825349720543], [1.0, 2.5, 5.0, 10.0],
             [0.24967269905924389, 0.4530975900763732, 0.3422901205516836, 0.2056593341309469], 0.32626467249276314, 24),
            ("B", [0.0075359319513624481, 0.0011338543399501385], [1.0, 2.0, 3.0],
             [0.5357758596444204, 0.5125885473106511, 0.4533225533655478], 0.5035688769078176, 3),
        ] {
            let d = try SurvivalTests.data(name)
            let eta = d.x.map { zip($0, beta).reduce(0) { $0 + $1.0 * $1.1 } }
            let survival = { (t: Double) in eta.map { exp(-0.1 * t * exp($0)) } }
            let bs = try SurvivalBrier.scores(time: d.time, event: d.event, times: times, survival: survival)
            for (t, (b, e)) in zip(times, zip(bs, expected)) { SurvivalTests.close(b, e, "\(name) BS(\(t))") }
            let ibs = try SurvivalBrier.integrated(time: d.time, event: d.event, from: times.first!, to: times.last!, survival: survival)
            #expect(ibs.grid.count == gridSize)
            SurvivalTests.close(ibs.value, integrated, "\(name) IBS")
        }
        let d = try SurvivalTests.data("A")
        #expect { _ = try SurvivalBrier.scores(time: d.time, event: d.event, times: [30], survival: { _ in d.time.map { _ in 0.5 } }) } throws: {
            "\($0)".contains("after the last follow-up")
        }
    }
}

/// Calibration at 2.5 and 5 against R 4.2.2 + survival 3.5.3 (calib.R in SurvivalReferenceData.swift): the Efron fit
/// on data set A, three quantile groups of the linear predictor, each group's mean survfit prediction and its
/// Kaplan-Meier estimate with the log 95 % interval; through `model evaluate`'s evaluation, with the Brier scores.
@Suite struct SurvivalCalibrationTests {
    @Test func matchesR() throws {
        let table = try CSVTable.parse(SurvivalReference.a + "\n", source: "A")
        let data = try ModelData.join(tables: [table], predictors: ["age", "afp"], outcome: nil, survival: ("time", "event"))
        let model = try CoxModel.fit(data, ties: .efron)
        let e = try SurvivalEvaluation.of(model: model, data: data, times: [2.5, 5], calibrationGroups: 3)
        let reference: [(predicted: [Double], observed: [Double], lower: [Double], upper: [Double])] = [
            ([0.73486788187488483, 0.66685476430459523, 0.56338096279398986], [0.7142857142857143, 0.61538461538461531, 0.61538461538461531],
             [0.51285269630456098, 0.40041316665413113, 0.40041316665413113], [0.99483552550080578, 0.94576866194608145, 0.94576866194608145]),
            ([0.49206364013593645, 0.39373715890281691, 0.27261538783776079], [0.5714285714285714, 0.30769230769230771, 0.23076923076923078],
             [0.36303381279315761, 0.1361430236358083, 0.085537242644151953], [0.89944958496453387, 0.69540512385179953, 0.62258773165472625]),
        ]
        #expect(e.calibration.map(\.time) == [2.5, 5])
        for (c, r) in zip(e.calibration, reference) {
            #expect(c.points.map(\.cases) == [14, 13, 13])
            for (k, p) in c.points.enumerated() {
                SurvivalTests.close(p.predicted, r.predicted[k], "t \(c.time) group \(k + 1) predicted")
                SurvivalTests.close(p.observed, r.observed[k], "t \(c.time) group \(k + 1) observed", tolerance: 1e-12)
                SurvivalTests.close(p.lower, r.lower[k], "t \(c.time) group \(k + 1) lower")
                SurvivalTests.close(p.upper, r.upper[k], "t \(c.time) group \(k + 1) upper")
            }
        }
        // The Brier scores of the same predictions, and their integral from 2.5 to 5, in the JSON and the CSV.
        let a = try SurvivalTests.data("A")
        let expected = try SurvivalBrier.scores(time: a.time, event: a.event, times: [2.5, 5]) { t in data.x.map { model.survival(at: t, $0) } }
        #expect(e.brier == expected && e.integratedBrier != nil)
        let json = e.json.rendered()
        #expect(json.contains("\"brier_score\"") && json.contains("\"calibration\"") && json.contains("\"integrated_brier_score\""))
        #expect(e.csv.contains("integrated_brier_score,"))
        #expect(e.csv.contains("\ntime_dependent_auc:2.5,\(Format.number(e.timeDependentAUC[0]))\n") && e.csv.contains("\nbrier_score:5,\(Format.number(e.brier[1]))\n"))
    }
}
