import NIOCore
import RTC

/// One accepted ICE-TCP connection, on the shared port's event loop. Until a peer claims it, it
/// is a stranger: its first RFC 4571 frame must be a STUN Binding request whose USERNAME names
/// the ufrag of a peer on the port (as a check on the UDP port is routed), within
/// `claimTimeout`; anything else closes it, and so does a full house of strangers. Once
/// claimed, every frame goes to that peer as a datagram from the connection's remote address on
/// the TCP base, and the peer writes back through `PassiveTCPConnections`. Bytes only: the ICE
/// agent, DTLS and SRTP do the rest.
final class PassiveTCPConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// A peer's first check follows its connection at once; a few seconds cover a lossy path.
    static var claimTimeout: TimeAmount { .seconds(5) }
    /// Connections not yet claimed by a peer, across the port: scanners and strangers cannot
    /// hold more sockets than this.
    static var maximumUnclaimed: Int { 32 }
    /// About a second of a video call's media: enough to ride out a slow moment, small enough
    /// that a connection that cannot keep up drops rather than queues seconds of latency.
    static var writeBufferWaterMark: ChannelOptions.Types.WriteBufferWaterMark {
        .init(low: 64 << 10, high: 256 << 10)
    }

    private enum Phase {
        case unclaimed(Scheduled<Void>?)
        case claimed(any SharedPortMember)
        case closing
    }

    private let state: SharedPortState
    private let base: TransportAddress
    private let remote: TransportAddress
    private var phase: Phase = .unclaimed(nil)
    private var reader = FramedPacketReader(maximumPacketLength: DatagramSocketTuning.maxDatagramSize)
    /// Why the connection closes, for the peer that owned it; once set, nothing more is read.
    private var closeReason: String?

    init(channel: any Channel, state: SharedPortState) throws {
        guard let base = channel.localAddress.flatMap(TransportAddress.init),
              let remote = channel.remoteAddress.flatMap(TransportAddress.init) else {
            throw ChannelError.ioOnClosedChannel
        }
        self.state = state
        self.base = base
        self.remote = remote
    }

    func channelActive(context: ChannelHandlerContext) {
        guard state.unclaimedTCPConnections < Self.maximumUnclaimed else {
            state.refusedTCPConnections += 1
            phase = .closing
            context.close(promise: nil)
            return
        }
        state.unclaimedTCPConnections += 1
        let channel = context.channel
        let timeout = context.eventLoop.assumeIsolated().scheduleTask(in: Self.claimTimeout) {
            channel.close(promise: nil)
        }
        phase = .unclaimed(timeout)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let now = ContinuousClock.now
        do {
            try buffer.withUnsafeMutableReadableBytes { bytes in
                try reader.receive(bytes) { packet in deliver(packet, context: context, now: now) }
            }
        } catch {
            close(context, reason: "\(error)")
        }
    }

    private func deliver(_ packet: UnsafeMutableRawBufferPointer, context: ChannelHandlerContext, now: ContinuousClock.Instant) {
        guard closeReason == nil else { return }
        switch phase {
        case .claimed(let member):
            member.receive(packet, from: remote, on: base, now: now)
            state.awaitService(member)
        case .unclaimed(let timeout):
            guard let member = claimingMember(of: UnsafeRawBufferPointer(packet)) else {
                close(context, reason: "the first frame was not a connectivity check for a peer on this port")
                return
            }
            guard member.adoptPassiveTCP(context.channel, from: remote, on: base) else {
                close(context, reason: "the peer it named has closed")
                return
            }
            timeout?.cancel()
            state.unclaimedTCPConnections -= 1
            phase = .claimed(member)
            member.receive(packet, from: remote, on: base, now: now)
            state.awaitService(member)
        case .closing:
            break
        }
    }

    /// The peer the first frame's check names, if it is one and names a peer on the port.
    private func claimingMember(of packet: UnsafeRawBufferPointer) -> (any SharedPortMember)? {
        guard let header = StunDatagramHeader(packet), header.messageClass == .request, header.method == .binding,
              let ufrag = header.receiverUsernameFragment(in: packet) else { return nil }
        return state.demux.member(usernameFragment: ufrag)
    }

    private func close(_ context: ChannelHandlerContext, reason: String) {
        if closeReason == nil { closeReason = reason }
        context.close(promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        state.serviceTouched()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        close(context, reason: "\(error)")
    }

    func channelInactive(context: ChannelHandlerContext) {
        switch phase {
        case .unclaimed(let timeout):
            timeout?.cancel()
            state.unclaimedTCPConnections -= 1
        case .claimed(let member):
            member.passiveTCPClosed(context.channel, from: remote, on: base, reason: closeReason ?? "the peer closed it")
        case .closing:
            break
        }
        phase = .closing
        context.fireChannelInactive()
    }
}
