/// The image of a case a volume is: one phase of a contrast-enhanced CT study, or the single image of a
/// one-image case (extraction without phases).
public enum CasePhase: String, CaseIterable, Sendable, Hashable, Codable, CodingKeyRepresentable, Comparable {
    case image, precontrast, arterial, portal

    /// The contrast phases, in acquisition order.
    public static let contrastPhases: [CasePhase] = [.precontrast, .arterial, .portal]

    public static func < (a: CasePhase, b: CasePhase) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// What a mask of a case outlines.
public enum MaskRole: String, CaseIterable, Sendable, Hashable, Codable, CodingKeyRepresentable {
    case tumour, liver
}
