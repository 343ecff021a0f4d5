/// Resolves the `NAME.local` names browsers hide their host candidates behind (RFC 8828), with
/// one-shot multicast DNS queries (RFC 6762 §5.1), sans-IO: names go in, queries to multicast
/// come out when due, responses go in and resolved addresses come out.
///
/// Chromium's responder (checked against Chromium 156) answers a query from any source port,
/// but only by multicast to the group on port 5353 (not by unicast to the querier, RFC 6762
/// §6.7), at most once a second per name, and not at all when the question has the QU bit. So
/// queries are plain (QM) and the driver must listen on the group; a responder that does
/// answer by unicast reaches the querying socket instead, and that is read too.
public struct MulticastDNSResolver: Sendable {
    public static let port: UInt16 = 5_353
    public static let ipv4Group = TransportAddress(ip: .v4(224, 0, 0, 251), port: port)

    /// Waits after the first query, the second, … before asking again; after the last, the name
    /// is given up (the peer's checks may still reveal its address as peer-reflexive). One
    /// second first: Chromium does not answer the same name more often.
    public var retryDelays: [Duration] = [.seconds(1), .seconds(2), .seconds(4)]
    /// At most this many names are looked up at once: a peer cannot make us flood the link.
    public var maxPendingLookups = 16

    struct Lookup: Sendable {
        let name: String
        var queriesSent = 0
        var nextQueryAt: ContinuousClock.Instant
    }

    private(set) var lookups: [Lookup] = []

    public init() {}

    public var isIdle: Bool { lookups.isEmpty }

    /// Starts resolving `name` (a query goes out at the next `dueQueries`), unless it already is.
    /// Returns false when the name cannot be asked for (malformed, or too many pending).
    @discardableResult
    public mutating func lookUp(_ name: String, now: ContinuousClock.Instant) -> Bool {
        let key = Self.key(name)
        if lookups.contains(where: { $0.name == key }) { return true }
        guard lookups.count < maxPendingLookups, (try? MulticastDNSMessage.query(for: key, type: .a)) != nil else { return false }
        lookups.append(Lookup(name: key, nextQueryAt: now))
        return true
    }

    /// The queries to multicast now: one A query per name due. (A name hiding an IPv6 address
    /// is answered too: Chromium's negative answer to A carries the AAAA record as additional.)
    /// Names whose last wait is over are dropped.
    public mutating func dueQueries(now: ContinuousClock.Instant) -> [[UInt8]] {
        var queries: [[UInt8]] = []
        lookups.removeAll { $0.queriesSent >= retryDelays.count && $0.nextQueryAt <= now }
        for index in lookups.indices where lookups[index].nextQueryAt <= now {
            if let query = try? MulticastDNSMessage.query(for: lookups[index].name, type: .a) { queries.append(query) }
            lookups[index].nextQueryAt = now + retryDelays[lookups[index].queriesSent]
            lookups[index].queriesSent += 1
        }
        return queries
    }

    /// Forgets every pending name (an ICE restart discards the candidates they belong to).
    public mutating func cancelAll() { lookups.removeAll() }

    /// When `dueQueries` has something to do next.
    public var nextTimeout: ContinuousClock.Instant? {
        var earliest: ContinuousClock.Instant?
        for lookup in lookups where earliest.map({ lookup.nextQueryAt < $0 }) ?? true { earliest = lookup.nextQueryAt }
        return earliest
    }

    /// The addresses a datagram gives for names being looked up; those names are done. Anything
    /// else (queries, other names, goodbyes, garbage) yields nothing.
    public mutating func resolutions(in datagram: [UInt8]) -> [(name: String, address: IPAddress)] {
        guard !lookups.isEmpty, let message = try? MulticastDNSMessage(decoding: datagram), message.isResponse else { return [] }
        var found: [(name: String, address: IPAddress)] = []
        for record in message.addressRecords where record.ttl > 0 {
            let key = Self.key(record.name)
            guard let index = lookups.firstIndex(where: { $0.name == key }) else { continue }
            lookups.remove(at: index)
            found.append((key, record.address))
        }
        return found
    }

    /// DNS names compare without regard to ASCII case (RFC 1035 §2.3.3); a final dot is implied.
    public static func key(_ name: String) -> String {
        let trimmed = name.hasSuffix(".") ? String(name.dropLast()) : name
        return trimmed.lowercased()
    }
}
