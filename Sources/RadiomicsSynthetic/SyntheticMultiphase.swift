import Foundation
import RadiomicsCore
import RadiomicsIO

/// Synthetic three-phase (pre-contrast, arterial, portal-venous) liver CT with an HCC of a known
/// vascularization type (1-4, ../shared/docs/DOMAIN.md), its tumour and liver masks.
///
/// Every quantity is drawn per case from broad ranges, so a classifier tuned on some seeds meets other shapes,
/// sizes, contrast timings and noise on others:
/// - anatomy: body, subcutaneous fat, muscle, spine, aorta, IVC, spleen, right kidney, a liver with portal and
///   hepatic vein branches (random courses and calibres) and phase-dependent enhancement;
/// - tumour: 15-90 mm, a rotated ellipsoid with random lobulation, placed anywhere inside the liver;
/// - type 1: iso- or hypo-attenuating to liver in the arterial phase, homogeneous;
///   type 2: homogeneous arterial hyper-enhancement (22-90 HU above liver);
///   type 3: heterogeneous, with thin enhancing septa (sheets 1.5-3.5 mm thick through the tumour), patchy
///   enhancement and non-enhancing patches;
///   type 4: an enhancing rim of irregular thickness around a non-enhancing (necrotic) centre;
/// - noise: Gaussian, SD drawn from the caller's range (8-25 HU by default), per phase within ±15%;
/// - partial volume across the slice: each voxel averages sub-samples 2.5 mm apart through its thickness.
/// Geometry is in patient coordinates (LPS mm), so each phase can have its own grid.
public enum SyntheticMultiphase {

    /// A tube (vessel) from `a` to `b`.
    public struct Vessel: Sendable {
        public var a: SIMD3<Double>
        public var b: SIMD3<Double>
        public var radius: Double
        /// Portal vein branch (true) or hepatic vein (false): they enhance differently.
        public var portal: Bool
        /// The box the tube lies in.
        var lower: SIMD3<Double>
        var upper: SIMD3<Double>
        init(a: SIMD3<Double>, b: SIMD3<Double>, radius: Double, portal: Bool) {
            self.a = a; self.b = b; self.radius = radius; self.portal = portal
            lower = pointwiseMin(a, b) - radius
            upper = pointwiseMax(a, b) + radius
        }
    }

    /// HU of a tissue in each contrast phase.
    public struct PhaseHU: Sendable, Codable {
        public var precontrast: Double
        public var arterial: Double
        public var portal: Double
        public init(_ pre: Double, _ art: Double, _ pv: Double) { precontrast = pre; arterial = art; portal = pv }
        public subscript(_ phase: CasePhase) -> Double {
            switch phase {
            case .precontrast: return precontrast
            case .portal: return portal
            case .arterial, .image: return arterial
            }
        }
    }

    /// A smooth blob that raises or lowers tumour HU (heterogeneity).
    public struct Blob: Sendable, Codable {
        public var centre: SIMD3<Double>
        public var width: Double
        public var amplitude: PhaseHU
    }

    /// A lobe of the tumour's surface: the radius in directions near `direction` is scaled by 1 + amplitude.
    public struct Lobe: Sendable, Codable {
        public var direction: SIMD3<Double>
        public var amplitude: Double
        public var sharpness: Double
    }

