import Foundation
import RadiomicsCore
import RadiomicsFeatures
import RadiomicsIO
import Testing
import TestSupport

/// A small DiscretisedROI from rows of grey levels (0 = outside), slices listed in k order, rows in j order.
func zoneTestROI(_ slices: [[[Int32]]], levelCount: Int) -> DiscretisedROI {
    let nz = slices.count, ny = slices[0].count, nx = slices[0][0].count
    let levels = slices.flatMap { $0.flatMap { $0 } }
    return DiscretisedROI(size: SIMD3(nx, ny, nz), spacing: SIMD3(1, 1, 1), levels: levels, levelCount: levelCount)
}

/// The references of `dimension` (tag suffix).
func zoneFamilyReference(_ all: [String: IBSIReference], dimension: TextureDimension) -> [String: IBSIReference] {
    all.filter { $0.key.hasSuffix("_\(dimension.rawValue)") }
}

func featureDictionary(_ features: [FeatureValue]) -> [String: Double] {
    Dictionary(features.map { ($0.tag, $0.value) }, uniquingKeysWith: { a, _ in a })
}

/// IBSI CT phantom (PAT1, GTV-1), configuration A: no interpolation, re-segmentation [-500, 400] HU,
/// FBS width 25 from -500, texture per slice (2D) or merged per slice (2.5D).
enum ZoneFamiliesConfigA {
    static let available = SharedData.exists("data/ibsi/ct_radiomics_phantom/nifti/image/phantom.nii.gz")

    /// Loaded once for all the zone-family tests (nil when loading fails; `load()` reports why).
    static let cached: Case? = try? load()

    struct Case: Sendable {
        var roi: DiscretisedROI
        /// Morphological (unresegmented) mask on the same box as `roi.levels`.
        var morphologicalMask: [UInt8]
    }

    /// Levels on the intensity mask's bounding box (`box: .intensity`) or on the morphological mask's
    /// (`.morphological`, a superset, so the distance map sees the whole morphological mask).
    enum Box { case intensity, morphological }

    static func load(box: Box = .intensity, levelCount: Int = 37) throws -> Case {
        let image = try Nifti.read(path: SharedData.path("data/ibsi/ct_radiomics_phantom/nifti/image/phantom.nii.gz"))
        let (mask, _) = try MaskReader.read(path: SharedData.path("data/ibsi/ct_radiomics_phantom/nifti/mask/mask.nii.gz"),
                                            onto: image.geometry)
        let g = image.geometry
        let all = image.cropped(to: BoundingBox(size: g.size)).voxels.map { Double(Float($0)).rounded() }
        var intensity = mask
        for v in intensity.voxels.indices {
            intensity.voxels[v] = (mask.voxels[v] != 0 && all[v] >= -500 && all[v] <= 400) ? 1 : 0
        }
        let chosen = (box == .intensity ? intensity.boundingBox : mask.boundingBox)!
        let sub = chosen.size
        var levels = [Int32](repeating: 0, count: sub.x * sub.y * sub.z)
        var morph = [UInt8](repeating: 0, count: levels.count)
        var n = 0
        for k in chosen.lower.z...chosen.upper.z {
            for j in chosen.lower.y...chosen.upper.y {
                for i in chosen.lower.x...chosen.upper.x {
                    let v = g.linearIndex(i, j, k)
                    if intensity.voxels[v] != 0 { levels[n] = Int32(((all[v] + 500) / 25).rounded(.down)) + 1 }
                    morph[n] = mask.voxels[v]
                    n += 1
                }
            }
        }
        return Case(roi: DiscretisedROI(size: sub, spacing: g.spacing, levels: levels, levelCount: levelCount),
                    morphologicalMask: morph)
    }

    static func reference() throws -> [String: IBSIReference] { try ibsiReference("ibsi_1_chest_config_a.csv") }
}

@Suite struct GLSZMUnitTests {
    /// 4 x 4 x 1:   1 1 2 2 / 1 3 3 2 / 4 3 1 1 / 4 4 1 2 (rows j = 0...3).
    /// 8-connected zones: level 1 sizes 3, 3; level 2 sizes 3, 1; level 3 size 3; level 4 size 3.
    static let image = zoneTestROI([[[1, 1, 2, 2], [1, 3, 3, 2], [4, 3, 1, 1], [4, 4, 1, 2]]], levelCount: 4)

