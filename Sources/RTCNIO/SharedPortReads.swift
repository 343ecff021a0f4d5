import NIOCore
import RTC

/// Reads every socket of the shared port on the loop's ticks (`LoopTick`): each tick drains each
/// socket in batches of its own (`DatagramBatchReader`), into memory where the datagrams are
/// decrypted in place, hands them to their peers, then services the peers the tick touched.
///
/// NIO never reads these sockets. Its read on each readiness made the sender's address a
/// `SocketAddress` with its text (three allocations a wake-up, two fifths of the I/O loop's
/// allocations with a hundred participants) and woke the loop every few datagrams; on the tick,
/// the port's reads and its peers' timers share one wake-up. One scheduled callback for the whole
/// port, handled by this object, so a tick allocates nothing. With no peer on the port it reads
/// every `idleInterval`: what arrives then has nobody to go to.
///
/// Confined to the port's event loop.
final class SharedPortReads: NIOScheduledCallbackHandler {
    static let idleInterval = TimeAmount.milliseconds(50)

    private struct Socket {
        /// NIO's channel owns the descriptor and closes it.
        let descriptor: CInt
        let base: TransportAddress
        let reader: DatagramBatchReader
    }

    private unowned let port: SharedPortState
    private var sockets: [Socket] = []
    private var nextTick: NIOScheduledCallback?

    init(port: SharedPortState) {
        self.port = port
    }

    /// A socket of the port is open: read it from the next tick on.
    func add(_ descriptor: CInt, base: TransportAddress, reader: DatagramBatchReader, on eventLoop: any EventLoop) {
        sockets.append(Socket(descriptor: descriptor, base: base, reader: reader))
        if nextTick == nil { schedule(on: eventLoop) }
    }

    /// The socket closed.
    func remove(_ base: TransportAddress) {
        sockets.removeAll { $0.base == base }
        if sockets.isEmpty {
            nextTick?.cancel()
            nextTick = nil
        }
    }

    func handleScheduledCallback(eventLoop: some EventLoop) {
        nextTick = nil
        let now = ContinuousClock.now
        for socket in sockets {
            socket.reader.drain(socket.descriptor) { bytes, source in port.deliver(bytes, from: source, on: socket.base, now: now) }
        }
        port.serviceTouched()
        if !sockets.isEmpty { schedule(on: eventLoop) }
    }

    private func schedule(on eventLoop: some EventLoop) {
        let delay = port.members.isEmpty ? Self.idleInterval : .zero
        // Fails only once the loop is shutting down, when there is nothing left to read for.
        nextTick = try? eventLoop.assumeIsolated().scheduleCallback(at: LoopTick.deadline(in: delay), handler: self)
    }
}
