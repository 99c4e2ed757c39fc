import Foundation
import RadiomicsCore
import RadiomicsFeatures
import RadiomicsIO
import Testing
import TestSupport

@Suite struct PyRadiomicsShapeTests {
    /// One voxel: the mesh is the octahedron of the 6 face centres (volume 1/6, area √3 for a unit voxel),
    /// scaled here by the spacing (2, 3, 4) mm.
    @Test func singleVoxel() throws {
        let roi = PyRadiomicsROI(size: SIMD3(1, 1, 1), spacing: SIMD3(2, 3, 4), image: [0], mask: [1])
        let f = Dictionary(uniqueKeysWithValues: PyRadiomicsShape.features(roi).map { ($0.name, $0.value) })
        // Octahedron with half-axes 1, 1.5, 2: volume 4/3 · 1 · 1.5 · 2; 8 faces with vertices (1,0,0),
        // (0,1.5,0), (0,0,2): area 8 · ½ |(-1, 1.5, 0) × (-1, 0, 2)| = 4 · |(3, 2, 1.5)|.
        let expected: [String: Double] = [
            "MeshVolume": 4.0 / 3.0 * 3, "SurfaceArea": 4 * (9 + 4 + 2.25).squareRoot(), "VoxelVolume": 24,
            "Maximum3DDiameter": 4, "Maximum2DDiameterSlice": 3, "Maximum2DDiameterColumn": 4,
            "Maximum2DDiameterRow": 4, "MajorAxisLength": 0, "LeastAxisLength": 0,
        ]
        for (name, value) in expected {
            let ours = try #require(f[name])
            #expect(abs(ours - value) <= 1e-12 * max(1, value), "\(name): ours \(ours), expected \(value)")
        }
    }

    /// The pruned diameter search (convex-hull vertices of each plane) gives exactly what PyRadiomics' search
    /// over all vertex pairs gives, on random blobs with holes and an anisotropic grid.
    @Test func diametersEqualAllPairsSearch() throws {
        var random = SeededRandom(seed: 7)
        for trial in 0..<12 {
            let grow = trial >= 9 ? 6 : 0 // the last trials larger, with many hull candidates per plane
            let size = SIMD3(3 + trial % 5 + grow, 4 + trial % 3 + grow, 2 + trial % 4 + grow / 2)
            let count = size.x * size.y * size.z
            let mask = (0..<count).map { _ in UInt8(random.uniform() < 0.55 ? 1 : 0) }
            guard mask.contains(1) else { continue }
            let spacing = SIMD3(0.7, 1.3, 2.9)
            let roi = PyRadiomicsROI(size: size, spacing: spacing, image: [Double](repeating: 0, count: count), mask: mask)
            let f = Dictionary(uniqueKeysWithValues: PyRadiomicsShape.features(roi).map { ($0.name, $0.value) })
            let brute = Self.allPairsDiameters(roi)
            #expect(f["Maximum3DDiameter"] == brute.all, "trial \(trial): 3D")
            #expect(f["Maximum2DDiameterSlice"] == brute.slice, "trial \(trial): slice")
            #expect(f["Maximum2DDiameterColumn"] == brute.column, "trial \(trial): column")
            #expect(f["Maximum2DDiameterRow"] == brute.row, "trial \(trial): row")
        }
    }

