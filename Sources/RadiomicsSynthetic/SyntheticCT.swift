import Foundation
import RadiomicsCore
import RadiomicsIO

/// A synthetic contrast-enhanced abdominal CT with a liver tumour: the volume (HU), the tumour as a voxel
/// mask, and the tumour's outline as closed planar contours per slice (as an RTSTRUCT stores it).
public struct SyntheticCase: Sendable {
    public var image: Volume<Int16>
    public var tumour: Mask
    public var tumourContours: [[SIMD3<Double>]]
}

/// Builds CT-like cases: air, a body of fat and soft tissue, a spine, a liver on the patient's right and a
/// rim-enhancing tumour inside it, with Gaussian noise. Everything is placed in patient coordinates (LPS mm),
/// so any grid (size, spacing, orientation) sees the same anatomy.
public enum SyntheticCT {

    public struct Anatomy: Sendable {
        public var tumourCentre = SIMD3<Double>(-60, 10, 0)
        public var tumourRadii = SIMD3<Double>(22, 18, 20)
        public var tumourRimHU = 150.0
        public var tumourCoreHU = 45.0
        public var liverHU = 95.0
        public var noiseSD = 12.0
        public init() {}
    }

    /// HU at a patient position (without noise).
    public static func hounsfield(at p: SIMD3<Double>, anatomy a: Anatomy) -> Double {
        func inside(_ c: SIMD3<Double>, _ r: SIMD3<Double>) -> Double {
            let d = (p - c) / r
            return (d * d).sum()
        }
        let body = inside([0, 0, p.z], [160, 115, 1e9])
        if body > 1 { return -1000 }
        var hu = body > 0.85 ? -100.0 : 40.0 // subcutaneous fat, then soft tissue
        if inside([-60, 0, 0], [75, 70, 110]) <= 1 { hu = a.liverHU } // liver, on the patient's right
        if inside([0, 70, p.z], [18, 18, 1e9]) <= 1 { hu = 450 } // vertebral body
        if inside([25, 40, p.z], [11, 11, 1e9]) <= 1 { hu = 170 } // aorta, enhanced, left of the spine
        let t = inside(a.tumourCentre, a.tumourRadii)
        if t <= 1 { hu = t > 0.55 ? a.tumourRimHU : a.tumourCoreHU } // enhancing rim, hypo-enhancing centre
        return hu
    }

    /// A case on `geometry` with the given anatomy and noise seed.
    public static func makeCase(geometry g: ImageGeometry, anatomy a: Anatomy = Anatomy(), seed: UInt64 = 1) -> SyntheticCase {
        var rng = SeededRandom(seed: seed)
        var image = Volume<Int16>(geometry: g, repeating: 0)
        var tumour = Mask(geometry: g, repeating: 0)
        let n = g.size
        var index = 0
        for k in 0..<n.z {
            for j in 0..<n.y {
                for i in 0..<n.x {
                    let p = g.physicalPoint(index: SIMD3(Double(i), Double(j), Double(k)))
                    var hu = hounsfield(at: p, anatomy: a)
                    if hu > -1000 { hu += a.noiseSD * rng.normal() }
                    image.voxels[index] = Int16(max(-1024, min(3071, hu.rounded())))
                    let d = (p - a.tumourCentre) / a.tumourRadii
                    if (d * d).sum() <= 1 { tumour.voxels[index] = 1 }
                    index += 1
                }
            }
        }
        return SyntheticCase(image: image, tumour: tumour, tumourContours: contours(geometry: g, anatomy: a))
    }

    /// The tumour ellipsoid's outline in each slice plane it crosses, 72 points per contour (axial grids).
    public static func contours(geometry g: ImageGeometry, anatomy a: Anatomy) -> [[SIMD3<Double>]] {
        var out: [[SIMD3<Double>]] = []
        for k in 0..<g.size.z {
            let z = g.physicalPoint(index: SIMD3(0, 0, Double(k))).z
            let dz = (z - a.tumourCentre.z) / a.tumourRadii.z
            guard abs(dz) < 1 else { continue }
            let scale = (1 - dz * dz).squareRoot()
            out.append((0..<72).map { s in
                let t = Double(s) / 72 * 2 * .pi
                return SIMD3(a.tumourCentre.x + a.tumourRadii.x * scale * cos(t),
                             a.tumourCentre.y + a.tumourRadii.y * scale * sin(t), z)
            })
        }
        return out
    }

    /// An axial grid centred on the patient origin.
    public static func axialGrid(size: SIMD3<Int>, spacing: SIMD3<Double>) -> ImageGeometry {
        let extent = SIMD3<Double>(size &- 1) * spacing
        return ImageGeometry(size: size, spacing: spacing, origin: -extent / 2 + SIMD3(0, 0, 0), direction: .identity)
    }