    /// Everything that defines a case; drawn by `parameters(type:seed:noise:)`.
    public struct Parameters: Sendable {
        public var type: Int
        public var seed: UInt64
        public var noiseSD: PhaseHU
        public var liverCentre = SIMD3<Double>(-60, 0, 0)
        public var liverRadii = SIMD3<Double>(80, 72, 100)
        public var liver: PhaseHU
        public var muscle: PhaseHU
        public var aorta: PhaseHU
        public var ivc: PhaseHU
        public var spleen: PhaseHU
        public var kidney: PhaseHU
        public var portalVein: PhaseHU
        public var hepaticVein: PhaseHU
        public var vessels: [Vessel]
        // Tumour.
        public var tumourCentre: SIMD3<Double>
        /// Semi-axes (mm) in the tumour's own frame, which is `tumourAxes` (orthonormal columns) in patient space.
        public var tumourRadii: SIMD3<Double>
        public var tumourAxes: Matrix3
        public var lobes: [Lobe]
        /// Viable tumour tissue.
        public var tumour: PhaseHU
        /// Non-enhancing (necrotic) tissue.
        public var necrosis: PhaseHU
        public var blobs: [Blob]
        /// Type 3: septa as planes (unit normal, offset from the tumour centre in mm), thickness, extra HU.
        public var septa: [(normal: SIMD3<Double>, offset: Double)] = []
        public var septumThickness = 0.0
        public var septum: PhaseHU = PhaseHU(0, 0, 0)
        /// Type 4: rim thickness (mm), its variation around the tumour (lobes), and the rim's HU.
        public var rimThickness = 0.0
        public var rimLobes: [Lobe] = []
        public var rim: PhaseHU = PhaseHU(0, 0, 0)
        /// Type 3: non-enhancing patches (centre, radius in mm).
        public var necroticPatches: [(centre: SIMD3<Double>, radius: Double)] = []

        /// Radius (mm) of a sphere about the tumour's centre that holds the whole tumour.
        public var tumourReach: Double { tumourRadii.max() * (1 + lobes.reduce(0) { $0 + max(0, $1.amplitude) }) + 1 }

        /// The largest tumour diameter along its axes (mm).
        public var tumourDiameter: Double { 2 * tumourRadii.max() }

        init(type: Int, seed: UInt64, noiseSD: PhaseHU, liver: PhaseHU, muscle: PhaseHU, aorta: PhaseHU, ivc: PhaseHU,
             spleen: PhaseHU, kidney: PhaseHU, portalVein: PhaseHU, hepaticVein: PhaseHU, vessels: [Vessel],
             tumourCentre: SIMD3<Double>, tumourRadii: SIMD3<Double>, tumourAxes: Matrix3, lobes: [Lobe],
             tumour: PhaseHU, necrosis: PhaseHU, blobs: [Blob]) {
            self.type = type; self.seed = seed; self.noiseSD = noiseSD; self.liver = liver; self.muscle = muscle
            self.aorta = aorta; self.ivc = ivc; self.spleen = spleen; self.kidney = kidney; self.portalVein = portalVein
            self.hepaticVein = hepaticVein; self.vessels = vessels; self.tumourCentre = tumourCentre
            self.tumourRadii = tumourRadii; self.tumourAxes = tumourAxes; self.lobes = lobes; self.tumour = tumour
            self.necrosis = necrosis; self.blobs = blobs
        }
    }

    /// One generated case: the phases (HU) on their grids, the tumour and liver masks on the mask grid.
    public struct Case: Sendable {
        public var parameters: Parameters
        public var images: [CasePhase: Volume<Int16>]
        public var tumour: Mask
        public var liver: Mask
    }

    // MARK: - Drawing parameters