    /// cshape.c's diameters, literally: every mesh vertex (midpoint of an edge between a ROI and a background
    /// voxel of the padded grid) against every other.
    static func allPairsDiameters(_ roi: PyRadiomicsROI) -> (slice: Double, column: Double, row: Double, all: Double) {
        let n = roi.size &+ 2
        func inside(_ x: Int, _ y: Int, _ z: Int) -> Bool {
            x >= 1 && y >= 1 && z >= 1 && x <= roi.size.x && y <= roi.size.y && z <= roi.size.z
                && roi.mask[roi.index(x - 1, y - 1, z - 1)] != 0
        }
        var vertices: [SIMD3<Double>] = [] // (z, y, x) in mm
        for z in 0..<n.z {
            for y in 0..<n.y {
                for x in 0..<n.x {
                    let v = inside(x, y, z)
                    if x + 1 < n.x && inside(x + 1, y, z) != v { vertices.append(SIMD3(Double(z), Double(y), Double(x) + 0.5)) }
                    if y + 1 < n.y && inside(x, y + 1, z) != v { vertices.append(SIMD3(Double(z), Double(y) + 0.5, Double(x))) }
                    if z + 1 < n.z && inside(x, y, z + 1) != v { vertices.append(SIMD3(Double(z) + 0.5, Double(y), Double(x))) }
                }
            }
        }
        let s = SIMD3(roi.spacing.z, roi.spacing.y, roi.spacing.x)
        let p = vertices.map { $0 * s }
        var d = [0.0, 0.0, 0.0, 0.0]
        for i in p.indices {
            for j in 0..<i {
                let e = p[i] - p[j]
                let dist = e.x * e.x + e.y * e.y + e.z * e.z
                if p[i].x == p[j].x { d[0] = max(d[0], dist) }
                if p[i].y == p[j].y { d[1] = max(d[1], dist) }
                if p[i].z == p[j].z { d[2] = max(d[2], dist) }
                d[3] = max(d[3], dist)
            }
        }
        return (d[0].squareRoot(), d[1].squareRoot(), d[2].squareRoot(), d[3].squareRoot())
    }
}

@Suite struct PyRadiomicsShape2DTests {
    /// brain1 restricted to one plane: the image and label of PyRadiomics' brain1 case cropped (full in the
    /// other two axes) to the axial slice z = 16 (force2Ddimension 0) and to the sagittal plane x = 190
    /// (force2Ddimension 2; spacing 0.78125 × 6.5 mm in that plane), written with RadiomicsIO's `Nifti.write`
    /// to /tmp/pyr_shape/brain1_{axial16,sagittal190}_{image,label}.nii.gz. PyRadiomics 3.1 values from:
    ///
    ///     cd /tmp/pyr_shape && /tmp/pyrad/bin/python -c "
    ///     import radiomics
    ///     from radiomics.featureextractor import RadiomicsFeatureExtractor
    ///     for name, dim in (('axial16', 0), ('sagittal190', 2)):
    ///         e = RadiomicsFeatureExtractor(force2D=True, force2Ddimension=dim)
    ///         e.disableAllFeatures(); e.enableFeatureClassByName('shape2D')
    ///         r = e.execute('brain1_%s_image.nii.gz' % name, 'brain1_%s_label.nii.gz' % name)
    ///         print(name, dim, {k: repr(float(v)) for k, v in r.items() if k.startswith('original_')})
    ///     "
    static let reference: [(plane: BoundingBox, dimension: Int, values: [String: Double])] = [
        (BoundingBox(lower: SIMD3(0, 0, 16), upper: SIMD3(255, 255, 16)), 0, [
            "Elongation": 0.7026288930220496, "MajorAxisLength": 33.85279086841537,
            "MaximumDiameter": 35.57905480229906, "MeshSurface": 600.28076171875,
            "MinorAxisLength": 23.785948973581636, "Perimeter": 101.0913825153671,
            "PerimeterSurfaceRatio": 0.16840683387206656, "PixelSurface": 600.5859375,
            "Sphericity": 0.8591480496460207,
        ]),
        (BoundingBox(lower: SIMD3(190, 0, 0), upper: SIMD3(190, 255, 24)), 2, [
            "Elongation": 0.41782504151229094, "MajorAxisLength": 71.85108388455812,
            "MaximumDiameter": 65.88905951721044, "MeshSurface": 728.7109375,
            "MinorAxisLength": 30.021182106768595, "Perimeter": 206.5765401140137,
            "PerimeterSurfaceRatio": 0.28348214564024393, "PixelSurface": 731.25,
            "Sphericity": 0.4632352255046923,
        ]),
    ]

