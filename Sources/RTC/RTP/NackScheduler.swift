/// Decides which missing packets of one stream to ask for again (RFC 4585 §6.2.1 generic NACK),
/// and when.
///
/// A packet is first asked for after `reorderDelay` (it may only be late), then again every retry
/// interval — derived from how long retransmissions have taken to arrive — up to
/// `maxRequestsPerPacket` times, and never once the reorder buffer has given it up.
struct NackScheduler {
    struct Entry {
        var sequence: Int64 = -1
        var missingSince: ContinuousClock.Instant?
        var requests = 0
        var lastRequest: ContinuousClock.Instant?
    }

    let reorderDelay: Duration
    let maxRequestsPerPacket: Int
    let minimumRetryInterval: Duration
    private var entries: [Entry]
    private let mask: Int
    /// Range of sequence numbers that may hold missing entries.
    private var lowest: Int64 = 0
    private var highest: Int64 = -1
    private(set) var missingCount = 0
    /// Smoothed time from a request to the retransmission's arrival.
    private var recoveryTime: Duration = .milliseconds(50)
    /// The earliest time a request falls due, or nil. May be early (an entry arrived since),
    /// never late: it costs at most a spare wake-up.
    private(set) var nextDue: ContinuousClock.Instant?

    init(capacity: Int, reorderDelay: Duration = .milliseconds(10), maxRequestsPerPacket: Int = 10,
         minimumRetryInterval: Duration = .milliseconds(20)) {
        var size = 1
        while size < capacity { size <<= 1 }
        entries = Array(repeating: Entry(), count: size)
        mask = size - 1
        self.reorderDelay = reorderDelay
        self.maxRequestsPerPacket = maxRequestsPerPacket
        self.minimumRetryInterval = minimumRetryInterval
    }

    var retryInterval: Duration { max(minimumRetryInterval, recoveryTime * 3 / 2) }

    mutating func markMissing(_ range: Range<Int64>, now: ContinuousClock.Instant) {
        guard !range.isEmpty else { return }
        // A burst longer than the window keeps only its newest part: the rest is given up anyway.
        let start = max(range.lowerBound, range.upperBound - Int64(entries.count))
        let wasEmpty = missingCount == 0
        for sequence in start ..< range.upperBound {
            let index = Int(truncatingIfNeeded: sequence) & mask
            if entries[index].missingSince != nil { missingCount -= 1 }
            entries[index] = Entry(sequence: sequence, missingSince: now)
            missingCount += 1
        }
        highest = max(highest, range.upperBound - 1)
        lowest = wasEmpty ? start : max(min(lowest, start), highest - Int64(entries.count) + 1)
        let due = now + reorderDelay
        nextDue = nextDue.map { min($0, due) } ?? due
    }

    /// A missing packet arrived. Returns whether it had been asked for (so it was recovered).
    mutating func markArrived(_ sequence: Int64, now: ContinuousClock.Instant) -> Bool {
        let index = Int(truncatingIfNeeded: sequence) & mask
        guard entries[index].sequence == sequence, entries[index].missingSince != nil else { return false }
        let requested = entries[index].lastRequest
        entries[index].missingSince = nil
        missingCount -= 1
        if let requested {
            // Exponential smoothing (1/8), like RFC 6298's SRTT.
            recoveryTime = recoveryTime * 7 / 8 + (now - requested) / 8
            return true
        }
        return false
    }

    /// Forgets every entry before `sequence` (the reorder buffer has moved past them).
    mutating func forget(before sequence: Int64) {
        guard missingCount > 0 else {
            lowest = sequence
            return
        }
        var current = lowest
        while current < sequence, current <= highest {
            let index = Int(truncatingIfNeeded: current) & mask
            if entries[index].sequence == current, entries[index].missingSince != nil {
                entries[index].missingSince = nil
                missingCount -= 1
            }
            current += 1
        }
        lowest = max(lowest, sequence)
    }

    /// Appends the 16-bit sequence numbers due for a request now, and records the requests.
    mutating func collectDue(now: ContinuousClock.Instant, into list: inout [UInt16]) {
        nextDue = nil
        guard missingCount > 0 else { return }
        let retry = retryInterval
        var sequence = lowest
        while sequence <= highest {
            let index = Int(truncatingIfNeeded: sequence) & mask
            if entries[index].sequence == sequence, let since = entries[index].missingSince,
               entries[index].requests < maxRequestsPerPacket {
                var due = entries[index].lastRequest.map { $0 + retry } ?? since + reorderDelay
                if due <= now {
                    list.append(UInt16(truncatingIfNeeded: sequence))
                    entries[index].requests += 1
                    entries[index].lastRequest = now
                    due = now + retry
                }
                if entries[index].requests < maxRequestsPerPacket { nextDue = nextDue.map { min($0, due) } ?? due }
            }
            sequence += 1
        }
    }
}