    /// Draws a case of vascularization `type` (1-4). `noise` is the range of the noise SD (HU).
    public static func parameters(type: Int, seed: UInt64, noise: ClosedRange<Double> = 8...25,
                                  diameter: ClosedRange<Double> = 15...90) -> Parameters {
        precondition((1...4).contains(type), "vascularization type is 1-4")
        var r = SeededRandom(seed: seed &* 0x9E37_79B9 &+ UInt64(type))
        func u(_ range: ClosedRange<Double>) -> Double { range.lowerBound + (range.upperBound - range.lowerBound) * r.uniform() }
        func unit() -> SIMD3<Double> {
            while true {
                let v = SIMD3<Double>(u(-1...1), u(-1...1), u(-1...1))
                let l = length(v)
                if l > 0.1 && l <= 1 { return v / l }
            }
        }
        let sd = u(noise)
        let noiseSD = PhaseHU(sd * u(0.85...1.15), sd * u(0.85...1.15), sd * u(0.85...1.15))
        // Contrast timing and dose vary between patients: one factor scales every enhancement.
        let dose = u(0.75...1.25)
        let liverPre = u(45...65)
        let liver = PhaseHU(liverPre, liverPre + dose * u(8...30), liverPre + dose * u(40...70))
        let musclePre = u(40...55)
        let muscle = PhaseHU(musclePre, musclePre + dose * u(5...15), musclePre + dose * u(10...25))
        let aorta = PhaseHU(u(35...50), u(35...50) + dose * u(190...360), u(35...50) + dose * u(100...150))
        let ivc = PhaseHU(u(35...50), u(60...100), u(130...180))
        let spleen = PhaseHU(u(40...55), u(90...140), u(110...140))
        let kidney = PhaseHU(u(30...40), u(150...250), u(150...200))
        let portalVein = PhaseHU(u(35...50), u(80...140), u(150...210))
        let hepaticVein = PhaseHU(u(35...50), u(45...75), u(130...180))

        // Tumour size and place: inside the liver, its centre far enough from the liver's surface.
        let diameterMM = u(diameter)
        let base = diameterMM / 2
        let axesRatio = SIMD3<Double>(1, u(0.75...1), u(0.7...1))
        var radii = base * axesRatio
        radii = radii * (base / radii.max())
        let liverCentre = SIMD3<Double>(-60, 0, 0), liverRadii = SIMD3<Double>(80, 72, 100)
        let centre = liverCentre + unit() * u(0...1) * (liverRadii - base - 8)
        let a0 = unit()
        var a1 = unit()
        a1 = a1 - a0 * dot(a0, a1)
        a1 = a1 / max(length(a1), 1e-9)
        let axes = Matrix3(columns: a0, a1, cross(a0, a1))
        let lobes = (0..<Int(u(0...4.99))).map { _ in Lobe(direction: unit(), amplitude: u(-0.12...0.18), sharpness: u(2...6)) }

        // Vessels: portal branches from the hilum, hepatic veins towards the IVC; random courses and calibres.
        let hilum = SIMD3<Double>(-35, 15, -15)
        var vessels: [Vessel] = []
        for _ in 0..<Int(u(4...8.99)) {
            let end = liverCentre + unit() * u(0.4...0.9) * liverRadii
            vessels.append(Vessel(a: hilum, b: end, radius: u(2...6.5), portal: true))
        }
        let ivcTop = SIMD3<Double>(-20, 30, 70)
        for _ in 0..<Int(u(2...4.99)) {
            let end = liverCentre + unit() * u(0.4...0.9) * liverRadii
            vessels.append(Vessel(a: ivcTop, b: end, radius: u(2.5...6), portal: false))
        }

        let lp = liver
        var tumour: PhaseHU
        var necrosis = PhaseHU(u(10...35), 0, 0)
        necrosis.arterial = necrosis.precontrast + u(0...8)
        necrosis.portal = necrosis.precontrast + u(0...10)
        var blobs: [Blob] = []
        func makeBlobs(count: ClosedRange<Double>, amplitude: ClosedRange<Double>) -> [Blob] {
            (0..<Int(u(count))).map { _ in
                let a = u(amplitude) * (r.uniform() < 0.5 ? -1 : 1)
                return Blob(centre: centre + unit() * u(0...0.8) * base, width: base * u(0.2...0.45),
                            amplitude: PhaseHU(a * 0.2, a, a * 0.6))
            }
        }
        let pre = lp.precontrast - u(0...15)
        switch type {
        case 1:
            tumour = PhaseHU(pre, lp.arterial + u(-35...8), lp.portal - u(5...35))
            blobs = makeBlobs(count: 0...3.99, amplitude: 0...5)
        case 2:
            tumour = PhaseHU(pre, lp.arterial + dose * u(22...90), lp.portal - u(-5...40))
            blobs = makeBlobs(count: 0...3.99, amplitude: 0...6)
        case 3:
            tumour = PhaseHU(pre, lp.arterial + u(-5...45), lp.portal - u(0...30))
            blobs = makeBlobs(count: 4...9.99, amplitude: 15...40)
        default:
            tumour = PhaseHU(pre, lp.arterial + dose * u(35...100), lp.portal + u(-10...30))
            blobs = makeBlobs(count: 0...3.99, amplitude: 0...6)
        }
        var p = Parameters(type: type, seed: seed, noiseSD: noiseSD, liver: liver, muscle: muscle, aorta: aorta,
                           ivc: ivc, spleen: spleen, kidney: kidney, portalVein: portalVein, hepaticVein: hepaticVein,
                           vessels: vessels, tumourCentre: centre, tumourRadii: radii, tumourAxes: axes, lobes: lobes,
                           tumour: tumour, necrosis: necrosis, blobs: blobs)
        if type == 3 {
            p.septumThickness = u(1.5...3.5)
            let extra = dose * u(60...120)
            p.septum = PhaseHU(0, extra, extra * u(0.3...0.6))
            p.septa = (0..<Int(u(2...6.99))).map { _ in (unit(), u(-0.45...0.45) * base) }
            p.necroticPatches = (0..<Int(u(0...2.99))).map { _ in (centre + unit() * u(0...0.5) * base, base * u(0.15...0.3)) }
        }
        if type == 4 {
            p.rimThickness = min(u(2.5...7.5), 0.45 * radii.min())
            p.rimLobes = (0..<Int(u(2...5.99))).map { _ in Lobe(direction: unit(), amplitude: u(-0.6...0.9), sharpness: u(2...5)) }
            p.rim = tumour
            // The core is necrotic, with a little residual enhancement in some.
            p.necrosis.arterial += u(0...10)
        }
        return p
    }

