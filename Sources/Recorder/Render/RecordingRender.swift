import Capture
import Foundation
import Media
import RTC

/// `tapedeck render`: a recording made again, with any recipe, from the raw captures in its
/// folder (docs/capture.md). Every connection's capture is replayed through the live pipeline
/// (`CaptureReplay`) on one timeline, in the order the connections began, into `out`, which then
/// holds the files and a manifest like a live recording's.
public enum RecordingRender {
    /// One capture rendered, for progress.
    public struct Step: Sendable {
        public var capture: String
        public var packets: Int
        /// Of the call: from the capture's first packet to its last.
        public var seconds: Double
        /// Of rendering it.
        public var elapsed: Duration
        public var files: [String]
        public var stoppedEarly: String?
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Renders `source`'s captures with `recipe` into `out`; returns the manifest, also written
    /// to `out/manifest.json`. Throws `Failure` when there is nothing to render.
    /// - Parameters:
    ///   - gate: like a live recording's: once shut, nothing more is written.
    ///   - recordingId: the manifest's (a render job's id); a new one when nil.
    ///   - isCancelled: asked as the captures are replayed; when it says so, the render stops
    ///     there and finishes the files it has.
    public static func run(source: String, recipe: Recipe, out: String, gate: RecordingWriteGate = RecordingWriteGate(),
                           recordingId: String? = nil, isCancelled: @escaping () -> Bool = { false },
                           progress: (Step) -> Void = { _ in }) throws -> RecordingManifest {
        guard recipe.layout != .room else {
            // The captures are replayed one after another, each on its own; a mix needs them all at once.
            throw Failure(description: "recipe '\(recipe.name)' mixes the room, which a render cannot make yet: "
                          + "render with a per-participant or per-track recipe")
        }
        let captures = try captureFiles(in: source)
        guard !captures.isEmpty else {
            throw Failure(description: "no raw capture (*.pcapng) in \(source): record with a recipe that keeps one (capture: true)")
        }
        var loaded: [(name: String, bytes: [UInt8], start: Int64)] = []
        var errors: [String] = []
        for name in captures {
            let path = (source as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                errors.append("\(name): cannot be read")
                continue
            }
            let bytes = [UInt8](data)
            guard let peeked = CaptureReplay.peek(bytes) else {
                errors.append("\(name): \(describeEmpty(bytes))")
                continue
            }
            loaded.append((name, bytes, peeked.startNanoseconds))
        }
        loaded.sort { ($0.start, $0.name) < ($1.start, $1.name) }
        guard let origin = loaded.first?.start else {
            throw Failure(description: "no capture in \(source) holds a packet: \(errors.joined(separator: "; "))")
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let sourceManifest = try? JSONDecoder().decode(RecordingManifest.self,
                                                       from: Data(contentsOf: URL(fileURLWithPath: source).appendingPathComponent("manifest.json")))
        let room = sourceManifest?.room ?? URL(fileURLWithPath: source).lastPathComponent
        let fileNames = RecordingFileNames(template: recipe.fileName, room: room, directory: out)
        let naming: SegmentNaming = { try fileNames.name($0) }
        let numbering = SegmentNumbering()
        let timeline = ReplayTimeline(originNanoseconds: origin)
        var reports: [ParticipantReport] = []
        var end = Double(origin) / 1e9
        for capture in loaded {
            let clock = ContinuousClock()
            let started = clock.now
            guard !isCancelled() else { break }
            let replay = try CaptureReplay.render(capture.bytes, recipe: recipe, directory: out, naming: naming,
                                                  numbering: numbering, timeline: timeline, gate: gate, isCancelled: isCancelled)
            let stopped = replay.damage.map { "\($0)" }
            if let stopped { errors.append("\(capture.name): \(stopped); rendered what precedes it") }
            errors += replay.errors.map { "\(replay.participant): \($0)" }
            end = max(end, replay.lastArrival ?? end)
            let stats = replay.stats
            reports.append(ParticipantReport(
                participant: replay.connectionID, name: replay.name, connected: true, iceState: "replayed", srtpProfile: nil,
                selectedPair: nil, localCandidates: [], remoteCandidates: [], candidatePairs: [], streams: stats?.streams ?? [],
                rtcpPackets: stats?.rtcpPackets ?? 0, authenticationFailures: 0, replays: 0, recording: replay.recording))
            progress(Step(capture: capture.name, packets: replay.packets,
                          seconds: (replay.lastArrival ?? 0) - (replay.firstArrival ?? 0), elapsed: clock.now - started,
                          files: replay.recording?.segments.flatMap { $0.files.map(\.path) } ?? [], stoppedEarly: stopped))
        }
        let built = ManifestBuilder.participants(from: reports, directory: out)
        let wroteFiles = reports.contains { report in
            report.recording?.segments.contains { $0.files.contains { $0.complete && $0.tracks.contains { $0.frames > 0 } } } ?? false
        }
        let manifest = RecordingManifest(
            recordingId: recordingId ?? UUID().uuidString.lowercased(), room: room, recipe: recipe.name, state: wroteFiles ? .finished : .failed,
            startedAt: ManifestTimestamp(Date(timeIntervalSince1970: Double(origin) / 1e9)),
            endedAt: ManifestTimestamp(Date(timeIntervalSince1970: end)),
            participants: built.participants, errors: errors + built.errors)
        if gate.isOpen { try ManifestWriter(directory: out).write(manifest) }
        return manifest
    }

    /// The captures in a recording's folder: finished ones, and those a killed recorder left
    /// under their temporary names.
    static func captureFiles(in folder: String) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        return names.filter { name in
            name.hasSuffix(".pcapng") && !name.hasPrefix(".") || name.hasPrefix(".") && name.hasSuffix(".pcapng.partial")
        }.sorted()
    }

    /// Why a capture gave no packet: none in it, or what stopped the reader.
    private static func describeEmpty(_ bytes: [UInt8]) -> String {
        var reader = PcapngReader(bytes)
        do {
            while try reader.next() != nil {}
            return "no packet"
        } catch {
            return "\(error)"
        }
    }
}
