import Foundation
import Jobs
import Logging
import Recorder
import Synchronization

/// Delivers one job's outputs to its bucket while it records: each file as soon as the
/// recording has finished it, one file at a time (each in parallel parts), then at the end what
/// is left and the manifests, last. Where each file went is kept for the job's progress reports.
final class OutputDelivery: Sendable {
    /// What `finish` delivered.
    struct Delivered: Sendable {
        /// The outputs, each with its `location`.
        var outputs: [JobOutput]
        var manifestLocation: String
    }

    private let files: FileDelivery
    private let keepLocal: Bool
    private let logger: Logger
    /// Shared with the consumer task, which records into it.
    private let progress: DeliveryProgress
    private let queue: AsyncStream<JobOutput>.Continuation
    private let consumer: Task<Void, Never>

    init(files: FileDelivery, keepLocal: Bool, logger: Logger) {
        self.files = files
        self.keepLocal = keepLocal
        self.logger = logger
        let (stream, queue) = AsyncStream.makeStream(of: JobOutput.self)
        self.queue = queue
        let progress = DeliveryProgress()
        self.progress = progress
        consumer = Task {
            await Self.deliverQueued(stream, files: files, keepLocal: keepLocal, logger: logger, into: progress)
        }
    }

    /// Queues the outputs that are finished, not yet delivered and not queued before.
    func offer(_ outputs: [JobOutput], includingUnfinished: Bool = false) {
        let fresh = progress.state.withLock { progress -> [JobOutput] in
            guard progress.failure == nil else { return [] }
            let fresh = outputs.filter { output in
                (output.finished || includingUnfinished) && output.location == nil && !progress.queued.contains(output.path)
            }
            progress.queued.formUnion(fresh.map(\.path))
            return fresh
        }
        for output in fresh { queue.yield(output) }
    }

    /// `outputs` with the locations of those delivered so far.
    func located(_ outputs: [JobOutput]) -> [JobOutput] {
        progress.state.withLock { progress in
            outputs.map { output in
                var output = output
                output.location = output.location ?? progress.locations[output.path]
                return output
            }
        }
    }

    /// Delivers every output not delivered yet, then the manifests (`manifest.json` last), and
    /// returns where everything went. Throws the first failure (`OutputDeliveryError`, or
    /// `CancellationError` after `cancel()`, or the store's `leaseLost`).
    func finish(_ outputs: [JobOutput]) async throws -> Delivered {
        offer(outputs, includingUnfinished: true)
        queue.finish()
        await consumer.value
        if let failure = progress.state.withLock({ $0.failure }) { throw failure }
        try Task.checkCancellation()
        let manifestLocation = try await deliverManifests()
        return Delivered(outputs: located(outputs), manifestLocation: manifestLocation)
    }

    /// Stops the uploads under way (shutdown); each is kept for the job's next worker to resume.
    func cancel() {
        queue.finish()
        consumer.cancel()
    }

    /// Stops the uploads under way and aborts every multipart upload the job left, for a job that
    /// ends without its files being delivered (cancelled, or failed): nobody would resume them.
    func abandon() async {
        cancel()
        await consumer.value
        await files.abandonAllUploads()
    }

    /// The earlier attempts' manifests, then this one's, whose location is returned. (The speaker
    /// timeline is one of the outputs, delivered with them.)
    private func deliverManifests() async throws -> String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: files.folder)) ?? []
        for earlier in names.filter({ $0.hasPrefix("manifest.attempt-") && $0.hasSuffix(".json") }).sorted() {
            _ = try await files.deliver(earlier, contentType: "application/json")
        }
        return try await files.deliver("manifest.json", contentType: "application/json")
    }

    private static func deliverQueued(_ queued: AsyncStream<JobOutput>, files: FileDelivery, keepLocal: Bool, logger: Logger,
                                      into progress: DeliveryProgress) async {
        for await output in queued {
            guard !Task.isCancelled, progress.state.withLock({ $0.failure == nil }) else { continue }
            do {
                let location = try await files.deliver(output.path, contentType: output.contentType, expectedBytes: output.bytes)
                progress.state.withLock { $0.locations[output.path] = location }
                if !keepLocal { removeLocalCopy(of: output, in: files.folder, logger: logger) }
            } catch {
                progress.state.withLock { $0.failure = $0.failure ?? error }
            }
        }
        if Task.isCancelled { progress.state.withLock { $0.failure = $0.failure ?? CancellationError() } }
    }

    /// After a verified upload, when the job does not keep local copies.
    private static func removeLocalCopy(of output: JobOutput, in folder: String, logger: Logger) {
        let path = (folder as NSString).appendingPathComponent(output.path)
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            logger.warning("cannot remove the local copy of an uploaded file", metadata: ["file": "\(path)", "error": "\(error)"])
        }
    }
}

/// What a delivery has done so far.
private final class DeliveryProgress: Sendable {
    struct State {
        /// By output path.
        var locations: [String: String] = [:]
        /// Paths handed to the queue, delivered or not yet.
        var queued: Set<String> = []
        /// The first failure; nothing more is uploaded after it.
        var failure: (any Error)?
    }

    let state = Mutex(State())
}