    // MARK: - HU at a point

    /// Tumour geometry at a point: normalised radius (<= 1 inside) and the tumour's radius in that direction (mm).
    @inline(__always)
    static func tumourCoordinates(_ p: SIMD3<Double>, _ t: Parameters) -> (rho: Double, radius: Double, direction: SIMD3<Double>) {
        let d = p - t.tumourCentre
        let local = t.tumourAxes.transpose * d
        let q = local / t.tumourRadii
        let lq = length(q)
        guard lq > 1e-9 else { return (0, t.tumourRadii.min(), SIMD3(1, 0, 0)) }
        let dir = q / lq
        let worldDir = t.tumourAxes * (dir * t.tumourRadii)
        let directionMM = length(worldDir)
        let unitWorld = worldDir / directionMM
        let scale = 1 + lobulation(unitWorld, t.lobes)
        return (lq / scale, directionMM * scale, unitWorld)
    }

    @inline(__always)
    static func lobulation(_ dir: SIMD3<Double>, _ lobes: [Lobe]) -> Double {
        var s = 0.0
        for l in lobes {
            let c = dot(dir, l.direction)
            s += l.amplitude * exp(l.sharpness * (c - 1))
        }
        return s
    }

    @inline(__always)
    static func smoothstep(_ x: Double) -> Double {
        let t = max(0, min(1, x))
        return t * t * (3 - 2 * t)
    }

    /// Whether a point is in the tumour (and with it the tumour mask).
    public static func inTumour(_ p: SIMD3<Double>, _ t: Parameters) -> Bool {
        length(p - t.tumourCentre) <= t.tumourReach && tumourCoordinates(p, t).rho <= 1
    }

    static func ellipsoid(_ p: SIMD3<Double>, _ c: SIMD3<Double>, _ r: SIMD3<Double>) -> Double {
        let d = (p - c) / r
        return (d * d).sum()
    }

