import Foundation
import Jobs
import Logging

extension JobRun {
    /// Every `heartbeatInterval`, renews the lease and hands the job as it now is to `beat`,
    /// until another worker holds the job (`.leaseLost`), its cancellation is asked
    /// (`.cancelRequested`), `beat` returns an interruption, or the task is cancelled (nil). A
    /// renewal that fails for another reason (the database away for a moment) is tried again at
    /// the next beat.
    func renewingLease(_ beat: (RecordingJob) async -> Interruption?) async -> Interruption? {
        while true {
            do {
                try await Task.sleep(for: configuration.heartbeatInterval)
            } catch {
                return nil
            }
            let current: RecordingJob
            do {
                current = try await store.renewLease(id: job.id, worker: configuration.name,
                                                     leaseDuration: configuration.leaseDuration, now: Date())
            } catch JobStoreError.leaseLost {
                return .leaseLost
            } catch {
                if Task.isCancelled { return nil }
                logger.warning("cannot renew the lease; trying again", metadata: ["job": "\(job.id)", "error": "\(error)"])
                continue
            }
            if current.cancelRequested { return .cancelRequested }
            if let interruption = await beat(current) { return interruption }
        }
    }
}
