import RTC
import Testing

private func address(_ text: String, _ port: UInt16) -> TransportAddress {
    TransportAddress(ip: IPAddress(text)!, port: port)
}

/// A member of the port, as the driver registers one: a name to tell who got the datagram.
private final class Peer {
    let name: String
    init(_ name: String) { self.name = name }
}

private func check(to receiverUfrag: String, from senderUfrag: String = "remote") -> [UInt8] {
    var random = SystemRandomNumberGenerator()
    return StunMessage(type: StunMessageType(method: .binding, class: .request), transactionID: .random(using: &random),
                attributes: [.username("\(receiverUfrag):\(senderUfrag)"), .priority(1), .iceControlling(tieBreaker: 1)])
        .encoded(integrityKey: Array("password-of-the-receiver".utf8))
}

private func request(_ id: StunTransactionID) -> [UInt8] {
    StunMessage(type: StunMessageType(method: .binding, class: .request), transactionID: id).encoded()
}

private func response(to id: StunTransactionID, mapped: TransportAddress) -> [UInt8] {
    StunMessage(type: StunMessageType(method: .binding, class: .successResponse), transactionID: id,
                attributes: [.xorMappedAddress(mapped)]).encoded()
}

/// DTLS and SRTP, by their first byte (RFC 7983): what arrives without a ufrag to go by.
private let dtlsRecord: [UInt8] = [22, 0xFE, 0xFD] + [UInt8](repeating: 0, count: 30)
private let srtpPacket: [UInt8] = [0x80, 96, 0, 1] + [UInt8](repeating: 7, count: 100)

extension SharedPortDemultiplexer where Member == Peer {
    fileprivate mutating func route(_ bytes: [UInt8], from source: TransportAddress, now: ContinuousClock.Instant = .now) -> String? {
        bytes.withUnsafeBytes { route($0, from: source, now: now)?.name }
    }

    fileprivate mutating func noteOutbound(_ bytes: [UInt8], to destination: TransportAddress, from id: MemberID,
                                           now: ContinuousClock.Instant = .now) {
        bytes.withUnsafeBytes { noteOutbound($0, to: destination, from: id, now: now) }
    }
}

@Suite("One UDP port for many peers: the demultiplexer")
struct SharedPortDemultiplexerTests {
    @Test("a check goes to the peer whose ufrag its USERNAME names; then DTLS and SRTP follow its address")
    func routesByUfragThenAddress() {
        var demux = SharedPortDemultiplexer<Peer>()
        _ = demux.add(Peer("alice"), usernameFragment: "ufragA1")
        _ = demux.add(Peer("bob"), usernameFragment: "ufragB1")
        let browserA = address("198.51.100.7", 50_001), browserB = address("203.0.113.9", 61_000)
        // Before any check, nobody knows these senders.
        #expect(demux.route(dtlsRecord, from: browserA) == nil)
        #expect(demux.route(check(to: "ufragB1"), from: browserB) == "bob")
        #expect(demux.route(check(to: "ufragA1"), from: browserA) == "alice")
        #expect(demux.route(dtlsRecord, from: browserA) == "alice")
        #expect(demux.route(srtpPacket, from: browserB) == "bob")
        #expect(demux.statistics.droppedUnknownSource == 1)
    }

    @Test("datagrams from unknown senders and checks for unknown ufrags are dropped and counted")
    func dropsUnknown() {
        var demux = SharedPortDemultiplexer<Peer>()
        _ = demux.add(Peer("alice"), usernameFragment: "ufragA1")
        let stranger = address("192.0.2.66", 4_444)
        #expect(demux.route(srtpPacket, from: stranger) == nil)
        #expect(demux.route(dtlsRecord, from: stranger) == nil)
        #expect(demux.route(check(to: "nobody"), from: stranger) == nil)
        // The rejected check taught the demultiplexer nothing about its sender.
        #expect(demux.route(srtpPacket, from: stranger) == nil)
        #expect(demux.statistics == SharedPortStatistics(droppedUnknownUsernameFragment: 1, droppedUnknownSource: 3))
        // Garbage that only looks like STUN by its first byte goes by address, and is dropped.
        #expect(demux.route([0, 1, 0, 0, 1, 2, 3], from: stranger) == nil)
    }

    @Test("two browsers behind one NAT (one address, two ports) stay apart by ufrag and port")
    func twoPeersBehindOneNAT() {
        var demux = SharedPortDemultiplexer<Peer>()
        _ = demux.add(Peer("alice"), usernameFragment: "ufragA1")
        _ = demux.add(Peer("bob"), usernameFragment: "ufragB1")
        let nat = "198.51.100.1"
        let first = address(nat, 40_000), second = address(nat, 40_001)
        #expect(demux.route(check(to: "ufragA1"), from: first) == "alice")
        #expect(demux.route(check(to: "ufragB1"), from: second) == "bob")
        for _ in 0..<3 {
            #expect(demux.route(srtpPacket, from: first) == "alice")
            #expect(demux.route(srtpPacket, from: second) == "bob")
        }
        // A third port of the same NAT is nobody's until it checks.
        #expect(demux.route(srtpPacket, from: address(nat, 40_002)) == nil)
    }