    /// Whether a point is in the liver (the organ's envelope, with its vessels and the tumour).
    public static func inLiver(_ p: SIMD3<Double>, _ t: Parameters) -> Bool {
        ellipsoid(p, t.liverCentre, t.liverRadii) <= 1
    }

    /// HU without noise at a patient position in a phase.
    public static func hounsfield(at p: SIMD3<Double>, phase: CasePhase, _ t: Parameters) -> Double {
        let body = ellipsoid(SIMD3(p.x, p.y, 0), .zero, SIMD3(165, 120, 1))
        if body > 1 { return -1000 }
        var hu = body > 0.82 ? -100.0 : t.muscle[phase]
        // Spine: cortical shell and cancellous bone, no enhancement.
        let spine = ellipsoid(SIMD3(p.x, p.y, 0), SIMD3(0, 75, 0), SIMD3(19, 17, 1))
        if spine <= 1 { return spine > 0.7 ? 700 : 220 }
        if ellipsoid(SIMD3(p.x, p.y, 0), SIMD3(22, 45, 0), SIMD3(12, 12, 1)) <= 1 { return t.aorta[phase] }
        if ellipsoid(p, SIMD3(85, 35, 30), SIMD3(35, 45, 70)) <= 1 { hu = t.spleen[phase] }
        if ellipsoid(p, SIMD3(-75, 65, -95), SIMD3(30, 30, 55)) <= 1 { hu = t.kidney[phase] }
        if ellipsoid(SIMD3(p.x, p.y, 0), SIMD3(-22, 40, 0), SIMD3(12, 10, 1)) <= 1 { return t.ivc[phase] }
        guard inLiver(p, t) else { return hu }
        // The tumour lies within its bounding sphere (largest semi-axis times the largest lobe).
        if length(p - t.tumourCentre) <= t.tumourReach {
            let tc = tumourCoordinates(p, t)
            if tc.rho <= 1 { return tumourHU(p, phase, t, tc) }
        }
        hu = t.liver[phase]
        for v in t.vessels {
            guard p.x >= v.lower.x, p.y >= v.lower.y, p.z >= v.lower.z, p.x <= v.upper.x, p.y <= v.upper.y, p.z <= v.upper.z
            else { continue }
            let ab = v.b - v.a
            let s = max(0, min(1, dot(p - v.a, ab) / dot(ab, ab)))
            let d = length(p - (v.a + s * ab))
            // Branches taper towards their ends.
            let radius = v.radius * (1 - 0.5 * s)
            if d <= radius { hu = v.portal ? t.portalVein[phase] : t.hepaticVein[phase]; break }
        }
        return hu
    }

    static func tumourHU(_ p: SIMD3<Double>, _ phase: CasePhase, _ t: Parameters,
                         _ tc: (rho: Double, radius: Double, direction: SIMD3<Double>)) -> Double {
        var hu = t.tumour[phase]
        for b in t.blobs {
            let d = length(p - b.centre) / b.width
            hu += b.amplitude[phase] * exp(-0.5 * d * d)
        }
        switch t.type {
        case 3:
            for s in t.septa {
                let d = abs(dot(p - t.tumourCentre, s.normal) - s.offset)
                // A sheet with a soft profile (Gaussian of FWHM = thickness).
                let sigma = t.septumThickness / 2.355
                hu += t.septum[phase] * exp(-0.5 * d * d / (sigma * sigma))
            }
            for n in t.necroticPatches {
                let w = smoothstep((n.radius - length(p - n.centre)) / 1.5)
                hu = hu * (1 - w) + t.necrosis[phase] * w
            }
        case 4:
            let depth = (1 - tc.rho) * tc.radius
            let thickness = max(1.2, t.rimThickness * (1 + lobulation(tc.direction, t.rimLobes)))
            // Viable rim from the surface to `thickness`, necrotic core inside, 1.5 mm transition.
            let w = smoothstep((depth - thickness) / 1.5 + 0.5)
            hu = hu * (1 - w) + (t.necrosis[phase] + (hu - t.tumour[phase]) * 0.3) * w
        default:
            break
        }
        return hu
    }

