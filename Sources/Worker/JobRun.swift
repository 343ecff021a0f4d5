import Foundation
import Jobs
import Logging
import Recorder

/// Runs one claimed job to its end: records the room into the job's folder, renews the lease by
/// heartbeat while reporting progress to the store, acts on stop and cancel requests, and
/// reports the outcome. If the worker is shutting down (the task is cancelled) the files are
/// finished and the job goes back to the queue for another worker to resume.
///
/// Fencing: the run writes the job's folder only while its lease holds by its own clock
/// (`LeaseWatch`), and before it prepares the folder or ends or gives back the job it confirms
/// with the store that its claim (`RecordingJob.leaseGeneration`) is still the job's. A run whose
/// renewals keep failing stops writing before its lease runs out and leaves the job to the worker
/// that takes it over.
struct JobRun {
    let job: RecordingJob
    let store: any JobStore
    let configuration: WorkerConfiguration
    let metrics: WorkerMetrics
    let logger: Logger
    let lease: LeaseWatch

    /// Why the recording ended, when something other than the recording itself ended it.
    enum Interruption: Equatable {
        case stopRequested
        case cancelRequested
        /// Another worker holds the job now: this one must not write anything more about it.
        case leaseLost
        /// No renewal succeeded for nearly the whole lease: the run stopped writing before
        /// another worker could take the job over, and leaves the job to the lease's expiry.
        case leaseExpiring
    }

    private enum ChildOutcome {
        case recorded(Result<RecordingManifest, any Error>)
        case interrupted(Interruption?)
    }

