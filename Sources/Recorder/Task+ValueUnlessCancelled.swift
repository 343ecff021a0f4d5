import Synchronization

extension Task where Failure == any Error {
    /// The task's value — or, as soon as the caller is cancelled, `CancellationError`, without
    /// waiting for the task: it is cancelled too and left to end on its own. For work that may
    /// not honour cancellation promptly (a TCP connect to a host that drops packets waits for
    /// its own timeout), so that a deadline around it is kept.
    func valueUnlessCancelled() async throws -> Success {
        let waiter = Waiter<Success>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiter.set(continuation)
                Task<Void, Never> { waiter.resume(with: await self.result) }
                // Cancelled before the continuation was there: the handler found nothing to resume.
                if Task<Never, Never>.isCancelled { waiter.resume(with: .failure(Swift.CancellationError())) }
            }
        } onCancel: {
            self.cancel()
            waiter.resume(with: .failure(Swift.CancellationError()))
        }
    }
}

/// The one continuation `valueUnlessCancelled` resumes, whichever comes first.
private final class Waiter<Value: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<Value, any Error>?>(nil)

    func set(_ continuation: CheckedContinuation<Value, any Error>) {
        self.continuation.withLock { $0 = continuation }
    }

    func resume(with result: Result<Value, any Error>) {
        continuation.withLock { $0.take() }?.resume(with: result)
    }
}
