import RadiomicsCore
import Testing

/// Reader agreement statistics against scikit-learn 1.9.1 and statsmodels 0.15.0 (numpy 2.4.6), on three readers'
/// types of 30 cases. The numbers were printed by:
///
///     from sklearn.metrics import cohen_kappa_score, confusion_matrix
///     from statsmodels.stats.inter_rater import cohens_kappa, fleiss_kappa, aggregate_raters
///     cohen_kappa_score(r1, r2, weights=None | "linear" | "quadratic")
///     res = cohens_kappa(confusion_matrix(r1, r2, labels=[1, 2, 3, 4]), wt=None | "linear" | "quadratic")
///     res.std_kappa, res.kappa_low, res.kappa_upp
///     fleiss_kappa(aggregate_raters(np.array([r1, r2, r3]).T)[0], method="fleiss")
@Suite struct RaterAgreementTests {
    static let r1 = [1, 2, 3, 4, 2, 2, 3, 4, 1, 1, 3, 4, 4, 2, 3, 1, 2, 3, 4, 4, 1, 2, 2, 3, 3, 4, 1, 1, 2, 4]
    static let r2 = [1, 2, 3, 3, 2, 1, 3, 4, 1, 2, 3, 4, 3, 2, 4, 1, 2, 3, 4, 4, 2, 2, 2, 3, 4, 4, 1, 1, 3, 4]
    static let r3 = [1, 2, 4, 4, 2, 2, 3, 4, 1, 1, 3, 3, 4, 2, 3, 1, 1, 3, 4, 4, 1, 2, 3, 3, 3, 4, 2, 1, 2, 4]

    @Test(arguments: [
        (CohenKappa.Weighting.none, 0.6439169139465876, 0.10773958348219587, 0.432751210612137, 0.855082617281038),
        (.linear, 0.7833935018050542, 0.0680394706065215, 0.6500385898891003, 0.916748413721008),
        (.quadratic, 0.8901098901098901, 0.03712613247405909, 0.8173440075754714, 0.9628757726443089),
    ])
    func cohenKappa(_ weighting: CohenKappa.Weighting, kappa: Double, se: Double, lower: Double, upper: Double) {
        let k = CohenKappa(pairs: Array(zip(Self.r1, Self.r2)), categories: 4, weighting: weighting)
        #expect(abs(k.kappa - kappa) < 1e-12)
        #expect(abs(k.standardError - se) < 1e-12)
        #expect(abs(k.lower95 - lower) < 1e-9 && abs(k.upper95 - upper) < 1e-9)
    }

    @Test func fleissKappaOfThreeReaders() {
        let ratings = (0..<30).map { [Self.r1[$0], Self.r2[$0], Self.r3[$0]] }
        #expect(abs(FleissKappa.kappa(ratings: ratings, categories: 4) - 0.6142433234421363) < 1e-12)
    }

    /// The p-TACE split, types 1/2 against 3/4 (scikit-learn: 0.9333333333333333).
    @Test func binarySplit() {
        let pairs = zip(Self.r1, Self.r2).map { ($0 <= 2 ? 1 : 2, $1 <= 2 ? 1 : 2) }
        #expect(abs(CohenKappa(pairs: pairs, categories: 2).kappa - 0.9333333333333333) < 1e-12)
    }

    @Test func undefinedCases() {
        #expect(CohenKappa(table: [[0, 0], [0, 0]]).kappa.isNaN)
        #expect(CohenKappa(table: [[5, 0], [0, 0]]).kappa.isNaN)
        #expect(FleissKappa.kappa(counts: [[1, 0], [0, 1]]).isNaN)
    }
}
