import Foundation
import RadiomicsCore
import RadiomicsIO
import RadiomicsPipeline
import Vascularization

/// One case found in an archive: the manifest row `radiomics batch --archive` writes and then runs.
public struct DiscoveredCase: Sendable, Equatable {
    public var caseID: String
    public var images: [CasePhase: ImageInput]
    public var tumour: MaskInput
    public var liver: MaskInput?
    /// How the phases were told apart: `single series`, `description`, `acquisition time`, `image (aorta)`, `file name`.
    public var phaseSource: String
}

/// `radiomics batch --archive DIR`: finds the cases in a folder tree by what the files say, never by folder names.
///
/// DICOM: every file's header is read once (in parallel); files are grouped into studies and series by UID; each
/// RTSTRUCT or SEG is paired with the image series it references; a study with a tumour mask is a case. Its
/// contrast phases (pre-contrast, arterial, portal) are told apart by the series descriptions, else by contrast
/// agent and acquisition time, else by the image: the aorta's enhancement (none before contrast, highest in the
/// arterial phase). NIfTI: in each folder, an image and a tumour label file by name (`mask`, `label`, `seg`,
/// `tumour`...; phases `arterial`, `portal`, `precontrast`/`native`; the liver by `liver`). The written manifest
/// has a `phase_source` column so that a user can check it, correct it and rerun with `--manifest`.
public enum ArchiveDiscovery {
    public struct Result: Sendable {
        public var cases: [DiscoveredCase]
        /// What was left out and why (studies without a mask, masks whose series is missing, unreadable files).
        public var notes: [String]
    }

    public static func discover(_ root: String) throws -> Result {
        let scan = try DicomArchive.scan(root)
        var notes = scan.unreadable.map { "unreadable: \($0)" }
        var cases = try dicomCases(scan.instances, notes: &notes)
        cases += niftiCases(scan.otherFiles, notes: &notes)
        // Case identifiers: unique, in a stable order.
        var seen: [String: Int] = [:]
        for i in cases.indices {
            let base = cases[i].caseID.isEmpty ? "case" : cases[i].caseID
            seen[base, default: 0] += 1
            if seen[base]! > 1 { cases[i].caseID = "\(base)_\(seen[base]!)" }
        }
        return Result(cases: cases.sorted { $0.caseID < $1.caseID }, notes: notes)
    }

    // MARK: DICOM

    struct Series {
        var uid: String
        var instances: [DicomInstance]
        var first: DicomInstance { instances[0] }
        var slices: Int { instances.reduce(0) { $0 + $1.frames } }
        /// The folder holding every file of the series (their deepest common folder).
        var folder: String {
            var common = PathText.parent(instances[0].path).split(separator: "/", omittingEmptySubsequences: false)
            for i in instances.dropFirst() {
                let parts = PathText.parent(i.path).split(separator: "/", omittingEmptySubsequences: false)
                var n = 0
                while n < min(common.count, parts.count) && common[n] == parts[n] { n += 1 }
                common = Array(common.prefix(n))
            }
            let joined = common.joined(separator: "/")
            return joined.isEmpty ? "/" : joined
        }
    }

    static func dicomCases(_ instances: [DicomInstance], notes: inout [String]) throws -> [DiscoveredCase] {
        // One file per SOP instance (a copy of a file elsewhere in the tree is the same instance).
        var unique: [String: DicomInstance] = [:]
        for i in instances.sorted(by: { $0.path < $1.path }) where unique[i.sopInstanceUID] == nil || i.sopInstanceUID.isEmpty {
            unique[i.sopInstanceUID.isEmpty ? i.path : i.sopInstanceUID] = i
        }
        let ordered = unique.values.sorted { $0.path < $1.path }
        var series: [String: Series] = [:]
        for i in ordered {
            series[i.seriesUID, default: Series(uid: i.seriesUID, instances: [])].instances.append(i)
        }
        // Image series that can be a phase: CT (or unknown modality) images, not scouts, at least 3 slices.
        let images = series.values.filter { s in
            s.first.kind == .image && (s.first.modality == "CT" || s.first.modality.isEmpty)
                && !s.first.imageType.contains("LOCALIZER") && s.slices >= 3
        }
        let imageByUID = Dictionary(uniqueKeysWithValues: images.map { ($0.uid, $0) })
        // Masks: each file, with the image series it references.
        var masksByStudy: [String: [(file: DicomInstance, series: String)]] = [:]
        for m in ordered where m.kind == .rtstruct || m.kind == .seg {
            guard let ref = m.referencedSeries.first(where: { imageByUID[$0] != nil }) else {
                notes.append("\(m.path): its image series (\(m.referencedSeries.joined(separator: ", "))) is not in the archive; left out")
                continue
            }
            masksByStudy[imageByUID[ref]!.first.studyUID, default: []].append((m, ref))
        }
        var studies: [String: [Series]] = [:]
        for s in images { studies[s.first.studyUID, default: []].append(s) }
        var out: [DiscoveredCase] = []
        let patients = Dictionary(grouping: studies.keys, by: { studies[$0]![0].first.patientID.trimmingCharacters(in: .whitespaces) })
        for (studyUID, studySeries) in studies.sorted(by: { $0.key < $1.key }) {
            guard let masks = masksByStudy[studyUID], !masks.isEmpty else {
                notes.append("study \(studyUID) (\(studySeries.count) image series): no tumour mask; left out")
                continue
            }
            guard let tumour = pickRegion(masks, liver: false) else {
                notes.append("study \(studyUID): no mask region named as a tumour; left out")
                continue
            }
            let liver = pickRegion(masks, liver: true)
            let (phases, source) = try assignPhases(studySeries.sorted { $0.uid < $1.uid }, reference: tumour.series)
            guard phases[.arterial] != nil else { continue }
            var imagesByPhase: [CasePhase: ImageInput] = [:]
            for (phase, s) in phases { imagesByPhase[phase] = ImageInput(path: s.folder, seriesUID: s.uid) }
            let first = studySeries[0].first
            let patient = first.patientID.trimmingCharacters(in: .whitespaces)
            var id = patient.isEmpty ? "study-" + String(Shard.hash(studyUID) % 1_000_000_000, radix: 36) : patient
            if !patient.isEmpty, (patients[patient]?.count ?? 0) > 1 { id += "_" + (first.studyDate.isEmpty ? String(Shard.hash(studyUID) % 10_000) : first.studyDate) }
            out.append(DiscoveredCase(caseID: id, images: imagesByPhase, tumour: tumour.mask, liver: liver?.mask, phaseSource: source))
        }
        return out
    }

