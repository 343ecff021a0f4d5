import Synchronization

/// One client's outbound queue: replies and relayed messages, in order, written to its socket by
/// the connection's writer. Bounded by messages and by bytes: a client that stops reading does
/// not make the server hold everyone's messages for it. When a message does not fit, the queue
/// is *overflowed* for good — nothing more is queued, the writer discards what is left and closes
/// the connection with 1008 — rather than dropping that message and carrying on, which would
/// leave the client in a room whose offers and candidates it silently missed.
final class PeerOutbox: Sendable {
    let frames: AsyncStream<OutboundFrame>
    private let sink: AsyncStream<OutboundFrame>.Continuation
    /// Yields once, when the queue overflows: the connection's watchdog waits on it.
    let overflows: AsyncStream<Void>
    private let overflowSink: AsyncStream<Void>.Continuation
    private let queued = Mutex(Queued())
    let maxMessages: Int
    let maxBytes: Int

    private struct Queued {
        var messages = 0
        var bytes = 0
        var overflowed = false
    }

    init(maxMessages: Int, maxBytes: Int) {
        self.maxMessages = maxMessages
        self.maxBytes = maxBytes
        (frames, sink) = AsyncStream.makeStream(of: OutboundFrame.self, bufferingPolicy: .unbounded)
        (overflows, overflowSink) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingOldest(1))
    }

    /// Queues a frame; false when the queue is (or now becomes) overflowed.
    @discardableResult
    func yield(_ frame: OutboundFrame) -> Bool {
        let size = frame.byteCount
        let (accepted, overflowedNow) = queued.withLock { queued in
            guard !queued.overflowed else { return (false, false) }
            guard queued.messages < maxMessages, queued.bytes + size <= maxBytes else {
                queued.overflowed = true
                return (false, true)
            }
            queued.messages += 1
            queued.bytes += size
            return (true, false)
        }
        if accepted { sink.yield(frame) }
        if overflowedNow {
            overflowSink.yield()
            overflowSink.finish()
        }
        return accepted
    }

    /// The writer took a frame off the queue (written, or discarded after an overflow).
    func taken(_ frame: OutboundFrame) {
        let size = frame.byteCount
        queued.withLock { queued in
            queued.messages -= 1
            queued.bytes -= size
        }
    }

    var isOverflowed: Bool { queued.withLock { $0.overflowed } }

    /// Why the connection is closed, for the close frame and the log.
    var overflowReason: String {
        "too slow: more than \(maxMessages) messages or \(maxBytes / 1_024) KiB waited for this client to read"
    }

    func finish() {
        sink.finish()
        overflowSink.finish()
    }
}

extension OutboundFrame {
    var byteCount: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .close(_, let reason): reason.utf8.count + 2
        }
    }
}
