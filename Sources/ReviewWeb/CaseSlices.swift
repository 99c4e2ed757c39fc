import Foundation
import RadiomicsCore
import RadiomicsIO
import RadiomicsPipeline
import Vascularization

/// CT window presets of the case page (centre and width in HU).
public enum WindowPreset: String, CaseIterable, Sendable {
    case liver, soft, arterial

    public var centre: Double {
        switch self { case .liver: 60; case .soft: 40; case .arterial: 150 }
    }

    public var width: Double {
        switch self { case .liver: 160; case .soft: 400; case .arterial: 600 }
    }

    public var label: String {
        switch self { case .liver: "Liver (60/160)"; case .soft: "Soft tissue (40/400)"; case .arterial: "Arterial (150/600)" }
    }
}

/// What the case page shows of a case: every phase on one display grid (the reference phase's slices through the
/// tumour and `marginMM` around it, the other phases resampled onto it), the tumour and its core. Only the
/// tumour's neighbourhood is read and kept, never whole volumes.
public struct CaseSlices: Sendable {
    public var caseID: String
    /// Phases in acquisition order (or the single image).
    public var phases: [CasePhase]
    public var volumes: [CasePhase: Volume<Float>]
    public var tumour: Mask
    /// Where the typing looked (`EnhancementMeasurer.maps`): the tumour's core (the rim/core overlay) and the voxels
    /// that count as septa (the septum overlay); nil when the measurement failed on this case (`warnings` says why).
    public var maps: TypingMaps?
    /// The slice where the tumour is largest: where the page opens.
    public var largestSlice: Int
    public var warnings: [String]

    public var grid: ImageGeometry { tumour.geometry }
    public var sliceCount: Int { grid.size.z }

    /// Reads a case: the slices through the tumour with `marginMM` above and below; in-plane, the tumour's box
    /// grown by `marginMM` (clamped to the image). The default margin is the typing's reach (the liver shell and
    /// the top-hat), so the maps are measured on what the typing measured.
    public static func load(_ input: CaseInput, caseID: String, marginMM: Double = 25,
                            measurement: VascularizationRules.Measurement = .init()) throws -> CaseSlices {
        let loaded = try CaseLoader.load(input, extent: .tumourSlices(marginMM: marginMM))
        let g = loaded.grid
        guard let box = loaded.tumour.boundingBox else { throw RadiomicsError("case \(caseID): the tumour mask is empty") }
        let grow = SIMD3<Int>(Int((marginMM / g.spacing.x).rounded(.up)), Int((marginMM / g.spacing.y).rounded(.up)), g.size.z)
        let display = box.expanded(by: grow, within: g.size)
        var volumes: [CasePhase: Volume<Float>] = [:]
        for phase in loaded.phases.keys {
            volumes[phase] = loaded.image(phase, in: display)
        }
        let tumour = loaded.tumour.cropped(to: display)
        var warnings = loaded.warnings
        var maps: TypingMaps?
        do {
            let typing = EnhancementMeasurer.Input(phases: volumes, tumour: tumour, liver: loaded.masks[.liver]?.cropped(to: display),
                                                   aortaSearch: nil)
            maps = try EnhancementMeasurer.maps(typing, measurement: measurement, tumourPath: input.masks[.tumour]!.path)
        } catch {
            warnings.append("no rim/core or septum overlay: \(error)")
        }
        return CaseSlices(caseID: caseID, phases: volumes.keys.sorted(), volumes: volumes, tumour: tumour, maps: maps,
                          largestSlice: tumour.fullestSlice ?? 0, warnings: warnings)
    }