    func run() async {
        var logger = logger
        logger[metadataKey: "job"] = "\(job.id)"
        let folder = RecordingFolder(path: (configuration.dataDirectory as NSString).appendingPathComponent(
            job.outputDirectory ?? "recordings/\(job.id)"))
        let delivery: OutputDelivery?
        do {
            delivery = try makeDelivery(folder: folder.path, logger: logger)
        } catch {
            await finish(.failed, error: "\(error)", outputs: nil, statistics: nil)
            return
        }
        if job.filesFinished {
            // An earlier attempt recorded the room and closed the files; it died delivering them.
            await withTaskCancellationHandler {
                await Task { await deliverFinishedFiles(delivery: delivery) }.value
            } onCancel: {
                delivery?.cancel()
            }
            return
        }
        let duration: Duration?
        var limitNote: String?
        switch recordingLimit() {
        case .unlimited: duration = nil
        case .upTo(let limit, let isServerMaximum):
            duration = limit
            if isServerMaximum { limitNote = "stopped at the server's maximum duration of \(limit.readable)" }
        case .stopTimePassed:
            await finish(.failed, error: "stop_at passed before a worker could start the recording", outputs: nil, statistics: nil)
            return
        }
        // Preparing renames the earlier attempt's files and manifest.
        guard await confirmLease(before: "preparing the folder") else { return }
        let earlierOutputs: [JobOutput]
        let recording: any JobRecording
        do {
            earlierOutputs = try folder.prepare(earlierOutputs: job.outputs)
            if let source = job.spec.renderOf {
                recording = RenderRecording(source: try await renderSource(source, into: folder.path), room: job.spec.room,
                                            recipe: try RecipeCatalog.resolve(job.spec.recipe), out: folder.path, gate: lease.gate,
                                            recordingId: job.id)
            } else {
                var recordingConfiguration = try recordingConfiguration(directory: folder.path)
                recordingConfiguration.durationLimitNote = limitNote
                recordingConfiguration.writeGate = lease.gate
                recording = try Recording(configuration: recordingConfiguration, logger: logger)
            }
        } catch {
            await finish(.failed, error: "cannot start the recording: \(error)", outputs: nil, statistics: nil)
            return
        }
        logger.info("recording", metadata: ["room": "\(job.spec.room)", "recipe": "\(job.spec.recipe)",
                                            "attempt": "\(job.attempts)", "generation": "\(job.leaseGeneration)",
                                            "folder": "\(folder.path)"])
        let inRoom = OneWayFlag()
        let announced = OneWayFlag()
        let reports = ProgressReports(earlierOutputs: earlierOutputs, earlierStatistics: job.statistics, metrics: metrics)
        var interruption: Interruption?
        let result: Result<RecordingManifest, any Error> = await withTaskGroup(of: ChildOutcome.self) { group in
            group.addTask {
                do {
                    return .recorded(.success(try await recording.run(for: duration) { progress in
                        if progress.joined { inRoom.raise() }
                        reports.received(progress.manifest)
                    }))
                } catch {
                    return .recorded(.failure(error))
                }
            }
            group.addTask {
                .interrupted(await heartbeat(inRoom: inRoom, announced: announced, reports: reports, delivery: delivery))
            }
            group.addTask {
                guard let unrenewed = await lease.expiry() else { return .interrupted(nil) }
                // Said now: the heartbeat may still be waiting on a store that does not answer.
                let reason = "no renewal succeeded for the lease less its safety margin: the files are left as they are, "
                    + "and the job to the worker that takes it over once the lease has expired"
                self.logger.error("stopped writing: the lease could not be renewed", metadata: [
                    "job": "\(job.id)", "generation": "\(job.leaseGeneration)", "reason": "\(reason)",
                    "since_last_renewal": "\(unrenewed.readable)", "lease": "\(lease.leaseDuration.readable)",
                    "margin": "\(lease.margin.readable)",
                ])
                return .interrupted(.leaseExpiring)
            }
            var result: Result<RecordingManifest, any Error> = .failure(CancellationError())
            while let outcome = await group.next() {
                switch outcome {
                case .recorded(let recorded):
                    result = recorded
                    group.cancelAll()
                case .interrupted(let reason):
                    if let reason {
                        interruption = reason
                        // The job is or may be another worker's: the files are closed as they
                        // are, not finished and renamed.
                        if reason == .leaseLost || reason == .leaseExpiring { lease.gate.close() }
                        group.cancelAll()  // the recording finishes (or abandons) its files and returns
                    }
                }
            }
            return result
        }
        if interruption == .leaseLost {
            delivery?.cancel()
            logger.warning("another worker took the job over; leaving it to them")
            return
        }
        if interruption == .leaseExpiring || !lease.gate.isOpen {
            // Nothing more is written, not even the job's outcome: the store cannot be reached,
            // and once it can, the lease has run out and the job is another worker's to run.
            delivery?.cancel()
            logger.warning("the run ended without writing its outcome; the job goes back to the queue when its lease expires")
            return
        }
        // From here on the outcome is written even if the worker is shutting down: these writes
        // run in a task of their own, which the shutdown's cancellation does not reach; a
        // shutdown stops the uploads, which the job's next worker resumes.
        let shuttingDown = Task.isCancelled
        let endedBy = interruption
        await withTaskCancellationHandler {
            await Task {
                // A recording shorter than a heartbeat was in the room all the same: say it started
                // before saying how it ended.
                if endedBy == nil, inRoom.isRaised, !announced.isRaised { await announce() }
                await conclude(result, interruption: endedBy, shuttingDown: shuttingDown, folder: folder, reports: reports,
                               delivery: delivery)
            }.value
        } onCancel: {
            delivery?.cancel()
        }
    }

