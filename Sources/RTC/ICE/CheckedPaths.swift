/// The paths ICE checks have validated — our socket (and TURN relay, when relayed) and the peer's
/// address on it — which are the only ones DTLS, SRTP and SRTCP are accepted from. Without this,
/// anyone who learns the port could inject a DTLS alert during the handshake and break the call.
///
/// A path is validated (RFC 8445) by either of:
/// - a check of ours on it that succeeded (§7.2.5.3: the pair is valid);
/// - an authenticated check from the peer on it (§7.3.1.4): it passed MESSAGE-INTEGRITY with our
///   password, which the signaling gave the peer only, and the datagram came from that address.
///
/// The second is needed because the peer sends DTLS as soon as its own check succeeds, before
/// our triggered check on the same pair has been answered: as the DTLS server we would otherwise
/// drop the browser's ClientHello and wait a second for its retransmission. It is no weaker than
/// the first: an attacker able to spoof the peer's address can spoof a response as well as a
/// data packet, and DTLS (fingerprints) and SRTP (keys) are what stop that one.
///
/// Paths are kept across an ICE restart, so media on the old pair keeps flowing until the new
/// one is selected; the newest `capacity` are kept, so a peer checking from ever new addresses
/// (restart after restart) cannot grow the table. Looking a path up allocates nothing and, for
/// the path that carries the media, compares one entry.
struct CheckedPaths {
    struct Path: Hashable {
        /// Our socket the datagrams arrive on (for a relayed path, the one to the TURN server).
        var base: TransportAddress
        /// The TURN server relaying the path; nil for a direct one.
        var turnServer: TransportAddress?
        /// The peer's address: the datagram's source, or the XOR-PEER-ADDRESS of a Data indication.
        var remote: TransportAddress
    }

    static let capacity = 16

    private var paths: [Path] = []
    /// Where the next path goes once the table is full (the oldest).
    private var oldest = 0
    /// The path found last: media comes on one path, so it is tried first.
    private var lastFound = 0

    init() {
        paths.reserveCapacity(Self.capacity)
    }

    var count: Int { paths.count }

    mutating func insert(_ path: Path) {
        guard !paths.contains(path) else { return }
        if paths.count < Self.capacity {
            paths.append(path)
        } else {
            paths[oldest] = path
            oldest = (oldest + 1) % Self.capacity
        }
    }

    mutating func contains(base: TransportAddress, turnServer: TransportAddress?, remote: TransportAddress) -> Bool {
        let wanted = Path(base: base, turnServer: turnServer, remote: remote)
        if lastFound < paths.count, paths[lastFound] == wanted { return true }
        guard let index = paths.firstIndex(of: wanted) else { return false }
        lastFound = index
        return true
    }
}
