@testable import RTC
import Testing

@Suite("Transport-wide arrival log: what arrived when, reported once")
struct TransportWideArrivalLogTests {
    @Test("arrivals and losses across the 16-bit wrap come back from the feedback with their times")
    func roundTrip() throws {
        let start = ContinuousClock.now
        let log = TransportWideArrivalLog(epoch: start)
        var expected: [UInt16: Int64] = [:]
        for step in 0 ..< 300 {
            let sequence = UInt16(truncatingIfNeeded: 65_400 + step)
            if step % 17 == 5 { continue }  // lost
            let micros = Int64(step) * 3_000 + Int64(step % 3) * 250
            log.record(sequenceNumber: sequence, now: start + .microseconds(micros))
            expected[sequence] = micros
        }
        #expect(log.hasUnreported)
        let feedback = log.makeFeedback(senderSSRC: 1, mediaSSRC: 2)
        #expect(!feedback.isEmpty)
        #expect(!log.hasUnreported)
        var seen: [UInt16: Int64] = [:]
        var lost = 0
        for message in feedback {
            // Round trip through the wire format, as the sender would read it.
            let parsed = try RTCPCompound.parse(RTCPCompound.serialize([.transportFeedback(message)]))
            guard case .transportFeedback(let decoded) = parsed.first else { Issue.record("not transport feedback"); continue }
            for arrival in decoded.packetArrivals() {
                if let time = arrival.arrivalMicroseconds { seen[arrival.sequenceNumber] = time } else { lost += 1 }
            }
        }
        #expect(lost == 300 / 17 + 1)
        #expect(seen.count == expected.count)
        // Times are relative to the feedback's reference; the deltas between packets survive
        // within the 250 µs resolution.
        let first = try #require(seen[65_400])
        for (sequence, micros) in expected {
            let got = try #require(seen[sequence])
            #expect(abs((got - first) - micros) <= 250, "packet \(sequence)")
        }
        #expect(log.makeFeedback(senderSSRC: 1, mediaSSRC: 2).isEmpty, "nothing is reported twice")
    }

    @Test("a packet that arrives after its number was reported lost is ignored")
    func late() {
        let start = ContinuousClock.now
        let log = TransportWideArrivalLog(epoch: start)
        log.record(sequenceNumber: 10, now: start)
        log.record(sequenceNumber: 12, now: start + .milliseconds(1))
        _ = log.makeFeedback(senderSSRC: 1, mediaSSRC: 2)
        log.record(sequenceNumber: 11, now: start + .milliseconds(2))
        #expect(!log.hasUnreported)
    }
}