    /// The PNG of one slice of one phase: windowed, the tumour outlined in red and, with `overlay`, the core's
    /// edge in cyan (what lies between is the rim side), with `septa` the septum voxels' edges in yellow;
    /// `pictureScale` pixels per voxel.
    public func png(phase: CasePhase, slice k: Int, window: WindowPreset, overlay: Bool, septa: Bool = false) throws -> [UInt8] {
        guard let volume = volumes[phase] else { throw RadiomicsError("case \(caseID) has no \(phase.rawValue) phase") }
        guard (0..<sliceCount).contains(k) else { throw RadiomicsError("case \(caseID): slice \(k) is outside 0..<\(sliceCount)") }
        let n = grid.size, plane = n.x * n.y
        let range = (k * plane)..<((k + 1) * plane)
        var outlines = [SliceSnapshot.Outline(region: Array(tumour.voxels[range]), red: 255, green: 40, blue: 40)]
        if overlay, let core = maps?.core { outlines.append(SliceSnapshot.Outline(region: Array(core.voxels[range]), red: 0, green: 220, blue: 255)) }
        if septa, let s = maps?.septa { outlines.append(SliceSnapshot.Outline(region: Array(s.voxels[range]), red: 255, green: 230, blue: 0)) }
        let rgb = SliceSnapshot.render(plane: Array(volume.voxels[range]), width: n.x, height: n.y, windowCentre: window.centre,
                                       windowWidth: window.width, outlines: outlines, scale: pictureScale)
        return try PNGWriter.encode(pixels: rgb, width: n.x * pictureScale, height: n.y * pictureScale, rgb: true, fast: true)
    }

    /// Voxels are drawn as blocks of this many pixels so that the picture is about 384 pixels across (1-8): the
    /// outlines then run between voxels instead of hiding the tumour's edge, where a rim enhances.
    public var pictureScale: Int { max(1, min(8, 384 / max(grid.size.x, grid.size.y))) }

    /// Bytes held (volumes and masks), for the cache's bound.
    public var byteCount: Int {
        volumes.values.reduce(0) { $0 + 4 * $1.voxels.count } + tumour.voxels.count + 2 * (maps?.core.voxels.count ?? 0)
    }
}

/// Loaded cases kept for the page, least recently used dropped first, within a byte budget. A case that fails
/// to load is remembered with its error (the page says why) until it falls out of the cache. At most
/// `concurrentLoads` cases are read at once: reading holds whole slices of every phase until they are cropped, so
/// this bounds the server's memory when many readers open cases together.
public actor CaseSliceCache {
    let inputs: [String: CaseInput]
    let budget: Int
    let concurrentLoads: Int
    var entries: [String: Result<CaseSlices, RadiomicsError>] = [:]
    var order: [String] = []
    var loading: [String: Task<Result<CaseSlices, RadiomicsError>, Never>] = [:]
    var reading = 0
    var waiting: [CheckedContinuation<Void, Never>] = []

    public init(inputs: [String: CaseInput], budgetBytes: Int = 512 << 20, concurrentLoads: Int = 2) {
        self.inputs = inputs
        budget = budgetBytes
        self.concurrentLoads = max(1, concurrentLoads)
    }

    func startReading() async {
        if reading < concurrentLoads {
            reading += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func finishReading() {
        if waiting.isEmpty { reading -= 1 } else { waiting.removeFirst().resume() }
    }

    /// The case's slices; nil when the case has no inputs known. Concurrent requests for one case load it once.
    public func slices(_ caseID: String) async -> Result<CaseSlices, RadiomicsError>? {
        if let hit = entries[caseID] {
            touch(caseID)
            return hit
        }
        guard let input = inputs[caseID] else { return nil }
        if let pending = loading[caseID] { return await pending.value }
        let task = Task { () -> Result<CaseSlices, RadiomicsError> in
            await startReading()
            let result = await Task.detached { () -> Result<CaseSlices, RadiomicsError> in
                do { return .success(try CaseSlices.load(input, caseID: caseID)) } catch let e as RadiomicsError {
                    return .failure(e)
                } catch {
                    return .failure(RadiomicsError("case \(caseID): \(error)"))
                }
            }.value
            finishReading()
            return result
        }
        loading[caseID] = task
        let result = await task.value
        loading[caseID] = nil
        entries[caseID] = result
        touch(caseID)
        evict()
        return result
    }

    func touch(_ id: String) {
        order.removeAll { $0 == id }
        order.append(id)
    }

    func evict() {
        func size(_ r: Result<CaseSlices, RadiomicsError>) -> Int { (try? r.get())?.byteCount ?? 0 }
        var total = entries.values.reduce(0) { $0 + size($1) }
        // Keep at least the case just loaded.
        while total > budget, order.count > 1 {
            let oldest = order.removeFirst()
            total -= entries[oldest].map(size) ?? 0
            entries[oldest] = nil
        }
    }
}
