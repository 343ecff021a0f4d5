import Capture
import Foundation
import Media

/// What `RecordingRender` makes a recording folder again from: its raw captures, or, when it
/// has none, the files its manifest lists.
enum RenderInputs {
    /// What to render `source` from: every capture that holds a packet, in the order of their
    /// names; or, when the folder has none, the files its manifest lists, a participant's segment
    /// at a time. Why the others give nothing.
    static func open(_ source: String, manifest: RecordingManifest?) throws -> (inputs: [any RenderInput], errors: [String]) {
        let captures = try RecordingRender.captureFiles(in: source)
        if captures.isEmpty { return try fileInputs(in: source, manifest: manifest) }
        var inputs: [any RenderInput] = []
        var errors: [String] = []
        for name in captures {
            do {
                let replay = try CaptureReplay(captureName: name,
                                               bytes: CaptureBytes(mapping: (source as NSString).appendingPathComponent(name)))
                if replay.next == nil {
                    errors.append("\(name): \(replay.emptyReason)")
                } else {
                    inputs.append(replay)
                }
            } catch {
                errors.append("\(name): \(error)")
            }
        }
        return (inputs, errors)
    }

    /// For a folder without a capture: each participant's segments as their files hold them, each
    /// file placed on the recording's timeline where its manifest says its first frame was.
    private static func fileInputs(in source: String, manifest: RecordingManifest?) throws -> (inputs: [any RenderInput], errors: [String]) {
        guard let manifest else {
            throw RecordingRender.Failure(description: "no raw capture (*.pcapng) in \(source), and no manifest.json listing recorded files to render from")
        }
        var inputs: [any RenderInput] = []
        var errors: [String] = []
        for participant in manifest.participants {
            for segment in participant.segments {
                let files = segment.files.compactMap { file -> (path: String, zeroNanoseconds: Int64)? in
                    let path = file.finished ? file.path : (file.temporaryPath ?? file.path)
                    guard FileManager.default.fileExists(atPath: (source as NSString).appendingPathComponent(path)) else {
                        errors.append("\(participant.id): \(path) is not in \(source)")
                        return nil
                    }
                    return (path, zeroNanoseconds(of: file, at: (source as NSString).appendingPathComponent(path), joined: segment.joinedAt))
                }
                if let input = RecordedFilesReplay(participant: participant.id, name: participant.name, files: files, folder: source,
                                                   errors: &errors) {
                    inputs.append(input)
                }
            }
        }
        if inputs.isEmpty, errors.isEmpty {
            throw RecordingRender.Failure(description: "no raw capture (*.pcapng) in \(source), and its manifest lists no participant's file to render from")
        }
        return (inputs, errors)
    }

    /// Where a file's time zero is on the recording's timeline: its first track's first frame, as
    /// the manifest timed it, less that frame's time in the file; else the segment's start.
    private static func zeroNanoseconds(of file: RecordingManifest.File, at path: String, joined: ManifestTimestamp) -> Int64 {
        let joinedNanoseconds = joined.millisecondsSince1970 * 1_000_000
        guard let reader = try? MediaFileReader(path: path) else { return joinedNanoseconds }
        for track in file.tracks {
            guard let first = track.firstFrameAt, let stream = reader.streams.first(where: { $0.kind == track.kind }) else { continue }
            let offset = Double(stream.startTimestamp) * Double(stream.timeBase.numerator) / Double(stream.timeBase.denominator)
            return first.millisecondsSince1970 * 1_000_000 - Int64((offset * 1e9).rounded())
        }
        return joinedNanoseconds
    }
}
