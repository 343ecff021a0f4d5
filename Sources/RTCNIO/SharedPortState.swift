import NIOCore
import RTC

/// What the shared port's sockets deliver to: a peer's driver, on the port's event loop.
protocol SharedPortMember: AnyObject {
    func receive(_ datagram: UnsafeMutableRawBufferPointer, from source: TransportAddress, on base: TransportAddress,
                 now: ContinuousClock.Instant)
    func receiveMulticastDNS(_ datagram: UnsafeRawBufferPointer, from source: TransportAddress, now: ContinuousClock.Instant)
    /// Sends what the datagrams of the last read batch made the peer produce, re-arms its timer.
    func service()
    /// Whether what it received since its last service left it something to do (see
    /// `DatagramEndpoint.needsService`).
    var needsService: Bool { get }
    /// Set while the member waits for `service` at the end of the batch.
    var awaitingService: Bool { get set }
    /// An ICE-TCP connection whose first check named this member's ufrag: from now on the
    /// member writes to `remote` from `base` on it. False when the member has closed.
    func adoptPassiveTCP(_ connection: any Channel, from remote: TransportAddress, on base: TransportAddress) -> Bool
    /// That connection closed.
    func passiveTCPClosed(_ connection: any Channel, from remote: TransportAddress, on base: TransportAddress, reason: String)
}

/// The shared port's state, confined to its event loop: the sockets by local address, the
/// demultiplexer, and the members a read batch touched.
final class SharedPortState {
    var channels: [TransportAddress: any Channel] = [:]
    /// The ICE-TCP listening sockets by local address (`PassiveTCPListeners`).
    var tcpListeners: [TransportAddress: any Channel] = [:]
    /// Accepted ICE-TCP connections no peer has claimed yet (capped), and those refused.
    var unclaimedTCPConnections = 0
    var refusedTCPConnections = 0
    var demux = SharedPortDemultiplexer<any SharedPortMember>()
    /// Every member, for the multicast DNS answers they all hear.
    var members: [ObjectIdentifier: any SharedPortMember] = [:]
    /// Reused from batch to batch: no allocation per read once they have grown. `servicing` is
    /// the batch being serviced: a member that receives again while it sends (a loop-back) goes
    /// into `touched`, for the next batch.
    private var touched: [any SharedPortMember] = []
    private var servicing: [any SharedPortMember] = []
    private var isServicing = false
    /// Reads the sockets on the loop's ticks.
    private(set) lazy var reads = SharedPortReads(port: self)

    func deliver(_ datagram: UnsafeMutableRawBufferPointer, from source: TransportAddress, on base: TransportAddress,
                 now: ContinuousClock.Instant) {
        guard let member = demux.route(UnsafeRawBufferPointer(datagram), from: source, now: now) else { return }
        member.receive(datagram, from: source, on: base, now: now)
        if member.needsService { awaitService(member) }
    }

    /// The member received something: it sends and re-arms at the end of the read batch.
    func awaitService(_ member: any SharedPortMember) {
        if !member.awaitingService {
            member.awaitingService = true
            touched.append(member)
        }
    }

    func deliverMulticastDNS(_ datagram: UnsafeRawBufferPointer, from source: TransportAddress, now: ContinuousClock.Instant) {
        for member in members.values {
            member.receiveMulticastDNS(datagram, from: source, now: now)
            awaitService(member)
        }
    }

    /// Once per read batch: every member that received something sends and re-arms once.
    func serviceTouched() {
        // Not from inside a member's service (it would swap the batch being walked): what that
        // touched waits for the next call.
        guard !touched.isEmpty, !isServicing else { return }
        isServicing = true
        defer { isServicing = false }
        // Swapped, not copied: a copy of `touched` kept while it is emptied made `removeAll`
        // allocate a new buffer on every tick that touched a member.
        swap(&touched, &servicing)
        for index in servicing.indices {
            servicing[index].awaitingService = false
            servicing[index].service()
        }
        servicing.removeAll(keepingCapacity: true)
    }
}

/// Puts each of the shared port's sockets in `SharedPortReads` while its channel is open: NIO
/// writes to the socket, the port's ticks read it.
final class SharedPortHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let state: SharedPortState
    /// The channel's socket, which NIO owns and closes.
    private let socket: CInt
    private let reader: DatagramBatchReader
    private var base: TransportAddress?

    init(state: SharedPortState, socket: CInt, reader: DatagramBatchReader) {
        self.state = state
        self.socket = socket
        self.reader = reader
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        guard let base = context.channel.localAddress.flatMap(TransportAddress.init) else { return }
        self.base = base
        state.reads.add(socket, base: base, reader: reader, on: context.eventLoop)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let base { state.reads.remove(base) }
        base = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP errors from one peer's address must not close the socket every peer shares.
    }
}

/// Hands the port's multicast DNS answers to every member.
final class SharedMulticastDNSHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let state: SharedPortState

    init(state: SharedPortState) {
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let source = TransportAddress(envelope.remoteAddress) else { return }
        envelope.data.withUnsafeReadableBytes { state.deliverMulticastDNS($0, from: source, now: .now) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        state.serviceTouched()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Stray ICMP errors on a shared, connectionless port mean nothing to the members.
    }
}

/// A driver's membership of the shared port: registers its peer's ufrag, tells the
/// demultiplexer where the peer sends checks, follows ICE restarts.
final class SharedPortLink {
    private let port: SharedPortState
    private let memberID: SharedPortDemultiplexer<any SharedPortMember>.MemberID
    private let member: ObjectIdentifier
    private let currentUsernameFragment: () -> String
    private var usernameFragment: String

    init(port: SharedPortState, member: any SharedPortMember, usernameFragment: @escaping () -> String) {
        self.port = port
        currentUsernameFragment = usernameFragment
        self.usernameFragment = usernameFragment()
        memberID = port.demux.add(member, usernameFragment: self.usernameFragment)
        self.member = ObjectIdentifier(member)
        port.members[self.member] = member
    }

    /// Before a datagram leaves: STUN requests teach the demultiplexer their answers' way back.
    @inline(__always)
    func noteOutbound(_ bytes: [UInt8], to destination: TransportAddress) {
        guard let first = bytes.first, DatagramKind(firstByte: first) == .stun else { return }
        bytes.withUnsafeBytes { port.demux.noteOutbound($0, to: destination, from: memberID, now: .now) }
    }

    /// After the peer ran: an ICE restart gave it a new ufrag.
    func followUsernameFragment() {
        let current = currentUsernameFragment()
        guard current != usernameFragment else { return }
        usernameFragment = current
        port.demux.updateUsernameFragment(current, of: memberID)
    }

    func leave() {
        port.demux.remove(memberID)
        port.members[member] = nil
    }
}
