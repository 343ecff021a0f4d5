/// Outstanding STUN requests and their retransmission schedule (RFC 8489 §6.2.1): each request
/// is resent with a doubling timeout until answered or out of attempts.
struct StunTransactionTable<Purpose> {
    struct Entry {
        var purpose: Purpose
        /// Exactly what went on the wire (for relayed checks, the Send indication around it).
        var transmit: IceTransmit
        var transmissions = 1
        var maxTransmissions: Int
        var rto: Duration
        var maxRTO: Duration
        var nextAt: ContinuousClock.Instant
    }

    private(set) var entries: [StunTransactionID: Entry] = [:]

    mutating func start(_ id: StunTransactionID, purpose: Purpose, transmit: IceTransmit, now: ContinuousClock.Instant,
                        rto: Duration, maxRTO: Duration, maxTransmissions: Int) {
        entries[id] = Entry(purpose: purpose, transmit: transmit, maxTransmissions: maxTransmissions,
                            rto: rto, maxRTO: maxRTO, nextAt: now + rto)
    }

    /// Removes and returns the request a response answers.
    mutating func complete(_ id: StunTransactionID) -> Entry? {
        entries.removeValue(forKey: id)
    }

    /// Puts back a request whose response was rejected, so it keeps being retransmitted.
    mutating func restore(_ id: StunTransactionID, _ entry: Entry) {
        entries[id] = entry
    }

    mutating func cancel(where matches: (Purpose) -> Bool) {
        entries = entries.filter { !matches($0.value.purpose) }
    }

    /// Requests due for a resend, and those that ran out of attempts (removed).
    mutating func due(at now: ContinuousClock.Instant) -> (resend: [IceTransmit], expired: [Purpose]) {
        var resend: [IceTransmit] = [], expired: [Purpose] = []
        // Dictionary order differs between processes; a fixed order keeps seeded simulations
        // reproducible.
        let due = entries.filter { $0.value.nextAt <= now }
            .sorted { ($0.value.nextAt, $0.key.description) < ($1.value.nextAt, $1.key.description) }
        for (id, var entry) in due {
            if entry.transmissions >= entry.maxTransmissions {
                entries.removeValue(forKey: id)
                expired.append(entry.purpose)
            } else {
                entry.transmissions += 1
                entry.rto = min(entry.rto * 2, entry.maxRTO)
                entry.nextAt = now + entry.rto
                entries[id] = entry
                resend.append(entry.transmit)
            }
        }
        return (resend, expired)
    }

    var nextDeadline: ContinuousClock.Instant? {
        var earliest: ContinuousClock.Instant?
        for entry in entries.values where earliest.map({ entry.nextAt < $0 }) ?? true { earliest = entry.nextAt }
        return earliest
    }
}
