import RTC

/// What a TURN server (RFC 8656) and a remote peer send an ICE agent that allocates a relay:
/// responses to Allocate, Refresh and CreatePermission, Data indications carrying a peer's
/// checks, and checks straight from the peer, interleaved with time passing.
///
/// The fuzzer cannot guess the 96-bit transaction ids or compute HMACs, so per message the flags
/// ask the harness to do what a real server would: bit 0 sends it from the peer instead of the
/// TURN server; bit 1 copies in the transaction id of the agent's latest request to that sender;
/// bit 2 re-signs a decodable message with the key the agent expects (for the TURN server, the
/// long-term key under the realm the agent's latest request named: success responses without it
/// are ignored); bits 4–7 advance the clock by that many 100 ms first.
enum TURNFuzz {
    static let base = TransportAddress(ip: IPAddress("10.0.0.2")!, port: 50_000)
    static let turnServer = TurnServer(address: TransportAddress(ip: IPAddress("198.51.100.3")!, port: 3_478),
                                       username: "tapedeck", password: "turn-secret")
    static let peer = TransportAddress(ip: IPAddress("203.0.113.7")!, port: 40_000)
    static let local = IceCredentials(ufrag: "rec1", password: "recorderpasswordrecorder")
    static let remote = IceCredentials(ufrag: "peer", password: "peerpasswordpeerpassword")
    static let realm = "tapedeck.test"

    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        var configuration = IceConfiguration()
        configuration.turnServers = [turnServer]
        let agent = IceAgent(role: .controlled, credentials: local, configuration: configuration, seed: 1)
        var now = ContinuousClock.now
        agent.startGathering(bases: [base], now: now)
        agent.setRemoteCredentials(remote, now: now)
        agent.addRemoteCandidate(Candidate(foundation: "p", priority: 100, address: peer, kind: .host), now: now)
        var latestRequest: [TransportAddress: [UInt8]] = [:]
        var serverRealm = realm
        drain(agent, into: &latestRequest, realm: &serverRealm)

        var messages = FuzzInput(input)
        while let message = messages.next() {
            now += .milliseconds(100 * Int(message.flags >> 4))
            agent.handleTimeout(now: now)
            let source = message.flags & 1 == 0 ? turnServer.address : peer
            var bytes = message.bytes
            if message.flags & 2 != 0, bytes.count >= 20, let id = latestRequest[source] {
                bytes.replaceSubrange(8..<20, with: id)
            }
            if message.flags & 4 != 0, bytes.count < 60_000, let decoded = try? StunMessage(decoding: bytes) {
                let key = source == peer
                    ? StunCredentials.shortTermKey(password: local.password)
                    : StunCredentials.longTermKey(username: turnServer.username, realm: serverRealm, password: turnServer.password)
                bytes = decoded.encoded(integrityKey: key)
            }
            _ = agent.handle(datagram: bytes, from: source, on: base, now: now)
            drain(agent, into: &latestRequest, realm: &serverRealm)
        }
    }

    /// Sends nothing anywhere; remembers each destination's latest transaction id, and the realm
    /// the agent's requests to the TURN server name (the one the fuzzed challenge gave it).
    private static func drain(_ agent: IceAgent, into latestRequest: inout [TransportAddress: [UInt8]], realm: inout String) {
        while let transmit = agent.pollTransmit() {
            if transmit.bytes.count >= 20 { latestRequest[transmit.destination] = Array(transmit.bytes[8..<20]) }
            if transmit.destination == turnServer.address, transmit.bytes.first.map({ $0 < 4 }) == true {
                let request = try? StunMessage(decoding: transmit.bytes)
                fuzzCheck(request != nil, "the agent sent a STUN message it cannot decode")
                if let named = request?.first({ if case .realm(let value) = $0 { value } else { nil } }) { realm = named }
            }
        }
        while agent.pollEvent() != nil {}
    }
}
