import Glibc
import NIOPosix
import RTC
@testable import RTCNIO
import Testing

private let loopback = IPAddress("127.0.0.1")!

/// Two ICE agents on real UDP sockets, with their candidates and credentials exchanged by the
/// test as signaling would.
struct IcePair {
    let a: UDPEndpointDriver<IceEndpoint>
    let b: UDPEndpointDriver<IceEndpoint>

    /// `onEventA`: A's owner's hook (see `UDPEndpointDriver.start`).
    static func start(configurationA: IceConfiguration = IceConfiguration(),
                      onEventA: (@Sendable (IceEndpoint, IceEvent) -> Void)? = nil) async throws -> IcePair {
        var random = SeededRandom()
        let credentialsA = IceCredentials.random(using: &random), credentialsB = IceCredentials.random(using: &random)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let seedA = random.next(), seedB = random.next()
        let a = try await UDPEndpointDriver.start(addresses: [loopback], eventLoop: loop, onEvent: onEventA) { _ in
            IceEndpoint(agent: IceAgent(role: .controlling, credentials: credentialsA, configuration: configurationA, seed: seedA))
        }
        let b = try await UDPEndpointDriver.start(addresses: [loopback], eventLoop: loop) { _ in
            IceEndpoint(agent: IceAgent(role: .controlled, credentials: credentialsB, seed: seedB))
        }
        let basesA = a.bases, basesB = b.bases
        try await a.withEndpoint { $0.agent.setRemoteCredentials(credentialsB, now: .now); $0.agent.startGathering(bases: basesA, now: .now) }
        try await b.withEndpoint { $0.agent.setRemoteCredentials(credentialsA, now: .now); $0.agent.startGathering(bases: basesB, now: .now) }
        return IcePair(a: a, b: b)
    }

