import Foundation
import RadiomicsCore
import RadiomicsIO
import RadiomicsSynthetic
import Testing
import TestSupport

/// Series written by the project's own DICOM writer: round trips and the geometry errors a reader must catch.
@Suite struct SyntheticSeriesTests {
    static let grid = SyntheticCT.axialGrid(size: [48, 40, 12], spacing: [2, 2.5, 3])

    static func makeSeries(_ directory: String, grid: ImageGeometry = grid, description: String = "arterial",
                           caseID: String = "synthetic-1") throws -> (SyntheticCase, [WrittenSlice], DicomStudyIdentity) {
        var anatomy = SyntheticCT.Anatomy()
        anatomy.tumourCentre = [0, 0, 0]
        anatomy.tumourRadii = [20, 16, 10]
        let c = SyntheticCT.makeCase(geometry: grid, anatomy: anatomy, seed: 7)
        let identity = DicomStudyIdentity(caseID: caseID, seriesDescription: description)
        let slices = try DicomSeriesWriter.write(c.image, to: directory, identity: identity)
        return (c, slices, identity)
    }

    @Test func writtenSeriesReadsBackExactly() throws {
        let tmp = try TemporaryDirectory()
        let (c, _, identity) = try Self.makeSeries(tmp.path)
        let d = try DicomSeriesReader.read(path: tmp.path)
        #expect(d.image.geometry.isSameGrid(as: c.image.geometry, tolerance: 1e-6))
        #expect(d.seriesInstanceUID == identity.seriesInstanceUID)
        guard case .int16(let v) = d.image else { Issue.record("expected Int16 storage for CT"); return }
        #expect(v.voxels == c.image.voxels)
    }

    @Test func rtstructAndSegGiveTheTumour() throws {
        let tmp = try TemporaryDirectory()
        let series = tmp.file("ct")
        let (c, slices, identity) = try Self.makeSeries(series)
        try RTStructWriter.write(roiName: "Tumour", contours: c.tumourContours, referencing: slices,
                                 identity: identity, to: tmp.file("rs.dcm"))
        try DicomSEGWriter.write(mask: c.tumour, segmentLabel: "Tumour", referencing: slices, identity: identity,
                                 to: tmp.file("seg.dcm"))
        let d = try DicomSeriesReader.read(path: series)
        let (seg, segSource) = try MaskReader.read(path: tmp.file("seg.dcm"), onto: d.image.geometry,
                                                   frameOfReferenceUID: d.frameOfReferenceUID)
        #expect(seg.voxels == c.tumour.voxels)
        #expect(segSource.label == 1 && segSource.roiName == "Tumour" && segSource.warnings.isEmpty)
        let (rs, rsSource) = try MaskReader.read(path: tmp.file("rs.dcm"), onto: d.image.geometry, roi: "tumour",
                                                 frameOfReferenceUID: d.frameOfReferenceUID)
        #expect(rsSource.roiName == "Tumour")
        // Polygons of 72 points approximate the ellipse: the voxel sets agree but for a few boundary voxels.
        let differ = zip(rs.voxels, c.tumour.voxels).filter { $0 != $1 }.count
        #expect(c.tumour.regionVoxelCount > 300)
        #expect(Double(differ) < 0.03 * Double(c.tumour.regionVoxelCount))
    }

    @Test func twoSeriesInOneFolderAreListedAndChosen() throws {
        let tmp = try TemporaryDirectory()
        let (_, _, a) = try Self.makeSeries(tmp.file("a"), description: "arterial")
        let other = SyntheticCT.axialGrid(size: [40, 40, 8], spacing: [2, 2, 4])
        let (_, _, b) = try Self.makeSeries(tmp.file("b"), grid: other, description: "portal venous")
        do {
            _ = try DicomSeriesReader.read(path: tmp.path)
            Issue.record("two series must be refused")
        } catch let e as RadiomicsError {
            #expect(e.file == tmp.path)
            #expect(e.problem.contains("2 image series"))
            #expect(e.problem.contains(a.seriesInstanceUID) && e.problem.contains(b.seriesInstanceUID))
            #expect(e.problem.contains("portal venous"))
        }
        let chosen = try DicomSeriesReader.read(path: tmp.path, seriesUID: b.seriesInstanceUID)
        #expect(chosen.image.geometry.size == other.size)
        #expect(throws: RadiomicsError.self) { try DicomSeriesReader.read(path: tmp.path, seriesUID: "1.2.3") }
    }

