import RTC
import Testing

@Suite("RTCP timing and statistics helpers")
struct RTCPTimingTests {
    @Test("NTP timestamp: seconds and fraction, the compact middle form, seconds since 1900")
    func ntpTimestamp() {
        let timestamp = NTPTimestamp(seconds: 0xE8A1_B2C3, fraction: 0x8000_0000)
        #expect(timestamp.rawValue == 0xE8A1_B2C3_8000_0000)
        #expect(timestamp.seconds == 0xE8A1_B2C3 && timestamp.fraction == 0x8000_0000)
        // LSR: the low 16 bits of the seconds, the high 16 of the fraction (RFC 3550 §6.4.1).
        #expect(timestamp.compact == 0xB2C3_8000)
        #expect(timestamp.secondsSince1900 == 3_902_911_171.5)
        #expect(NTPTimestamp(secondsSince1900: 3_902_911_171.5) == timestamp)
        #expect(NTPTimestamp(secondsSince1900: 1.25).rawValue == 0x0000_0001_4000_0000)
        #expect(NTPTimestamp(secondsSince1900: -3).rawValue == 0)
        #expect(NTPTimestamp(secondsSince1900: .nan).rawValue == 0)
        #expect(NTPTimestamp(secondsSince1900: 5e9).rawValue == .max)
        #expect(NTPTimestamp(rawValue: 1) < NTPTimestamp(rawValue: 2))
    }

    @Test("DLSR: delays in 1/65536 s, from seconds or a Duration")
    func compactDuration() {
        #expect(NTPTimestamp.compactDuration(seconds: 1.5) == 98_304)
        #expect(NTPTimestamp.compactDuration(seconds: 0) == 0)
        #expect(NTPTimestamp.compactDuration(seconds: -1) == 0)
        #expect(NTPTimestamp.compactDuration(seconds: .nan) == 0)
        #expect(NTPTimestamp.compactDuration(seconds: 70_000) == .max)
        #expect(NTPTimestamp.compactDuration(.milliseconds(1_500)) == 98_304)
        #expect(NTPTimestamp.compactDuration(.nanoseconds(15_259)) == 1)
        #expect(NTPTimestamp.compactDuration(.nanoseconds(15_258)) == 0)
        #expect(NTPTimestamp.compactDuration(.seconds(-2)) == 0)
        #expect(NTPTimestamp.compactDuration(.seconds(65_535) + .nanoseconds(999_999_999)) == .max)
        #expect(NTPTimestamp.compactDuration(.seconds(100_000)) == .max)
    }

    @Test("REMB encoding: the largest representable bitrate not above the given one")
    func rembEncoding() {
        #expect(RTCPReceiverEstimatedMaximumBitrate.encode(bitrate: 0) == (0, 0))
        #expect(RTCPReceiverEstimatedMaximumBitrate.encode(bitrate: 0x3_FFFF) == (0, 0x3_FFFF))
        #expect(RTCPReceiverEstimatedMaximumBitrate.encode(bitrate: 0x4_0000) == (1, 0x2_0000))
        #expect(RTCPReceiverEstimatedMaximumBitrate.encode(bitrate: 0x4_0001) == (1, 0x2_0000))
        #expect(RTCPReceiverEstimatedMaximumBitrate.encode(bitrate: .max) == (46, 0x3_FFFF))
        for bitrate: UInt64 in [1, 255, 262_143, 262_144, 1_000_000, 2_500_001, 123_456_789_012, .max] {
            let remb = RTCPReceiverEstimatedMaximumBitrate(senderSSRC: 1, bitrate: bitrate, ssrcs: [])
            #expect(remb.bitrate <= bitrate)
            // One more unit of the mantissa would be above the bitrate.
            #expect(bitrate - remb.bitrate < UInt64(1) << remb.bitrateExponent)
        }
        // A peer's exponent can reach 63: the value saturates instead of overflowing.
        #expect(RTCPReceiverEstimatedMaximumBitrate(senderSSRC: 1, bitrateExponent: 63, bitrateMantissa: 2, ssrcs: []).bitrate == .max)
        #expect(RTCPReceiverEstimatedMaximumBitrate(senderSSRC: 1, bitrateExponent: 63, bitrateMantissa: 1, ssrcs: []).bitrate == 1 << 63)
    }