    /// Region names that mean a tumour, or the liver.
    static func isLiver(_ name: String) -> Bool {
        let n = name.lowercased()
        return ["liver", "hepar", "leber", "foie", "fegato"].contains { n.contains($0) }
    }

    /// The tumour (or liver) region among the study's masks: a region named so, a SEG before an RTSTRUCT (its
    /// voxels are exact), then by file path.
    static func pickRegion(_ masks: [(file: DicomInstance, series: String)], liver: Bool) -> (mask: MaskInput, series: String)? {
        let ordered = masks.sorted { ($0.file.kind == .seg ? 0 : 1, $0.file.path) < ($1.file.kind == .seg ? 0 : 1, $1.file.path) }
        for m in ordered {
            let regions = m.file.regions.filter { isLiver($0.name) == liver }
            guard let region = regions.first else { continue }
            let mask = m.file.kind == .seg ? MaskInput(path: m.file.path, label: m.file.regions.count > 1 ? region.number : nil)
                                           : MaskInput(path: m.file.path, roi: region.name)
            return (mask, m.series)
        }
        return nil
    }

    /// Phase of a series description, by its words: nil when it names none (or several).
    static func phase(ofDescription text: String) -> CasePhase? {
        let words = Set(text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init))
        let joined = words.joined(separator: " ")
        var found: Set<CasePhase> = []
        if !words.isDisjoint(with: ["pre", "precontrast", "native", "nativ", "unenhanced", "noncontrast", "plain", "nc", "sans"])
            || joined.contains("non contrast") || text.lowercased().contains("non-contrast") { found.insert(.precontrast) }
        if !words.isDisjoint(with: ["arterial", "arteriell", "art", "ap", "hap", "lap", "arteriale", "arterielle"]) { found.insert(.arterial) }
        if !words.isDisjoint(with: ["portal", "pv", "pvp", "venous", "portovenous", "venös", "portalvenous", "veineuse"]) { found.insert(.portal) }
        return found.count == 1 ? found.first : nil
    }

    /// The phases of a study's image series, and how they were told apart.
    static func assignPhases(_ series: [Series], reference: String) throws -> ([CasePhase: Series], String) {
        let byUID = Dictionary(uniqueKeysWithValues: series.map { ($0.uid, $0) })
        if series.count == 1 { return ([.arterial: series[0]], "single series") }
        // 1. Descriptions.
        var described: [CasePhase: Series] = [:]
        var clash = false
        for s in series {
            guard let p = phase(ofDescription: s.first.seriesDescription) else { continue }
            if described[p] != nil { clash = true }
            described[p] = s
        }
        if !clash, described[.arterial] != nil { return (described, "description") }
        // 2. Contrast agent and acquisition time: the series without contrast first, then the enhanced ones in time order.
        let timed = series.compactMap { s in s.first.time.map { (s, $0) } }
        if timed.count == series.count, series.count <= 3 {
            let ordered = timed.sorted { $0.1 < $1.1 }.map(\.0)
            let tagged = series.contains { $0.first.contrastAgent != nil }
            if tagged {
                let plain = ordered.filter { ($0.first.contrastAgent ?? "").isEmpty }
                let enhanced = ordered.filter { !($0.first.contrastAgent ?? "").isEmpty }
                if plain.count <= 1, (1...2).contains(enhanced.count) {
                    var out: [CasePhase: Series] = [.arterial: enhanced[0]]
                    if enhanced.count == 2 { out[.portal] = enhanced[1] }
                    if let p = plain.first { out[.precontrast] = p }
                    return (out, "acquisition time")
                }
            } else if ordered.count == 3 {
                return ([.precontrast: ordered[0], .arterial: ordered[1], .portal: ordered[2]], "acquisition time")
            }
        }
        // 3. The image: the aorta's enhancement in a few slices of each series.
        var aorta: [(Series, Double?)] = []
        for s in series { aorta.append((s, aortaHU(s))) }
        let enhanced = aorta.filter { ($0.1 ?? 0) >= 150 }.sorted { $0.1! > $1.1! }
        let plain = aorta.filter { ($0.1 ?? 0) < 150 }
        guard let first = enhanced.first else {
            // No enhanced aorta anywhere: the tumour's series alone.
            return ([.arterial: byUID[reference] ?? series[0]], "image (aorta)")
        }
        var out: [CasePhase: Series] = [.arterial: first.0]
        if enhanced.count >= 2 { out[.portal] = enhanced[1].0 }
        if plain.count == 1 { out[.precontrast] = plain[0].0 }
        return (out, "image (aorta)")
    }

    /// Mean HU of the aorta in the middle slices of a series, nil when no enhanced aorta is found.
    static func aortaHU(_ s: Series) -> Double? {
        guard let loaded = try? ImageReader.read(path: s.folder, seriesUID: s.uid, slices: { g, _ in
            let mid = g.size.z / 2
            return max(0, mid - 2)...min(g.size.z - 1, mid + 2)
        }) else { return nil }
        let box = BoundingBox(size: loaded.image.geometry.size)
        let slices = loaded.image.croppedFloat(to: box)
        let search = AortaFinder.Search(slices: slices, box: box, phases: [.image], sample: { _, b in slices.cropped(to: b) })
        return AortaFinder.find(search)?.hu[.image]
    }

    // MARK: NIfTI

    static func niftiCases(_ files: [String], notes: inout [String]) -> [DiscoveredCase] {
        let nifti = files.filter { Nifti.isNiftiPath($0) }
        let folders = Dictionary(grouping: nifti) { PathText.parent($0) }
        var out: [DiscoveredCase] = []
        for (folder, paths) in folders.sorted(by: { $0.key < $1.key }) {
            var images: [CasePhase: String] = [:], tumour: String?, liver: String?
            var unplaced: [String] = []
            for p in paths.sorted() {
                let words = Set(CaseExtractor.caseID(for: p).lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init))
                let isMask = !words.isDisjoint(with: ["mask", "label", "labels", "seg", "segmentation", "tumour", "tumor", "lesion", "roi", "gtv"])
                if words.contains("liver") {
                    liver = p
                } else if isMask {
                    if tumour == nil { tumour = p } else { unplaced.append(p) }
                } else if let phase = phase(ofDescription: words.joined(separator: " ")) {
                    images[phase] = p
                } else if images[.arterial] == nil, !words.isDisjoint(with: ["image", "ct", "img", "volume", "scan"]) || paths.count == 2 {
                    images[.arterial] = p
                } else {
                    unplaced.append(p)
                }
            }
            guard let t = tumour, images[.arterial] != nil else {
                notes.append("\(folder): NIfTI files without an image and a tumour label by name; left out")
                continue
            }
            for p in unplaced { notes.append("\(p): not placed (name gives no role)") }
            out.append(DiscoveredCase(caseID: PathText.lastComponent(folder), images: images.mapValues { ImageInput(path: $0) },
                                      tumour: MaskInput(path: t), liver: liver.map { MaskInput(path: $0) },
                                      phaseSource: images.count == 1 ? "single series" : "file name"))
        }
        return out
    }

    // MARK: Manifest

    public static let manifestColumns = ["case_id", "image", "series", "mask", "roi", "label", "portal", "portal_series", "precontrast",
                                         "precontrast_series", "liver_mask", "liver_roi", "liver_label", "phase_source"]

    /// The manifest of the cases found (this tool's format, with `phase_source`).
    public static func manifest(_ cases: [DiscoveredCase]) -> String {
        var lines = [manifestColumns.joined(separator: ",")]
        for c in cases {
            func path(_ p: CasePhase) -> String { c.images[p]?.path ?? "" }
            func series(_ p: CasePhase) -> String { c.images[p]?.seriesUID ?? "" }
            let tumourLabel = c.tumour.label.map { String($0) } ?? ""
            let liverLabel = c.liver?.label.map { String($0) } ?? ""
            var cells: [String] = [c.caseID, path(.arterial), series(.arterial), c.tumour.path, c.tumour.roi ?? "", tumourLabel]
            cells += [path(.portal), series(.portal), path(.precontrast), series(.precontrast)]
            cells += [c.liver?.path ?? "", c.liver?.roi ?? "", liverLabel, c.phaseSource]
            lines.append(cells.map(TextOutput.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