    @Test func handWorkedZones2D() {
        let f = featureDictionary(GLSZM.compute(Self.image, dimension: .twoD))
        #expect(f.count == 16)
        #expect(abs(f["szm_sze_2D"]! - (5.0 / 9 + 1) / 6) < 1e-12)
        #expect(abs(f["szm_lze_2D"]! - 46.0 / 6) < 1e-12)
        #expect(abs(f["szm_lgze_2D"]! - (2 + 2.0 / 4 + 1.0 / 9 + 1.0 / 16) / 6) < 1e-12)
        #expect(abs(f["szm_glnu_2D"]! - 10.0 / 6) < 1e-12)
        #expect(abs(f["szm_glnu_norm_2D"]! - 10.0 / 36) < 1e-12)
        #expect(abs(f["szm_zsnu_2D"]! - 26.0 / 6) < 1e-12)
        #expect(abs(f["szm_z_perc_2D"]! - 6.0 / 16) < 1e-12)
        #expect(abs(f["szm_zs_entr_2D"]! - (log2(3.0) / 3 + 2 * log2(6.0) / 3)) < 1e-12)
        // One slice: 2D, 2.5D and 3D agree.
        let f25 = featureDictionary(GLSZM.compute(Self.image, dimension: .twoAndHalfD))
        let f3 = featureDictionary(GLSZM.compute(Self.image, dimension: .threeD))
        for name in GLSZM.featureNames {
            #expect(abs(f["szm_\(name)_2D"]! - f25["szm_\(name)_2_5D"]!) < 1e-12)
            #expect(abs(f["szm_\(name)_2D"]! - f3["szm_\(name)_3D"]!) < 1e-12)
        }
    }

    /// 2 x 2 x 2 checkerboard of levels 1 and 2: in 3D (26-connectivity) one zone of 4 per level; per slice
    /// two diagonal zones of 2.
    @Test func checkerboardConnectivity() {
        let roi = zoneTestROI([[[1, 2], [2, 1]], [[2, 1], [1, 2]]], levelCount: 2)
        let f3 = featureDictionary(GLSZM.compute(roi, dimension: .threeD))
        #expect(abs(f3["szm_lze_3D"]! - 16) < 1e-12)
        #expect(abs(f3["szm_z_perc_3D"]! - 2.0 / 8) < 1e-12)
        let f2 = featureDictionary(GLSZM.compute(roi, dimension: .twoD))
        #expect(abs(f2["szm_sze_2D"]! - 0.25) < 1e-12)
        let f25 = featureDictionary(GLSZM.compute(roi, dimension: .twoAndHalfD))
        #expect(abs(f25["szm_zsnu_2_5D"]! - 4) < 1e-12)
        #expect(abs(f25["szm_z_perc_2_5D"]! - 0.5) < 1e-12)
    }

    /// A 100 x 100 x 100 block of one level (one zone of a million voxels): no recursion, sparse matrix.
    @Test func largeSingleZone() {
        let size = SIMD3(100, 100, 100)
        let roi = DiscretisedROI(size: size, spacing: SIMD3(1, 1, 1),
                                 levels: [Int32](repeating: 3, count: size.x * size.y * size.z), levelCount: 4)
        let f = featureDictionary(GLSZM.compute(roi, dimension: .threeD))
        #expect(f["szm_lze_3D"]! == 1e12)
        #expect(f["szm_zs_entr_3D"]! == 0)
    }
}

@Suite(.enabled(if: DigitalPhantom.available, DigitalPhantom.skipReason))
struct GLSZMTests {
    @Test(arguments: TextureDimension.allCases)
    func digitalPhantom(dimension: TextureDimension) throws {
        let (_, roi) = try DigitalPhantom.load()
        let reference = zoneFamilyReference(try DigitalPhantom.reference(), dimension: dimension)
        expectWithinTolerance(GLSZM.compute(roi, dimension: dimension), prefixes: ["szm_"], reference: reference)
    }

    @Test(.enabled(if: ZoneFamiliesConfigA.available), arguments: [TextureDimension.twoD, .twoAndHalfD])
    func ctPhantomConfigA(dimension: TextureDimension) throws {
        let c = try ZoneFamiliesConfigA.cached ?? ZoneFamiliesConfigA.load()
        let reference = zoneFamilyReference(try ZoneFamiliesConfigA.reference(), dimension: dimension)
        expectWithinTolerance(GLSZM.compute(c.roi, dimension: dimension), prefixes: ["szm_"], reference: reference)
    }
}
