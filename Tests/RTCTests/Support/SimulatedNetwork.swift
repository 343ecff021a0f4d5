import RTC

/// A seeded, virtual-time network for sans-IO tests: datagrams are delayed (with jitter, which
/// reorders them), lost and duplicated as configured, and delivered in time order.
struct SimulatedNetwork {
    struct Conditions {
        var delay: Duration = .milliseconds(20)
        var jitter: Duration = .zero
        var loss = 0.0
        var duplication = 0.0
        /// When set, jitter no longer reorders: each path stays first-in first-out, as queues
        /// do, and only this fraction of datagrams is held back an extra 5–50 ms, overtaken by
        /// those sent after it.
        var reordering: Double?
    }

    struct Datagram {
        var from: TransportAddress
        var to: TransportAddress
        var bytes: [UInt8]
        var deliverAt: ContinuousClock.Instant
        var sequence: Int
    }

    var conditions: Conditions
    var random: SeededRandom
    /// Addresses that have vanished: datagrams to or from them are lost.
    var unreachable: Set<TransportAddress> = []
    private(set) var inFlight: [Datagram] = []
    private(set) var sent = 0
    private(set) var lost = 0
    private var sequence = 0
    private var lastDelivery: [TransportAddress: ContinuousClock.Instant] = [:]
    private(set) var reordered = 0

    init(conditions: Conditions = Conditions(), seed: UInt64) {
        self.conditions = conditions
        self.random = SeededRandom(seed: seed)
    }

    /// A NAT with endpoint-independent mapping (as Linux masquerading does when the port is
    /// free): datagrams from an inside address leave from its outside address; datagrams to the
    /// outside address go in to the inside one; the inside addresses are unreachable otherwise.
    var natMappings: [TransportAddress: TransportAddress] = [:]

    mutating func send(_ bytes: [UInt8], from: TransportAddress, to: TransportAddress, now: ContinuousClock.Instant) {
        sent += 1
        var from = from, to = to
        if let inside = natMappings.first(where: { $0.value == to })?.key {
            to = inside
        } else if natMappings[to] != nil, natMappings[from] == nil {
            lost += 1  // a private address, from outside
            return
        }
        if let outside = natMappings[from], natMappings[to] == nil { from = outside }
        if unreachable.contains(from) || unreachable.contains(to) || Double.random(in: 0..<1, using: &random) < conditions.loss {
            lost += 1
            return
        }
        let copies = Double.random(in: 0..<1, using: &random) < conditions.duplication ? 2 : 1
        for _ in 0..<copies {
            let jitterNanos = conditions.jitter == .zero ? 0 : Int64.random(in: 0...conditions.jitter.nanoseconds, using: &random)
            var deliverAt = now + conditions.delay + .nanoseconds(jitterNanos)
            if let reordering = conditions.reordering {
                if Double.random(in: 0..<1, using: &random) < reordering {
                    reordered += 1
                    deliverAt = deliverAt + .milliseconds(Int.random(in: 5...50, using: &random))
                } else {
                    deliverAt = max(deliverAt, lastDelivery[to] ?? deliverAt)
                    lastDelivery[to] = deliverAt
                }
            }
            sequence += 1
            inFlight.append(Datagram(from: from, to: to, bytes: bytes, deliverAt: deliverAt, sequence: sequence))
        }
    }

    var nextDelivery: ContinuousClock.Instant? { inFlight.map(\.deliverAt).min() }

    /// Removes and returns every datagram due by `now`, in delivery order.
    mutating func deliver(until now: ContinuousClock.Instant) -> [Datagram] {
        let due = inFlight.filter { $0.deliverAt <= now }.sorted { ($0.deliverAt, $0.sequence) < ($1.deliverAt, $1.sequence) }
        inFlight.removeAll { $0.deliverAt <= now }
        return due
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
