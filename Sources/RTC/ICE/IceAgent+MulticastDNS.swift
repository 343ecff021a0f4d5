/// Remote mDNS candidates (RFC 8828): a browser without camera or microphone permission signals
/// its host candidates as `NAME.local`. The agent resolves the names with multicast DNS queries
/// sent from its IPv4 host bases; the driver hands what arrives on the mDNS group to
/// `handle(multicastDNS:now:)`.
extension IceAgent {
    /// Candidates held while their names resolve. Several share a name (Chromium has one name per
    /// address and a candidate per socket), so this is above the resolver's cap on names; it
    /// bounds what a peer can make us hold.
    static let maxUnresolvedRemoteCandidates = 64

    /// A datagram from the driver's mDNS socket (the group, port 5353).
    public func handle(multicastDNS bytes: [UInt8], now: ContinuousClock.Instant) {
        advance(to: now)
        _ = handleMulticastDNS(bytes, now: now)
    }

    /// Pairs an mDNS candidate at once when its name resolved before (a renegotiation signals
    /// the same name again), or holds it and asks for the name. In relay-only mode a host
    /// candidate is of no use, so nothing is asked.
    func resolveLater(_ candidate: Candidate, now: ContinuousClock.Instant) {
        guard !configuration.relayOnly, let name = candidate.mdnsHostname else { return }
        if let address = resolvedNames[MulticastDNSResolver.key(name)] {
            var resolved = candidate
            resolved.address.ip = address
            insertRemoteCandidate(resolved, now: now)
            return
        }
        guard !unresolvedRemoteCandidates.contains(candidate) else { return }
        // Too many held, or too many names pending (`MulticastDNSResolver.maxPendingLookups`):
        // counted with the candidates refused.
        guard unresolvedRemoteCandidates.count < Self.maxUnresolvedRemoteCandidates, multicastDNS.lookUp(name, now: now) else {
            noteRefusedUnresolvedCandidate()
            return
        }
        unresolvedRemoteCandidates.append(candidate)
        sendDueMulticastDNSQueries(now: now)
    }

    /// Multicasts the due queries from every IPv4 host base that is not loopback (a socket bound
    /// to an interface's address sends multicast out of that interface).
    func sendDueMulticastDNSQueries(now: ContinuousClock.Instant) {
        guard !multicastDNS.isIdle else { return }
        for query in multicastDNS.dueQueries(now: now) {
            for local in localCandidates where local.candidate.kind == .host && !local.base.ip.isIPv6 && !local.base.ip.isLoopback {
                outbox.append(IceTransmit(base: local.base, destination: MulticastDNSResolver.ipv4Group, bytes: query))
            }
        }
    }

    /// A datagram from the mDNS group (or a unicast answer from port 5353): candidates whose
    /// names it resolves become ordinary remote candidates with the resolved address. Returns
    /// whether it resolved anything.
    func handleMulticastDNS(_ bytes: [UInt8], now: ContinuousClock.Instant) -> Bool {
        let resolved = multicastDNS.resolutions(in: bytes)
        for (name, address) in resolved {
            // Remembered for renegotiations, up to a bound: names resolved for a peer that keeps
            // signalling new ones are used once and not kept.
            if resolvedNames.count < Self.maxUnresolvedRemoteCandidates || resolvedNames[name] != nil {
                resolvedNames[name] = address
            }
            let waiting = unresolvedRemoteCandidates.filter { $0.mdnsHostname.map(MulticastDNSResolver.key) == name }
            unresolvedRemoteCandidates.removeAll { $0.mdnsHostname.map(MulticastDNSResolver.key) == name }
            for var candidate in waiting {
                candidate.address.ip = address
                insertRemoteCandidate(candidate, now: now)
            }
        }
        return !resolved.isEmpty
    }
}