    @Test("our own checks teach the way back: responses by transaction, then the address")
    func learnsFromOutboundChecks() {
        var demux = SharedPortDemultiplexer<Peer>()
        let alice = demux.add(Peer("alice"), usernameFragment: "ufragA1")
        let bob = demux.add(Peer("bob"), usernameFragment: "ufragB1")
        let remote = address("203.0.113.20", 5_000), stunServer = address("192.0.2.1", 3_478)
        var generator = SeededRandom(seed: 3)
        let check = StunTransactionID.random(using: &generator)
        demux.noteOutbound(request(check), to: remote, from: alice)
        // DTLS from the peer we checked may overtake its own check of us.
        #expect(demux.route(dtlsRecord, from: remote) == "alice")
        #expect(demux.route(response(to: check, mapped: remote), from: remote) == "alice")
        // One STUN server answers both peers' queries from one address: by transaction.
        let queryA = StunTransactionID.random(using: &generator), queryB = StunTransactionID.random(using: &generator)
        demux.noteOutbound(request(queryA), to: stunServer, from: alice)
        demux.noteOutbound(request(queryB), to: stunServer, from: bob)
        #expect(demux.route(response(to: queryA, mapped: remote), from: stunServer) == "alice")
        #expect(demux.route(response(to: queryB, mapped: remote), from: stunServer) == "bob")
        // Media we send teaches nothing (only STUN requests do).
        demux.noteOutbound(srtpPacket, to: address("203.0.113.99", 9), from: bob)
        #expect(demux.route(srtpPacket, from: address("203.0.113.99", 9)) == nil)
    }

    @Test("an ICE restart: the new ufrag reaches the peer, the previous one still does, older ones not")
    func iceRestart() {
        var demux = SharedPortDemultiplexer<Peer>()
        let alice = demux.add(Peer("alice"), usernameFragment: "ufragA1")
        let browser = address("198.51.100.7", 50_001)
        demux.updateUsernameFragment("ufragA2", of: alice)
        #expect(demux.route(check(to: "ufragA2"), from: browser) == "alice")
        #expect(demux.route(check(to: "ufragA1"), from: browser) == "alice")
        demux.updateUsernameFragment("ufragA3", of: alice)
        #expect(demux.route(check(to: "ufragA3"), from: browser) == "alice")
        #expect(demux.route(check(to: "ufragA2"), from: browser) == "alice")
        #expect(demux.route(check(to: "ufragA1"), from: browser) == nil)
    }

    @Test("a peer that leaves takes its ufrags, addresses and transactions with it")
    func removal() {
        var demux = SharedPortDemultiplexer<Peer>()
        let alice = demux.add(Peer("alice"), usernameFragment: "ufragA1")
        _ = demux.add(Peer("bob"), usernameFragment: "ufragB1")
        let browser = address("198.51.100.7", 50_001)
        var generator = SeededRandom(seed: 5)
        let pending = StunTransactionID.random(using: &generator)
        #expect(demux.route(check(to: "ufragA1"), from: browser) == "alice")
        demux.noteOutbound(request(pending), to: address("192.0.2.1", 3_478), from: alice)
        demux.remove(alice)
        #expect(demux.memberCount == 1)
        #expect(demux.route(srtpPacket, from: browser) == nil)
        #expect(demux.route(check(to: "ufragA1"), from: browser) == nil)
        #expect(demux.route(response(to: pending, mapped: browser), from: address("192.0.2.1", 3_478)) == nil)
        // The same browser now checking the other peer belongs to it.
        #expect(demux.route(check(to: "ufragB1"), from: browser) == "bob")
        #expect(demux.route(srtpPacket, from: browser) == "bob")
    }

    @Test("an address a newer check claims moves to that peer (a NAT mapping reused)")
    func latestCheckWins() {
        var demux = SharedPortDemultiplexer<Peer>()
        _ = demux.add(Peer("alice"), usernameFragment: "ufragA1")
        _ = demux.add(Peer("bob"), usernameFragment: "ufragB1")
        let mapping = address("198.51.100.1", 40_000)
        #expect(demux.route(check(to: "ufragA1"), from: mapping) == "alice")
        #expect(demux.route(check(to: "ufragB1"), from: mapping) == "bob")
        #expect(demux.route(srtpPacket, from: mapping) == "bob")
    }

    @Test("checks from ever new sources cannot grow a peer's addresses without bound")
    func addressesPerPeerAreCapped() {
        var demux = SharedPortDemultiplexer<Peer>()
        _ = demux.add(Peer("alice"), usernameFragment: "ufragA1")
        for port in 1...1_000 as ClosedRange<UInt16> {
            #expect(demux.route(check(to: "ufragA1"), from: address("192.0.2.9", port)) == "alice")
        }
        #expect(demux.route(srtpPacket, from: address("192.0.2.9", 1_000)) == "alice")
        #expect(demux.route(srtpPacket, from: address("192.0.2.9", 1)) == nil)
    }

    @Test("the ufrag is read from USERNAME in place, after other attributes, IPv6 senders alike")
    func readsUsernameAmongAttributes() {
        var demux = SharedPortDemultiplexer<Peer>()
        _ = demux.add(Peer("alice"), usernameFragment: "a-ufrag-of-15ch")
        var random = SystemRandomNumberGenerator()
        let bytes = StunMessage(type: StunMessageType(method: .binding, class: .request), transactionID: .random(using: &random),
                                attributes: [.priority(9), .software("x"), .username("a-ufrag-of-15ch:peer"), .useCandidate]).encoded()
        #expect(demux.route(bytes, from: address("2001:db8::5", 9_000)) == "alice")
        #expect(demux.route(srtpPacket, from: address("2001:db8::5", 9_000)) == "alice")
    }
}