    private func conclude(_ result: Result<RecordingManifest, any Error>, interruption: Interruption?, shuttingDown: Bool,
                          folder: RecordingFolder, reports: ProgressReports, delivery: OutputDelivery?) async {
        switch result {
        case .success(let manifest):
            let (recorded, statistics) = reports.merged(ManifestSummary(manifest))
            let outputs = delivery?.located(recorded) ?? recorded
            if shuttingDown && interruption == nil {
                delivery?.cancel()
                await release(error: nil, outputs: outputs, statistics: statistics)
            } else if interruption == .cancelRequested {
                await delivery?.abandon()
                await finish(.cancelled, error: nil, outputs: outputs, statistics: statistics)
            } else if manifest.state == .finished {
                // Finished files, perhaps beside others that failed (a disk that filled up after
                // one segment): completed, and what went wrong is on the job and in its webhook.
                let fileErrors = ManifestSummary.fileErrors(in: manifest)
                let problems = fileErrors.isEmpty ? nil : "completed with errors: " + fileErrors.joined(separator: "; ")
                if let delivery {
                    await deliverAndComplete(outputs: outputs, statistics: statistics, delivery: delivery, error: problems)
                } else {
                    await finish(.completed, error: problems, outputs: outputs, statistics: statistics)
                }
            } else if !ManifestSummary.fileErrors(in: manifest).isEmpty, outputs.contains(where: \.holdsMedia) {
                // Media was written but no file could be finished (the disk is full, a write
                // failed): a failure, said as the manifest says it. The bytes written stay, in
                // their `.partial` files, and decode up to where writing stopped.
                await delivery?.abandon()
                await finish(.failed, error: ManifestSummary.fileErrors(in: manifest).joined(separator: "; "), outputs: outputs,
                             statistics: statistics)
            } else if outputs.contains(where: \.holdsMedia) {
                if let delivery {
                    await deliverAndComplete(outputs: outputs, statistics: statistics, delivery: delivery)
                } else {
                    await finish(.completed, error: nil, outputs: outputs, statistics: statistics)
                }
            } else {
                await delivery?.abandon()
                let reason = manifest.participants.isEmpty
                    ? "nobody was in room \"\(job.spec.room)\"" : "no participant sent media that could be written"
                await finish(.failed, error: ([reason] + manifest.errors).joined(separator: "; "), outputs: outputs,
                             statistics: statistics)
            }
        case .failure(let error):
            let summary = (error as? RecordingError).map { ManifestSummary($0.manifest) } ?? reports.latestSummary
            let (recorded, statistics) = summary.map(reports.merged) ?? (nil, nil)
            let outputs = recorded.map { delivery?.located($0) ?? $0 }
            let reason = (error as? RecordingError)?.description ?? "\(error)"
            // A refusal is the server's final word on this request, and a room not reached within
            // the join timeout is a wrong URL or a server down for longer than a job can wait:
            // either fails the job at once, not retried.
            // So is a render of a recording without a raw capture.
            let final = (error as? RecordingError).map { $0.isRefusedJoin || $0.isJoinTimeout } ?? (error is RecordingRender.Failure)
            if shuttingDown || (job.attempts < job.maxAttempts && !final) {
                delivery?.cancel()
                await release(error: shuttingDown ? nil : reason, outputs: outputs, statistics: statistics)
            } else {
                await delivery?.abandon()
                await finish(.failed, error: final ? reason : "\(reason) (attempt \(job.attempts) of \(job.maxAttempts))",
                             outputs: outputs, statistics: statistics)
            }
        }
    }

    /// Renews the lease until the recording ends or must be interrupted; moves the job to
    /// `recording` once the worker is in the room, and reports the progress of the recording's manifest.
    private func heartbeat(inRoom: OneWayFlag, announced: OneWayFlag, reports: ProgressReports,
                           delivery: OutputDelivery?) async -> Interruption? {
        await renewingLease { current in
            if current.stopRequested {
                await report(JobProgress(state: .finalizing))
                return .stopRequested
            }
            if !announced.isRaised, inRoom.isRaised, await announce() {
                announced.raise()
            }
            if let summary = reports.latestSummary {
                let (recorded, statistics) = reports.merged(summary)
                // Each file goes to storage as soon as it is finished, not all at the end.
                delivery?.offer(recorded)
                await report(JobProgress(outputs: delivery?.located(recorded) ?? recorded, statistics: statistics))
            }
            return nil
        }
    }

    /// Moves the job to `recording` (the worker is in the room); the store writes `recording.started`.
    @discardableResult
    private func announce() async -> Bool {
        await report(JobProgress(state: .recording)) != nil
    }

    @discardableResult
    func report(_ progress: JobProgress) async -> RecordingJob? {
        do {
            return try await store.update(id: job.id, worker: configuration.name, progress, now: Date())
        } catch {
            logger.warning("cannot report progress", metadata: ["job": "\(job.id)", "error": "\(error)"])
            return nil
        }
    }

