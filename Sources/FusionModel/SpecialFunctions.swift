import Foundation

/// Special functions the validation statistics need, written out so the package carries no numeric dependency.
public enum SpecialFunctions {
    /// The standard normal quantile at 0.975 (two-sided 95% intervals): Φ⁻¹(0.975).
    public static let z975 = 1.959963984540054

    /// Standard normal CDF Φ(x) = erfc(-x / √2) / 2.
    public static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// Logistic function σ(η) = 1 / (1 + e^(−η)), evaluated without overflow for large |η|.
    public static func logistic(_ eta: Double) -> Double {
        if eta >= 0 { return 1 / (1 + exp(-eta)) }
        let e = exp(eta)
        return e / (1 + e)
    }

    /// logit(p) = log(p / (1 − p)).
    public static func logit(_ p: Double) -> Double { log(p / (1 - p)) }

    /// Regularised lower incomplete gamma P(a, x) = γ(a, x) / Γ(a), for a > 0, x >= 0.
    ///
    /// Series γ(a,x) = e^(−x) x^a Σ_{n≥0} x^n / (a (a+1) ... (a+n)) for x < a + 1, otherwise
    /// 1 − Q(a, x) with Q from Legendre's continued fraction evaluated by the modified Lentz method
    /// (Press et al., Numerical Recipes, 3rd ed., §6.2).
    public static func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
        precondition(a > 0 && x >= 0, "P(a, x) needs a > 0 and x >= 0")
        if x == 0 { return 0 }
        return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x)
    }

    /// Regularised upper incomplete gamma Q(a, x) = 1 − P(a, x), computed directly in the tail (no cancellation).
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        precondition(a > 0 && x >= 0, "Q(a, x) needs a > 0 and x >= 0")
        if x == 0 { return 1 }
        return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x)
    }

    /// Chi-square CDF with k degrees of freedom: F(x; k) = P(k/2, x/2).
    public static func chiSquareCDF(_ x: Double, degreesOfFreedom k: Double) -> Double {
        x <= 0 ? 0 : regularizedGammaP(k / 2, x / 2)
    }

    /// Chi-square upper tail 1 − F(x; k) = Q(k/2, x/2) (a test's p-value).
    public static func chiSquareSurvival(_ x: Double, degreesOfFreedom k: Double) -> Double {
        x <= 0 ? 1 : regularizedGammaQ(k / 2, x / 2)
    }

    private static func gammaSeries(_ a: Double, _ x: Double) -> Double {
        var term = 1 / a, sum = term, ap = a
        for _ in 0..<10_000 {
            ap += 1
            term *= x / ap
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return sum * exp(-x + a * log(x) - lgamma(a))
    }

    private static func gammaContinuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return exp(-x + a * log(x) - lgamma(a)) * h
    }
}