    // MARK: - Volumes

    /// An axial grid of the given spacing covering the body in x and y and the tumour's extent plus `margin`
    /// mm in z, shifted by `shift` mm.
    public static func grid(for t: Parameters, spacing: SIMD3<Double>, margin: Double = 25,
                            shift: SIMD3<Double> = .zero) -> ImageGeometry {
        let halfZ = t.tumourRadii.max() * 1.25 + margin
        let size = SIMD3<Int>(Int((340 / spacing.x).rounded(.up)), Int((250 / spacing.y).rounded(.up)),
                              Int((2 * halfZ / spacing.z).rounded(.up)) + 1)
        let extent = SIMD3<Double>(size &- 1) * spacing
        let origin = SIMD3<Double>(-extent.x / 2, -extent.y / 2, t.tumourCentre.z - extent.z / 2) + shift
        return ImageGeometry(size: size, spacing: spacing, origin: origin, direction: .identity)
    }

    /// Renders the phases on their grids (`grids`; a phase not listed is not made) and the masks on `maskGrid`.
    public static func makeCase(_ t: Parameters, grids: [CasePhase: ImageGeometry], maskGrid: ImageGeometry) -> Case {
        var images: [CasePhase: Volume<Int16>] = [:]
        for (phase, g) in grids.sorted(by: { $0.key < $1.key }) {
            images[phase] = render(t, phase: phase, grid: g)
        }
        var tumour = Mask(geometry: maskGrid, repeating: 0), liver = Mask(geometry: maskGrid, repeating: 0)
        let n = maskGrid.size
        let plane = n.x * n.y
        tumour.voxels.withUnsafeMutableBufferPointer { tb in
            liver.voxels.withUnsafeMutableBufferPointer { lb in
                let tp = UnsafeSendable(tb.baseAddress!), lpp = UnsafeSendable(lb.baseAddress!)
                parallelFor(n.z) { k in
                    for j in 0..<n.y {
                        for i in 0..<n.x {
                            let p = maskGrid.physicalPoint(index: SIMD3(Double(i), Double(j), Double(k)))
                            let index = i + n.x * j + plane * k
                            if inLiver(p, t) {
                                lpp.value[index] = 1
                                if inTumour(p, t) { tp.value[index] = 1 }
                            }
                        }
                    }
                }
            }
        }
        return Case(parameters: t, images: images, tumour: tumour, liver: liver)
    }

    /// One phase on a grid: sub-samples 2.5 mm apart through each slice's thickness (partial volume), then noise.
    public static func render(_ t: Parameters, phase: CasePhase, grid g: ImageGeometry) -> Volume<Int16> {
        var out = Volume<Int16>(geometry: g, repeating: 0)
        let n = g.size, plane = n.x * n.y
        let sub = max(1, Int((g.spacing.z / 2.5).rounded(.up)))
        let sd = t.noiseSD[phase]
        let phaseSeed = UInt64(CasePhase.allCases.firstIndex(of: phase)!)
        out.voxels.withUnsafeMutableBufferPointer { buffer in
            let dst = UnsafeSendable(buffer.baseAddress!)
            parallelFor(n.z) { k in
                var rng = SeededRandom(seed: t.seed &* 1_000_003 &+ phaseSeed &* 7919 &+ UInt64(k))
                for j in 0..<n.y {
                    for i in 0..<n.x {
                        var sum = 0.0
                        for s in 0..<sub {
                            let dz = sub == 1 ? 0 : (Double(s) + 0.5) / Double(sub) - 0.5
                            let p = g.physicalPoint(index: SIMD3(Double(i), Double(j), Double(k) + dz))
                            sum += hounsfield(at: p, phase: phase, t)
                        }
                        var hu = sum / Double(sub)
                        if hu > -1000 { hu += sd * rng.normal() }
                        dst.value[i + n.x * j + plane * k] = Int16(max(-1024, min(3071, hu.rounded())))
                    }
                }
            }
        }
        return out
    }