    func finish(_ state: JobState, error: String?, outputs: [JobOutput]?, statistics: JobStatistics?,
                        manifestLocation: String? = nil) async {
        guard await confirmLease(before: "ending the job \(state.rawValue)") else { return }
        if state == .completed {
            await report(JobProgress(state: .finalizing))
        }
        guard await report(JobProgress(state: state, outputs: outputs, statistics: statistics, error: error,
                                        manifestLocation: manifestLocation)) != nil else { return }
        logger.info("job ended", metadata: ["job": "\(job.id)", "state": "\(state.rawValue)", "error": "\(error ?? "")"])
    }

    /// Gives the job back to the queue: the worker is shutting down, or the attempt failed and
    /// another may succeed.
    func release(error: String?, outputs: [JobOutput]?, statistics: JobStatistics?) async {
        guard await confirmLease(before: "giving the job back") else { return }
        if outputs != nil || statistics != nil {
            await report(JobProgress(outputs: outputs, statistics: statistics))
        }
        do {
            _ = try await store.release(id: job.id, worker: configuration.name, error: error, now: Date())
            logger.info("job given back to the queue", metadata: ["job": "\(job.id)", "error": "\(error ?? "")"])
        } catch {
            logger.error("cannot give the job back to the queue", metadata: ["job": "\(job.id)", "error": "\(error)"])
        }
    }

    /// The recording a render job makes again: on this worker's disk, or fetched from storage
    /// into the render's folder (`folder`) once it runs.
    private func renderSource(_ id: String, into folder: String) async throws -> JobRenderSource {
        guard let source = try await store.job(id: id) else { throw JobRunRefusal(description: "recording \(id), to be rendered, is gone") }
        return JobRenderSource(recording: source, dataDirectory: configuration.dataDirectory,
                               staging: (folder as NSString).appendingPathComponent(".render-source"), storage: configuration.storage,
                               logger: logger)
    }

    private func recordingConfiguration(directory: String) throws -> RecordingConfiguration {
        if let host = URLComponents(string: job.spec.signalingURL)?.host, let refusal = configuration.urlPolicy.refusal(host: host) {
            throw JobRunRefusal(description: "signaling_url is refused: \(refusal)")
        }
        var room = RoomSessionConfiguration(signalingURL: job.spec.signalingURL, room: job.spec.room,
                                            token: job.spec.signalingToken?.revealed, botName: job.spec.botName,
                                            network: try JobIceServers.network(adding: job.spec.iceServers, to: configuration.network))
        room.joinTimeout = configuration.joinTimeout
        var recording = RecordingConfiguration(room: room, roomName: job.spec.room, recipe: try RecipeCatalog.resolve(job.spec.recipe),
                                               directory: directory, recordingId: job.id)
        recording.stopWhenEmpty = job.spec.stopWhenEmptySeconds.map { .seconds($0) }
        return recording
    }

    private enum RecordingLimit {
        case unlimited
        /// `isServerMaximum`: the server's maximum is shorter than what the job asked for.
        case upTo(Duration, isServerMaximum: Bool)
        /// `stop_at` has already passed: nothing is to be recorded.
        case stopTimePassed
    }

    /// How long to record: the least of `max_duration_s`, the time left to `stop_at`, and the
    /// server's maximum.
    private func recordingLimit() -> RecordingLimit {
        var limit: Duration? = job.spec.maxDurationSeconds.map { .seconds($0) }
        if let stopAt = job.spec.stopAt {
            let left = stopAt.timeIntervalSinceNow
            guard left > 0 else { return .stopTimePassed }
            let untilStop = Duration.milliseconds(Int64(left * 1_000))
            limit = min(limit ?? untilStop, untilStop)
        }
        if let maximum = configuration.maxDuration, limit.map({ maximum < $0 }) ?? true {
            return .upTo(maximum, isServerMaximum: true)
        }
        return limit.map { .upTo($0, isServerMaximum: false) } ?? .unlimited
    }
}
