import Foundation

/// ALBI (albumin-bilirubin) score and grade (Johnson et al., J Clin Oncol 2015), as in shared/docs/DOMAIN.md:
/// score = 0.66 x log10(total bilirubin, umol/L) - 0.085 x (albumin, g/L);
/// grade 1: score <= -2.60; grade 2: -2.60 < score <= -1.39; grade 3: score > -1.39.
public enum ALBI {
    public static func score(bilirubinMicromolPerL: Double, albuminGramsPerL: Double) -> Double {
        0.66 * log10(bilirubinMicromolPerL) - 0.085 * albuminGramsPerL
    }

    public static func grade(score: Double) -> Int {
        if score <= -2.60 { return 1 }
        if score <= -1.39 { return 2 }
        return 3
    }
}