    /// Writes the README's sample cases into `directory`:
    /// - `case-001/ct/` a DICOM CT series, with `case-001/tumour-rtstruct.dcm` (ROI "Tumour") and
    ///   `case-001/tumour-seg.dcm` (segment 1);
    /// - `case-002/image.nii.gz` and `case-002/tumour.nii.gz`, a NIfTI image stored in RAS order with its label;
    /// - `hcc-type1` ... `hcc-type4`, three-phase DICOM cases (see `SyntheticMultiphase.writeSamples`);
    /// - `manifest.csv` listing the six cases for `radiomics batch`, and `clinical.csv` with made-up baseline values.
    public static func writeSampleScans(to directory: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)

        // Case 1: DICOM series + RTSTRUCT + SEG.
        let g1 = axialGrid(size: [160, 128, 36], spacing: [2.2, 2.0, 2.5])
        let c1 = makeCase(geometry: g1, seed: 1)
        let dir1 = (directory as NSString).appendingPathComponent("case-001")
        let ctDir = (dir1 as NSString).appendingPathComponent("ct")
        try? fm.removeItem(atPath: dir1)
        let identity = DicomStudyIdentity(caseID: "case-001", seriesDescription: "synthetic arterial phase")
        // Files numbered from the top slice down, as some scanners do: the reader must order by position.
        let slices = try DicomSeriesWriter.write(c1.image, to: ctDir, identity: identity,
                                                 fileName: { String(format: "IM%04d.dcm", g1.size.z - $0) })
        try RTStructWriter.write(roiName: "Tumour", contours: c1.tumourContours, referencing: slices,
                                 identity: identity, to: (dir1 as NSString).appendingPathComponent("tumour-rtstruct.dcm"))
        try DicomSEGWriter.write(mask: c1.tumour, segmentLabel: "Tumour", referencing: slices, identity: identity,
                                 to: (dir1 as NSString).appendingPathComponent("tumour-seg.dcm"))

        // Case 2: NIfTI image in RAS storage order (x and y axes reversed relative to DICOM) + label image.
        var anatomy = Anatomy()
        anatomy.tumourCentre = [-45, -5, 10]
        anatomy.tumourRadii = [14, 16, 12]
        let size2 = SIMD3<Int>(150, 120, 30)
        let spacing2 = SIMD3<Double>(2.3, 2.1, 3.0)
        let extent = SIMD3<Double>(size2 &- 1) * spacing2
        let g2 = ImageGeometry(size: size2, spacing: spacing2, origin: SIMD3(extent.x / 2, extent.y / 2, -extent.z / 2),
                               direction: .diagonal([-1, -1, 1]))
        let c2 = makeCase(geometry: g2, anatomy: anatomy, seed: 2)
        let dir2 = (directory as NSString).appendingPathComponent("case-002")
        try? fm.removeItem(atPath: dir2)
        try fm.createDirectory(atPath: dir2, withIntermediateDirectories: true)
        try Nifti.write(c2.image, to: (dir2 as NSString).appendingPathComponent("image.nii.gz"))
        try Nifti.write(c2.tumour, to: (dir2 as NSString).appendingPathComponent("tumour.nii.gz"))

        // Three-phase cases, one per vascularization type.
        try SyntheticMultiphase.writeSamples(to: directory)

        // The batch run's inputs: every case, and made-up baseline values for p-TACE (the three-phase cases
        // leave type and size empty: the batch measures them).
        let manifest = """
            case_id,image,mask,portal,precontrast,liver_mask,roi
            case-001,case-001/ct,case-001/tumour-seg.dcm,,,,
            case-002,case-002/image.nii.gz,case-002/tumour.nii.gz,,,,
            hcc-type1,hcc-type1/arterial,hcc-type1/tumour-seg.dcm,hcc-type1/portal,hcc-type1/precontrast,hcc-type1/liver-seg.dcm,
            hcc-type2,hcc-type2/arterial,hcc-type2/tumour-seg.dcm,hcc-type2/portal,hcc-type2/precontrast,hcc-type2/liver-seg.dcm,
            hcc-type3,hcc-type3/arterial,hcc-type3/tumour-seg.dcm,hcc-type3/portal,hcc-type3/precontrast,hcc-type3/liver-seg.dcm,
            hcc-type4,hcc-type4/arterial,hcc-type4/tumour-seg.dcm,hcc-type4/portal,hcc-type4/precontrast,hcc-type4/liver-seg.dcm,

            """
        let clinical = """
            case_id,vascularization_type,afp,ggt,albumin,bilirubin,tumor_size_cm
            case-001,2,35,48,41,12,3.9
            case-002,3,620,95,36,19,4.6
            hcc-type1,,8,35,43,9,
            hcc-type2,,150,70,38,15,
            hcc-type3,,2400,140,33,24,
            hcc-type4,,9800,210,29,31,

            """
        try manifest.write(toFile: (directory as NSString).appendingPathComponent("manifest.csv"), atomically: true, encoding: .utf8)
        try clinical.write(toFile: (directory as NSString).appendingPathComponent("clinical.csv"), atomically: true, encoding: .utf8)
    }
}
