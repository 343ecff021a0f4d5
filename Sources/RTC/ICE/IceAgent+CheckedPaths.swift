/// DTLS, SRTP and SRTCP are taken only from paths ICE checks validated (see `CheckedPaths`).
extension IceAgent {
    /// Whether application data (DTLS, SRTP, SRTCP) that arrived straight from `source` on `base`
    /// may be handed on: yes when ICE checks validated that path; otherwise it is counted in
    /// `uncheckedSourceDrops` and must be dropped. A datagram let through is proof of life for
    /// the selected pair. Called per packet: it allocates nothing.
    public func admitsApplicationData(from source: TransportAddress, on base: TransportAddress,
                                      now: ContinuousClock.Instant) -> Bool {
        advance(to: now)
        guard checkedPaths.contains(base: base, turnServer: nil, remote: source) else {
            uncheckedSourceDrops += 1
            return false
        }
        noteTraffic(from: source, now: now)
        return true
    }

    /// The same for application data a TURN server relayed to us from `peer` (the Data
    /// indication's XOR-PEER-ADDRESS): the path is the peer's address through that relay.
    func admitsRelayedApplicationData(from peer: TransportAddress, allocation index: Int) -> Bool {
        guard checkedPaths.contains(base: turn.allocations[index].base, turnServer: turn.allocations[index].server.address,
                                    remote: peer) else {
            uncheckedSourceDrops += 1
            return false
        }
        return true
    }

    /// A check on the path from our candidate `localIndex` to `remote` succeeded, or one from
    /// the peer on it passed authentication.
    func notePathChecked(local localIndex: Int, remote: TransportAddress) {
        let local = localCandidates[localIndex]
        let turnServer = local.candidate.kind == .relay ? local.turnServer?.address : nil
        checkedPaths.insert(CheckedPaths.Path(base: local.base, turnServer: turnServer, remote: remote))
    }
}
