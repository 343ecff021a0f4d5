import Foundation
import RTC

/// A render as a job runs it (`RecordingRender` of another recording's folder), behind the same
/// face as a live `Recording`: it says at once that it is "in the room" (the job moves to
/// `recording`), fetches its source if need be (`RenderSource`, while the job's lease is renewed
/// as for any recording), renders on a thread of its own — it is CPU work, not for the
/// cooperative pool — and stops early, finishing its files, when the calling task is cancelled.
public final class RenderRecording: JobRecording, Sendable {
    private let source: any RenderSource
    private let recipe: Recipe
    private let out: String
    private let gate: RecordingWriteGate
    private let recordingId: String
    private let room: String

    public init(source: any RenderSource, room: String, recipe: Recipe, out: String, gate: RecordingWriteGate, recordingId: String) {
        self.source = source
        self.room = room
        self.recipe = recipe
        self.out = out
        self.gate = gate
        self.recordingId = recordingId
    }

    public func run(for duration: Duration?, progress: (@Sendable (RecordingProgress) -> Void)?) async throws -> RecordingManifest {
        let started = RecordingManifest(recordingId: recordingId, room: room, recipe: recipe.name,
                                        startedAt: ManifestTimestamp(Date()))
        progress?(RecordingProgress(elapsed: .zero, joined: true, participants: 0, bitrateKbps: 0, packetsLost: 0, packetsReceived: 0,
                                    files: 0, manifest: started))
        let folder = try await source.folder()
        defer { source.release() }
        let cancelled = OneWayFlag()
        let (recipe, out, gate, recordingId) = (self.recipe, self.out, self.gate, self.recordingId)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<RecordingManifest, any Error>) in
                WorkerThread.start(name: "tapedeck-render") {
                    continuation.resume(with: Result {
                        try RecordingRender.run(source: folder, recipe: recipe, out: out, gate: gate, recordingId: recordingId,
                                                isCancelled: { cancelled.isRaised })
                    })
                }
            }
        } onCancel: {
            cancelled.raise()
        }
    }
}

/// What runs a job's folder: a live `Recording` of a room, or a `RenderRecording` of another
/// recording's captures.
public protocol JobRecording: Sendable {
    /// Writes the folder until done, `duration` has passed (nil: no limit) or the task is
    /// cancelled; reports progress; returns the final manifest.
    func run(for duration: Duration?, progress: (@Sendable (RecordingProgress) -> Void)?) async throws -> RecordingManifest
}

extension Recording: JobRecording {}