    /// Trickles candidates both ways until both agents reach `state` (or one fails).
    func run(until state: IceConnectionState, timeout: Duration = .seconds(15)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let fromA = try await a.withEndpoint { $0.takeNewCandidates() }
            let fromB = try await b.withEndpoint { $0.takeNewCandidates() }
            if !fromA.isEmpty { try await b.withEndpoint { endpoint in fromA.forEach { endpoint.agent.addRemoteCandidate($0, now: .now) } } }
            if !fromB.isEmpty { try await a.withEndpoint { endpoint in fromB.forEach { endpoint.agent.addRemoteCandidate($0, now: .now) } } }
            let states = [try await a.withEndpoint { $0.agent.state }, try await b.withEndpoint { $0.agent.state }]
            if states.allSatisfy({ $0 == state }) { return true }
            if states.contains(.failed) { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    func stop() async {
        await a.close()
        await b.close()
    }
}

@Suite("UDP driver with real sockets", .serialized)
struct UDPEndpointDriverTests {
    @Test("two ICE agents connect over loopback UDP")
    func connectsOverLoopback() async throws {
        let pair = try await IcePair.start()
        let ok = try await pair.run(until: .connected)
        let debugA = try await pair.a.withEndpoint { "\($0.events) app=\($0.applicationDatagrams) dropped=\($0.dropReasons.prefix(3))" }
        let debugB = try await pair.b.withEndpoint { "\($0.events) app=\($0.applicationDatagrams) dropped=\($0.dropReasons.prefix(3))" }
        #expect(ok, "A: \(debugA)\nB: \(debugB)")
        let selected = try await pair.a.withEndpoint { $0.agent.selectedPair.map { "\($0.local.kind)-\($0.remote.kind)" } }
        #expect(selected == "host-host")
        await pair.stop()
    }

    /// A socket that allows address reuse binding a peer's port is how the kernel deals that port
    /// to another peer's port-0 bind: Linux gives it out again when every socket on it allows
    /// reuse. Refused, the port stays the peer's alone.
    @Test("a peer's own port is its alone: a socket allowing address reuse cannot bind it, so no other peer is dealt it")
    func ownPortNotShared() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        var random = SeededRandom()
        let credentials = IceCredentials.random(using: &random)
        let driver = try await UDPEndpointDriver.start(addresses: [loopback], eventLoop: loop) { _ in
            IceEndpoint(agent: IceAgent(role: .controlling, credentials: credentials, seed: 1))
        }
        let base = try #require(driver.bases.first)
        let other = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        #expect(other >= 0)
        var reuse: Int32 = 1
        #expect(setsockopt(other, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size)) == 0)
        let bound = BoundUDPSocket.withSocketAddress(loopback, port: base.port) { bind(other, $0, $1) }
        let code = errno
        close(other)
        #expect(bound == -1 && code == EADDRINUSE, "port \(base.port) bound a second time (errno \(code))")
        await driver.close()
    }

    /// The owner hears what the endpoint did through `onEvent`, as the driver polls it after each
    /// datagram batch, timeout or call, in order: here the agent's states, through to connected.
    @Test("the owner's onEvent gets the endpoint's events as the driver polls them: states pushed, none polled by the owner")
    func eventsPushed() async throws {
        let (states, sink) = AsyncStream.makeStream(of: IceConnectionState.self)
        let pair = try await IcePair.start(onEventA: { _, event in
            if case .stateChanged(let state, _) = event { sink.yield(state) }
        })
        #expect(try await pair.run(until: .connected))
        await pair.stop()
        sink.finish()
        var seen: [IceConnectionState] = []
        for await state in states { seen.append(state) }
        let checking = seen.firstIndex(of: .checking), connected = seen.firstIndex(of: .connected)
        #expect(checking != nil && connected != nil && checking! < connected!, "states pushed: \(seen)")
    }

    /// A candidate the kernel has no route to (here, a remote address from a loopback socket:
    /// sendto() fails with EINVAL, as it fails with ENETUNREACH in a namespace without a default
    /// route) must cost only its own pair: NIO closes a UDP channel on such a write error, which
    /// took the socket, and with it every other pair, down.
    @Test("a candidate without a route does not take the socket down")
    func unroutableCandidate() async throws {
        let pair = try await IcePair.start()
        let unroutable = try Candidate(sdpValue: "candidate:1 1 udp 2130706431 203.0.113.7 9 typ host")
        try await pair.a.withEndpoint { $0.agent.addRemoteCandidate(unroutable, now: .now) }
        // Let A check the unroutable pair (alone, so first) before the real candidates arrive.
        try await Task.sleep(for: .milliseconds(300))
        let connected = try await pair.run(until: .connected)
        let debugA = try await pair.a.withEndpoint { "\($0.events) dropped=\($0.dropReasons.prefix(3))" }
        #expect(connected, "A: \(debugA)")
        let selected = try await pair.a.withEndpoint { $0.agent.selectedPair?.remote.address.ip }
        #expect(selected == loopback)
        await pair.stop()
    }

    @Test("relay-only through a real coturn: Allocate with long-term credentials, permissions, Send/Data")
    func connectsThroughCoturn() async throws {
        let coturn = try Coturn()
        defer { coturn.stop() }
        var configuration = IceConfiguration()
        configuration.relayOnly = true
        configuration.turnServers = [TurnServer(address: TransportAddress(ip: loopback, port: UInt16(coturn.port)),
                                                username: coturn.username, password: coturn.password)]
        let pair = try await IcePair.start(configurationA: configuration)
        let connected = try await pair.run(until: .connected)
        let failure = try await pair.a.withEndpoint { $0.failureReason }
        #expect(connected, "\(failure ?? "") \(coturn.log.suffix(2_000))")
        let selected = try await pair.a.withEndpoint { $0.agent.selectedPair }
        #expect(selected?.local.kind == .relay)
        #expect((49_160...49_400).contains(Int(selected?.local.address.port ?? 0)))
        // The other side sees the relay's address, not A's socket.
        let seenByB = try await pair.b.withEndpoint { $0.agent.selectedPair?.remote.address }
        #expect(seenByB == selected?.local.address)
        await pair.stop()
    }

    @Test("wrong TURN credentials fail relay-only ICE with the server's refusal")
    func wrongTurnPassword() async throws {
        let coturn = try Coturn()
        defer { coturn.stop() }
        var configuration = IceConfiguration()
        configuration.relayOnly = true
        configuration.turnServers = [TurnServer(address: TransportAddress(ip: loopback, port: UInt16(coturn.port)),
                                                username: coturn.username, password: "not-the-password")]
        let pair = try await IcePair.start(configurationA: configuration)
        #expect(try await pair.run(until: .connected, timeout: .seconds(10)) == false)
        let failure = try await pair.a.withEndpoint { $0.failureReason }
        #expect(failure?.contains("TURN Allocate refused") == true, "\(failure ?? "no failure")")
        #expect(failure?.contains("401") == true)
        await pair.stop()
    }
}
