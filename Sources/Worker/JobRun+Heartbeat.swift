import Foundation
import Jobs
import Logging
import Recorder

extension JobRun {
    /// Every `heartbeatInterval`, renews the lease of this run's claim (its generation) and hands
    /// the job as it now is to `beat`, until another claim holds the job (`.leaseLost`), its
    /// cancellation is asked (`.cancelRequested`), `beat` returns an interruption, or the task is
    /// cancelled (nil). A renewal that fails for another reason (the database away for a moment)
    /// is tried again at the next beat; while none succeeds the run's `LeaseWatch` counts down.
    func renewingLease(_ beat: (RecordingJob) async -> Interruption?) async -> Interruption? {
        while true {
            do {
                try await Task.sleep(for: configuration.heartbeatInterval)
            } catch {
                return nil
            }
            let current: RecordingJob
            let sentAt = ContinuousClock.now
            do {
                current = try await store.confirmLease(id: job.id, worker: configuration.name, generation: job.leaseGeneration,
                                                       leaseDuration: configuration.leaseDuration, now: Date())
                lease.renewed(sentAt: sentAt)
            } catch JobStoreError.leaseLost {
                return .leaseLost
            } catch {
                if Task.isCancelled { return nil }
                logger.warning("cannot renew the lease; trying again", metadata: [
                    "job": "\(job.id)", "error": "\(error)", "since_last_renewal": "\(lease.sinceRenewal.readable)",
                    "writes_stop_in": "\((lease.writeDeadline - ContinuousClock.now).readable)",
                ])
                continue
            }
            if current.cancelRequested { return .cancelRequested }
            if let interruption = await beat(current) { return interruption }
        }
    }
}

extension JobRun {
    /// Checks with the store that this run's claim (its generation) is still the job's, and
    /// extends the lease, before `step`: one that renames files, or ends or gives back the job.
    /// False, having said why, when the step must not be taken: the job was claimed again since,
    /// or the store cannot say (then the lease runs out and the job goes to whoever claims it next).
    func confirmLease(before step: String) async -> Bool {
        let sentAt = ContinuousClock.now
        do {
            _ = try await store.confirmLease(id: job.id, worker: configuration.name, generation: job.leaseGeneration,
                                             leaseDuration: configuration.leaseDuration, now: Date())
            lease.renewed(sentAt: sentAt)
            return true
        } catch JobStoreError.leaseLost {
            logger.warning("not \(step): the job was claimed again since this run's claim",
                           metadata: ["job": "\(job.id)", "generation": "\(job.leaseGeneration)"])
        } catch {
            logger.error("not \(step): cannot confirm the lease with the job store",
                         metadata: ["job": "\(job.id)", "generation": "\(job.leaseGeneration)", "error": "\(error)"])
        }
        return false
    }
}