    @Test(.enabled(if: PyRadiomicsReference.available, "PyRadiomics reference data absent (../shared/data/pyradiomics)"))
    func matchesPyRadiomics() throws {
        let (image, mask) = try PyRadiomicsReference.load("brain1")
        var failures: [String] = [], compared = 0
        for (plane, dimension, values) in Self.reference {
            let roi = try #require(PyRadiomicsROI.cropped(image: image.cropped(to: plane), mask: mask.cropped(to: plane), label: 1))
            let ours = try PyRadiomicsShape2D.features(roi, force2Ddimension: dimension)
            #expect(ours.map(\.name) == PyRadiomicsShape2D.featureNames)
            #expect(Set(values.keys) == Set(PyRadiomicsShape2D.featureNames))
            for (feature, value) in ours {
                let ref = try #require(values[feature])
                compared += 1
                if !PyRadiomicsReference.agrees(value, ref) {
                    failures.append("\(feature) [force2Ddimension \(dimension)]: ours \(value), PyRadiomics \(ref)")
                }
            }
        }
        #expect(compared == 18)
        #expect(failures.isEmpty, "\(failures.count) mismatches:\n\(failures.joined(separator: "\n"))")
    }

    /// PyRadiomics refuses a ROI thicker than one voxel across force2Ddimension (ValueError); so do we.
    @Test func rejectsThickROI() {
        let roi = PyRadiomicsROI(size: SIMD3(3, 1, 2), spacing: SIMD3(1, 1, 1), image: [Double](repeating: 0, count: 6),
                                 mask: [UInt8](repeating: 1, count: 6))
        #expect(throws: RadiomicsError.self) { try PyRadiomicsShape2D.features(roi, force2Ddimension: 0) }
        #expect(throws: RadiomicsError.self) { try PyRadiomicsShape2D.features(roi, force2Ddimension: 2) }
        #expect(throws: RadiomicsError.self) { try PyRadiomicsShape2D.features(roi, force2Ddimension: 3) }
        #expect(throws: Never.self) { try PyRadiomicsShape2D.features(roi, force2Ddimension: 1) }
    }

    /// What must be thin is the ROI, not the box (PyRadiomics crops to the ROI first): a 2-slice box whose ROI
    /// lies in its second slice gives the features of that slice alone.
    @Test func thinROIInThickBox() throws {
        let slice: [UInt8] = [0, 1, 1, 1, 1, 0]
        let thin = PyRadiomicsROI(size: SIMD3(3, 2, 1), spacing: SIMD3(1, 2, 5), image: [Double](repeating: 0, count: 6),
                                  mask: slice)
        let thick = PyRadiomicsROI(size: SIMD3(3, 2, 2), spacing: SIMD3(1, 2, 5), image: [Double](repeating: 0, count: 12),
                                   mask: [UInt8](repeating: 0, count: 6) + slice)
        let a = try PyRadiomicsShape2D.features(thin, force2Ddimension: 0)
        let b = try PyRadiomicsShape2D.features(thick, force2Ddimension: 0)
        #expect(a.map(\.value) == b.map(\.value))
    }

    /// A 2 × 3 pixel rectangle (spacing 2 × 1 mm, axes y, x): the contour is the octagon through the edge
    /// midpoints of the boundary pixels, i.e. the rectangle minus four corner triangles of legs 1 and 0.5 mm.
    @Test func rectangle() throws {
        let roi = PyRadiomicsROI(size: SIMD3(3, 2, 1), spacing: SIMD3(1, 2, 5), image: [Double](repeating: 0, count: 6),
                                 mask: [UInt8](repeating: 1, count: 6))
        let f = Dictionary(uniqueKeysWithValues: try PyRadiomicsShape2D.features(roi, force2Ddimension: 0).map { ($0.name, $0.value) })
        // Rectangle 3 mm (x) by 4 mm (y); each corner cut is a triangle of legs 0.5 (x) and 1 (y).
        let expected: [String: Double] = [
            "MeshSurface": 12 - 4 * 0.25, "PixelSurface": 12,
            "Perimeter": 2 * 2 + 2 * 2 + 4 * (0.25 + 1.0).squareRoot(),
            // Opposite corner cuts, pixel units (y 0.5, x 1) to (y 2.5, x 3): 4 mm by 2 mm.
            "MaximumDiameter": (4.0 * 4 + 2 * 2).squareRoot(),
        ]
        for (name, value) in expected {
            let ours = try #require(f[name])
            #expect(abs(ours - value) <= 1e-12 * value, "\(name): ours \(ours), expected \(value)")
        }
    }
}
