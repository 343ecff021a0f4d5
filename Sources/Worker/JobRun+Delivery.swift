import Foundation
import Jobs
import Logging
import ObjectStorage

// Delivering a job's files to object storage: a job is `completed` only once they are there.
extension JobRun {
    /// The delivery of this job's files, or nil when they stay in the data directory (neither
    /// the job nor the worker names a bucket). Throws, in words for the job's error, when the job
    /// asks for storage this worker cannot reach.
    func makeDelivery(folder: String, logger: Logger) throws -> OutputDelivery? {
        let storage = configuration.storage
        let destination: S3StorageURL
        if let asked = job.spec.storage {
            destination = try S3StorageURL(parsing: asked)
        } else if let serverDefault = storage?.defaultDestination {
            destination = serverDefault
        } else {
            return nil
        }
        guard let storage, let s3 = storage.s3 else {
            throw OutputDeliveryError(
                file: "the recording", destination: destination.description,
                reason: "this worker has no S3 configuration (\(storage?.credentialsProblem ?? "none was given"))")
        }
        let files = FileDelivery(
            client: S3Client(configuration: s3, logger: logger), destination: destination, partSize: storage.partSize,
            maxConcurrentParts: storage.maxConcurrentParts, giveUpAfter: storage.giveUpAfter, store: store, jobID: job.id,
            worker: configuration.name, folder: folder, logger: logger)
        return OutputDelivery(files: files, keepLocal: job.spec.keepLocal ?? storage.keepLocal, logger: logger)
    }

    /// For a job taken over after its files were finished: delivers them, records nothing.
    func deliverFinishedFiles(delivery: OutputDelivery?) async {
        logger.info("the recording is over; delivering its files", metadata: ["job": "\(job.id)"])
        guard let delivery else {
            // The storage it was to go to is no longer asked for: the files are where they are.
            await finish(.completed, error: nil, outputs: job.outputs, statistics: job.statistics)
            return
        }
        await deliverAndComplete(outputs: job.outputs, statistics: job.statistics, delivery: delivery)
    }

    private enum DeliveryStep {
        case delivered(OutputDelivery.Delivered)
        case failed(any Error)
        case interrupted(Interruption?)
    }

    /// The recording is over and its files are closed: delivers them, renewing the lease, then
    /// completes the job. A delivery that cannot succeed fails the job, its local files kept; a
    /// shutdown gives the job back for another worker to finish the same uploads.
    /// `error`: what went wrong while recording, though files were finished; kept on the completed job.
    func deliverAndComplete(outputs: [JobOutput], statistics: JobStatistics?, delivery: OutputDelivery, error problems: String? = nil) async {
        guard await confirmLease(before: "delivering the files") else { return }
        await report(JobProgress(state: .finalizing, outputs: outputs, statistics: statistics, filesFinished: true))
        var interruption: Interruption?
        var outcome: Result<OutputDelivery.Delivered, any Error> = .failure(CancellationError())
        await withTaskGroup(of: DeliveryStep.self) { group in
            group.addTask {
                do {
                    return .delivered(try await delivery.finish(outputs))
                } catch {
                    return .failed(error)
                }
            }
            group.addTask { .interrupted(await deliveryHeartbeat(delivery: delivery, outputs: outputs)) }
            while let step = await group.next() {
                switch step {
                case .delivered(let delivered):
                    outcome = .success(delivered)
                    group.cancelAll()
                case .failed(let error):
                    outcome = .failure(error)
                    group.cancelAll()
                case .interrupted(let reason?):
                    interruption = reason
                    delivery.cancel()
                case .interrupted(nil):
                    break
                }
            }
        }
        let located = delivery.located(outputs)
        if interruption == .leaseLost || outcome.isLeaseLost {
            logger.warning("another worker took the job over while its files were being delivered; leaving it to them")
            return
        }
        if interruption == .cancelRequested {
            await delivery.abandon()
            await finish(.cancelled, error: nil, outputs: located, statistics: statistics)
            return
        }
        switch outcome {
        case .success(let delivered):
            await finish(.completed, error: problems, outputs: delivered.outputs, statistics: statistics,
                         manifestLocation: delivered.manifestLocation)
        case .failure(let error) where error is CancellationError:
            await release(error: nil, outputs: located, statistics: statistics)
        case .failure(let error):
            await finish(.failed, error: "\(error); the files are kept in the worker's data directory", outputs: located,
                         statistics: statistics)
        }
    }

    /// Renews the lease while the files are delivered and reports where they went; returns when
    /// the job is cancelled or taken over (nil when cancelled itself).
    private func deliveryHeartbeat(delivery: OutputDelivery, outputs: [JobOutput]) async -> Interruption? {
        await renewingLease { _ in
            await report(JobProgress(outputs: delivery.located(outputs)))
            return nil
        }
    }
}

extension Result {
    /// The job store said another worker holds the job now.
    fileprivate var isLeaseLost: Bool {
        guard case .failure(let error) = self, case JobStoreError.leaseLost? = error as? JobStoreError else { return false }
        return true
    }
}