    @Test func missingSliceIsAnError() throws {
        let tmp = try TemporaryDirectory()
        let (_, slices, _) = try Self.makeSeries(tmp.path)
        try FileManager.default.removeItem(atPath: slices[5].path)
        let e = try #require(throws: RadiomicsError.self) { try DicomSeriesReader.read(path: tmp.path) }
        #expect(e.problem.contains("missing slice"))
        #expect(e.file == slices[4].path)
    }

    @Test func gantryTiltIsAnError() throws {
        let tmp = try TemporaryDirectory()
        // Slices move along y as they move along z while the orientation stays axial: a tilted gantry.
        var tilted = Self.grid
        let angle = 15.0 * .pi / 180
        tilted.direction = Matrix3(columns: [1, 0, 0], [0, 1, 0], [0, sin(angle), cos(angle)])
        _ = try Self.makeSeries(tmp.path, grid: tilted)
        let e = try #require(throws: RadiomicsError.self) { try DicomSeriesReader.read(path: tmp.path) }
        #expect(e.problem.contains("gantry tilt of about 15"))
    }

    @Test func duplicatePositionIsAnError() throws {
        let tmp = try TemporaryDirectory()
        _ = try Self.makeSeries(tmp.file("one"), caseID: "x")
        // A second copy of the series under another UID would be two series; copy a slice inside one series.
        let files = try FileManager.default.contentsOfDirectory(atPath: tmp.file("one")).sorted()
        try FileManager.default.copyItem(atPath: tmp.file("one/\(files[3])"), toPath: tmp.file("one/copy.dcm"))
        let e = try #require(throws: RadiomicsError.self) { try DicomSeriesReader.read(path: tmp.file("one")) }
        #expect(e.problem.contains("same slice position"))
    }

    @Test func nonUniformSpacingIsAnError() throws {
        let tmp = try TemporaryDirectory()
        let (_, slices, _) = try Self.makeSeries(tmp.path)
        // Remove two slices apart so the steps are 3, 6 and 9 mm: not a multiple pattern, uneven.
        try FileManager.default.removeItem(atPath: slices[3].path)
        try FileManager.default.removeItem(atPath: slices[7].path)
        try FileManager.default.removeItem(atPath: slices[8].path)
        let e = try #require(throws: RadiomicsError.self) { try DicomSeriesReader.read(path: tmp.path) }
        #expect(e.problem.contains("missing slice") || e.problem.contains("non-uniform"))
    }

    @Test func niftiRoundTripKeepsGeometryAndValues() throws {
        let tmp = try TemporaryDirectory()
        let oblique = ImageGeometry(size: [20, 16, 8], spacing: [0.7, 0.8, 2.5], origin: [-30, 12, 40],
                                    direction: Matrix3(columns: [0.8, 0.6, 0], [-0.6, 0.8, 0], [0, 0, 1]))
        var anatomy = SyntheticCT.Anatomy()
        anatomy.tumourCentre = oblique.physicalPoint(index: [10, 8, 4])
        anatomy.tumourRadii = [5, 4, 6]
        let c = SyntheticCT.makeCase(geometry: oblique, anatomy: anatomy, seed: 3)
        #expect(c.tumour.regionVoxelCount > 50)
        for (name, version) in [("img.nii", 1), ("img.nii.gz", 1), ("img2.nii", 2), ("img2.nii.gz", 2)] {
            try Nifti.write(c.image, to: tmp.file(name), version: version)
            let header = try Data(contentsOf: URL(fileURLWithPath: tmp.file(name))).prefix(4)
            if !name.hasSuffix(".gz") { #expect(header.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) } == (version == 1 ? 348 : 540)) }
            let back = try Nifti.read(path: tmp.file(name))
            #expect(back.geometry.isSameGrid(as: oblique, tolerance: 1e-5))
            #expect(back.geometry.direction.maxDifference(oblique.direction) < 1e-6)
            guard case .int16(let v) = back else { Issue.record("expected Int16"); continue }
            #expect(v.voxels == c.image.voxels)
        }
        try Nifti.write(c.tumour, to: tmp.file("mask.nii.gz"))
        let (m, source) = try MaskReader.read(path: tmp.file("mask.nii.gz"), onto: oblique)
        #expect(!source.resampled)
        #expect(m.voxels == c.tumour.voxels)
    }

    @Test func niftiLabelSelection() throws {
        let tmp = try TemporaryDirectory()
        var labels = Volume<Int16>(geometry: Self.grid, repeating: 0)
        labels[3, 3, 3] = 1
        labels[4, 4, 4] = 2
        labels[5, 4, 4] = 2
        try Nifti.write(labels, to: tmp.file("labels.nii.gz"))
        #expect(try MaskReader.read(path: tmp.file("labels.nii.gz"), onto: Self.grid).mask.regionVoxelCount == 3)
        #expect(try MaskReader.read(path: tmp.file("labels.nii.gz"), onto: Self.grid, label: 2).mask.regionVoxelCount == 2)
        let e = try #require(throws: RadiomicsError.self) {
            try MaskReader.read(path: tmp.file("labels.nii.gz"), onto: Self.grid, label: 7)
        }
        #expect(e.problem.contains("no voxel with label 7"))
        #expect(e.problem.contains("0, 1, 2"))
    }
}