    // MARK: - Files

    /// Writes a case as DICOM: one series per phase under `directory/<phase>/`, the tumour as a SEG
    /// (`tumour-seg.dcm`) and the liver as a SEG (`liver-seg.dcm`) referencing the arterial series.
    public static func writeDICOM(_ c: Case, caseID: String, to directory: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var arterialSlices: [WrittenSlice] = []
        var identity = DicomStudyIdentity(caseID: caseID, seriesDescription: "arterial")
        for (phase, image) in c.images.sorted(by: { $0.key < $1.key }) {
            identity = DicomStudyIdentity(caseID: caseID, seriesDescription: phase.rawValue)
            let slices = try DicomSeriesWriter.write(image, to: (directory as NSString).appendingPathComponent(phase.rawValue),
                                                     identity: identity)
            if phase == .arterial { arterialSlices = slices }
        }
        identity = DicomStudyIdentity(caseID: caseID, seriesDescription: "arterial")
        try DicomSEGWriter.write(mask: c.tumour, segmentLabel: "Tumour", referencing: arterialSlices, identity: identity,
                                 to: (directory as NSString).appendingPathComponent("tumour-seg.dcm"))
        try DicomSEGWriter.write(mask: c.liver, segmentLabel: "Liver", referencing: arterialSlices, identity: identity,
                                 to: (directory as NSString).appendingPathComponent("liver-seg.dcm"))
    }

    /// Writes a case as NIfTI: `<phase>.nii.gz` per phase, `tumour.nii.gz` and `liver.nii.gz`.
    public static func writeNIfTI(_ c: Case, to directory: String, compressed: Bool = true) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let ext = compressed ? "nii.gz" : "nii"
        for (phase, image) in c.images {
            try Nifti.write(image, to: (directory as NSString).appendingPathComponent("\(phase.rawValue).\(ext)"))
        }
        try Nifti.write(c.tumour, to: (directory as NSString).appendingPathComponent("tumour.\(ext)"))
        try Nifti.write(c.liver, to: (directory as NSString).appendingPathComponent("liver.\(ext)"))
    }

    /// The README's multiphase samples: `hcc-type1` ... `hcc-type4` under `directory`, each a DICOM series per
    /// phase (`precontrast/`, `arterial/`, `portal/`, 3 x 3 x 5 mm) with `tumour-seg.dcm` and `liver-seg.dcm`, and
    /// `vasc-manifest.csv` listing them.
    public static func writeSamples(to directory: String) throws {
        // Seeds chosen so each sample shows its type plainly (an average case, not a borderline one).
        let seeds: [Int: UInt64] = [1: 3, 2: 5, 3: 2, 4: 4]
        var manifest = ["case_id,image,mask,portal,precontrast,liver_mask"]
        for type in 1...4 {
            let name = "hcc-type\(type)"
            manifest.append("\(name),\(name)/arterial,\(name)/tumour-seg.dcm,\(name)/portal,\(name)/precontrast,\(name)/liver-seg.dcm")
            let p = parameters(type: type, seed: seeds[type]!, noise: 12...12, diameter: 38...46)
            let g = grid(for: p, spacing: SIMD3(3, 3, 5), margin: 15)
            let c = makeCase(p, grids: [.precontrast: g, .arterial: g, .portal: g], maskGrid: g)
            let dir = (directory as NSString).appendingPathComponent("hcc-type\(type)")
            try? FileManager.default.removeItem(atPath: dir)
            try writeDICOM(c, caseID: "hcc-type\(type)", to: dir)
        }
        try (manifest.joined(separator: "\n") + "\n").write(toFile: (directory as NSString).appendingPathComponent("vasc-manifest.csv"),
                                                            atomically: true, encoding: .utf8)
    }
}