    @Test("interarrival jitter follows RFC 3550 §A.8 in integer arithmetic")
    func jitter() {
        var jitter = InterarrivalJitter()
        jitter.update(arrivalInClockUnits: 1_000, rtpTimestamp: 0)
        #expect(jitter.value == 0)
        // Transit 1000 then 1160: D = 160, J = 160/16 = 10.
        jitter.update(arrivalInClockUnits: 4_160, rtpTimestamp: 3_000)
        #expect(jitter.value == 10)
        // D = 0: J·16 = 160 − ((160 + 8) >> 4) = 150 → 9.
        jitter.update(arrivalInClockUnits: 7_160, rtpTimestamp: 6_000)
        #expect(jitter.value == 9)
    }

    @Test("jitter is unaffected by RTP timestamp wrap or the arrival clock's origin")
    func jitterWrap() {
        var near = InterarrivalJitter()
        var wrapped = InterarrivalJitter()
        var random = FuzzRandom(seed: 0x0A08)
        var arrival: Int64 = 0
        for index in 0..<500 {
            let rtp = UInt32(index * 3_000)
            arrival += 3_000 + Int64.random(in: -400...400, using: &random)
            near.update(arrivalInClockUnits: arrival, rtpTimestamp: rtp)
            wrapped.update(arrivalInClockUnits: arrival - 9_000_000_000, rtpTimestamp: rtp &+ 0xFFFF_0000)
        }
        #expect(near.value == wrapped.value)
        // Transit differences uniform in ±400 have a mean magnitude of 200; J hovers near it.
        #expect((120...300).contains(near.value))
    }

    @Test("jitter of a steady stream is zero")
    func jitterSteady() {
        var jitter = InterarrivalJitter()
        for index in 0..<100 { jitter.update(arrivalInClockUnits: 77 + Int64(index) * 960, rtpTimestamp: UInt32(index * 960)) }
        #expect(jitter.value == 0)
    }

    @Test("fraction lost and cumulative loss follow RFC 3550 §A.3")
    func lossCounting() {
        var counter = ReceptionLossCounter()
        // 100 expected, 90 received: 10 lost, 10 × 256 / 100 = 25.
        #expect(counter.nextReport(expected: 100, received: 90) == (25, 10))
        // Next interval: 100 more expected, 100 more received.
        #expect(counter.nextReport(expected: 200, received: 190) == (0, 10))
        // Duplicates: more received than expected. Fraction 0, cumulative loss negative.
        #expect(counter.nextReport(expected: 210, received: 215) == (0, -5))
        // Everything lost in an interval: 256/256 reported as 255.
        #expect(counter.nextReport(expected: 260, received: 215) == (255, 45))
        // Nothing expected since the last report.
        #expect(counter.nextReport(expected: 260, received: 215) == (0, 45))
    }

    @Test("loss figures saturate at the field limits")
    func lossLimits() {
        #expect(ReceptionLossCounter.cumulativeLost(expected: 20_000_000, received: 0) == 0x7F_FFFF)
        #expect(ReceptionLossCounter.cumulativeLost(expected: 0, received: 20_000_000) == -0x80_0000)
        #expect(ReceptionLossCounter.cumulativeLost(expected: .min, received: .max) == -0x80_0000)
        #expect(ReceptionLossCounter.fractionLost(expectedInInterval: .max, receivedInInterval: 1) == 255)
        #expect(ReceptionLossCounter.fractionLost(expectedInInterval: .max, receivedInInterval: .max / 2) == 128)
        #expect(ReceptionLossCounter.fractionLost(expectedInInterval: -5, receivedInInterval: 0) == 0)
        #expect(ReceptionLossCounter.fractionLost(expectedInInterval: 1, receivedInInterval: .min) == 0)
        #expect(ReceptionLossCounter.fractionLost(expectedInInterval: 3, receivedInInterval: 2) == 85)
    }
}