/// Multi-frame objects: an Enhanced CT image in one file, and fractional segmentations.
@Suite struct MultiFrameTests {
    @Test func enhancedCTFramesArePlacedByTheirPositions() throws {
        let tmp = try TemporaryDirectory()
        let grid = SyntheticCT.axialGrid(size: [30, 24, 9], spacing: [2, 2, 3.5])
        let c = SyntheticCT.makeCase(geometry: grid, seed: 4)
        let identity = DicomStudyIdentity(caseID: "enhanced", seriesDescription: "arterial")
        try DicomSeriesWriter.writeEnhanced(c.image, to: tmp.file("enhanced.dcm"), identity: identity)
        for path in [tmp.file("enhanced.dcm"), tmp.path] { // as a file, and as the only file of a folder
            let d = try DicomSeriesReader.read(path: path)
            #expect(d.image.geometry.isSameGrid(as: grid, tolerance: 1e-6))
            guard case .int16(let v) = d.image else { Issue.record("expected Int16"); continue }
            #expect(v.voxels == c.image.voxels)
        }
    }

    @Test func fractionalSegIsThresholdedAtHalf() throws {
        let tmp = try TemporaryDirectory()
        let grid = SyntheticSeriesTests.grid
        let (c, slices, identity) = try SyntheticSeriesTests.makeSeries(tmp.file("ct"))
        // Fractions: 0.9 inside the tumour, 0.45 in a shell voxel beside it (below half), 0.55 in another.
        var fractions = Volume<Float>(geometry: grid, voxels: c.tumour.voxels.map { $0 != 0 ? 0.9 : 0 })
        let box = try #require(c.tumour.boundingBox)
        fractions[box.upper.x + 1, box.lower.y + (box.size.y / 2), box.lower.z + box.size.z / 2] = 0.45
        fractions[box.lower.x - 1, box.lower.y + (box.size.y / 2), box.lower.z + box.size.z / 2] = 0.55
        try DicomSEGWriter.writeFractional(fractions, segmentLabel: "Tumour", referencing: slices, identity: identity,
                                           to: tmp.file("frac.dcm"))
        let d = try DicomSeriesReader.read(path: tmp.file("ct"))
        let (mask, _) = try MaskReader.read(path: tmp.file("frac.dcm"), onto: d.image.geometry)
        #expect(mask.regionVoxelCount == c.tumour.regionVoxelCount + 1)
        #expect(mask[box.lower.x - 1, box.lower.y + (box.size.y / 2), box.lower.z + box.size.z / 2] == 1)
        #expect(mask[box.upper.x + 1, box.lower.y + (box.size.y / 2), box.lower.z + box.size.z / 2] == 0)
    }

    /// A SEG made on a finer grid than the image lands on the image grid by nearest neighbour.
    @Test func segOnAnotherGridIsResampled() throws {
        let tmp = try TemporaryDirectory()
        let (c, slices, identity) = try SyntheticSeriesTests.makeSeries(tmp.file("ct"))
        let g = SyntheticSeriesTests.grid
        // Twice finer in-plane, same slices: each image voxel becomes 2x2 SEG pixels centred on it.
        let fine = ImageGeometry(size: [g.size.x * 2, g.size.y * 2, g.size.z],
                                 spacing: [g.spacing.x / 2, g.spacing.y / 2, g.spacing.z],
                                 origin: g.origin - SIMD3(g.spacing.x / 4, g.spacing.y / 4, 0), direction: g.direction)
        var fineMask = Mask(geometry: fine, repeating: 0)
        for k in 0..<fine.size.z { for j in 0..<fine.size.y { for i in 0..<fine.size.x where c.tumour[i / 2, j / 2, k] != 0 {
            fineMask[i, j, k] = 1
        } } }
        try DicomSEGWriter.write(mask: fineMask, segmentLabel: "Tumour", referencing: slices, identity: identity,
                                 to: tmp.file("fine.dcm"))
        let d = try DicomSeriesReader.read(path: tmp.file("ct"))
        let (mask, source) = try MaskReader.read(path: tmp.file("fine.dcm"), onto: d.image.geometry)
        #expect(source.resampled)
        #expect(mask.voxels == c.tumour.voxels)
    }
}
