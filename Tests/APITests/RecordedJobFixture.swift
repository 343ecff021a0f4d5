import Foundation
import Jobs
import Testing

/// A data directory in a temporary folder, and jobs recorded into it through the real store's
/// worker calls (claim, progress, completion), with real files in their folders.
struct RecordingDataDirectory {
    let url: URL

    static func with(_ body: (RecordingDataDirectory) async throws -> Void) async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-api-files-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        try await body(RecordingDataDirectory(url: url))
    }

    /// A job that recorded `files` (path → contents) and a manifest, and ended `state` at `now`
    /// (a running job when `state` is `.recording`). `locations` gives outputs a `location`.
    func recordedJob(_ store: any JobStore, files: [(String, Data)], state: JobState = .completed, now: Date,
                     locations: [String: String] = [:], manifest: String? = #"{"state":"finished"}"#) async throws -> RecordingJob {
        let spec = RecordingJobSpec(room: "standup", signalingURL: "wss://rooms.example.com/ws", recipe: "webm")
        _ = try await store.create(spec, cpuCost: 0.05, maxAttempts: 3, idempotencyKey: nil, now: now)
        let claimed = try #require(try await store.claim(worker: "w", capacity: 1, leaseDuration: .seconds(60), now: now))
        let folder = url.appendingPathComponent(try #require(claimed.outputDirectory))
        var outputs: [JobOutput] = []
        for (index, (path, contents)) in files.enumerated() {
            let file = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: file)
            outputs.append(JobOutput(path: path, participant: "p\(index)", segment: 1, bytes: contents.count, finished: true,
                                     durationSeconds: 1, location: locations[path]))
        }
        if let manifest { try Data(manifest.utf8).write(to: folder.appendingPathComponent("manifest.json")) }
        var job = try await store.update(id: claimed.id, worker: "w", JobProgress(state: .recording, outputs: outputs), now: now)
        guard state != .recording else { return job }
        job = try await store.update(id: claimed.id, worker: "w", JobProgress(state: .finalizing), now: now)
        return try await store.update(id: claimed.id, worker: "w", JobProgress(state: state), now: now)
    }

    func folder(of job: RecordingJob) -> URL { url.appendingPathComponent(job.outputDirectory!) }
}

/// `count` bytes that differ from offset to offset, so that a wrong range cannot pass for the right one.
func distinctBytes(_ count: Int) -> Data {
    Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 256) })
}
