import RTC
import Testing

@Suite("Transport-wide feedback builder")
struct TransportFeedbackBuilderTests {
    static let builder = TransportFeedbackBuilder(senderSSRC: 1, mediaSSRC: 0x1234_5678)

    static func arrival(_ sequenceNumber: UInt16, _ microseconds: Int64?) -> TransportPacketArrival {
        TransportPacketArrival(sequenceNumber: sequenceNumber, arrivalMicroseconds: microseconds)
    }

    /// Worked by hand. Reference: 1_000_100 µs rounds down to 15 × 64 ms = 960_000 µs. Each delta
    /// is taken from the time the feedback states for the previous packet, and rounded:
    ///
    ///     seq   arrival     from stated   ticks  stated after   symbol
    ///     1000  1_000_100   960_000       160    1_000_000      small A0
    ///     1001  1_001_200   1_000_000     4.8→5  1_001_250      small 05
    ///     1002  1_002_300   1_001_250     4.2→4  1_002_250      small 04
    ///     1003  1_003_400   1_002_250     4.6→5  1_003_500      small 05
    ///     1004  1_004_500   1_003_500     4      1_004_500      small 04
    ///     1005, 1006 not received                               —
    ///     1007  1_003_000   1_004_500     −6     1_003_000      large FF FA
    ///     1008  1_100_000   1_003_000     388    1_100_000      large 01 84
    ///     1009  1_100_130   1_100_000     0.52→1 1_100_250      small 01
    ///
    /// (Rounding each 1_100 µs gap on its own would say 4 ticks four times, 400 µs short by 1004.)
    /// Chunks: symbols 1 1 1 1 1 0 0 | 2 2 1 — the large delta ends the first seven as a two-bit
    /// vector 11 01 01 01 01 01 00 00 = D5 50; the rest is 11 10 10 01 00 00 00 00 = E9 00.
    /// 34 octets, padded with 2 (P bit, last octet 02) to 36: length 8.
    static let workedExampleArrivals: [TransportPacketArrival] = [
        arrival(1_000, 1_000_100), arrival(1_001, 1_001_200), arrival(1_002, 1_002_300), arrival(1_003, 1_003_400),
        arrival(1_004, 1_004_500), arrival(1_005, nil), arrival(1_006, nil), arrival(1_007, 1_003_000),
        arrival(1_008, 1_100_000), arrival(1_009, 1_100_130),
    ]
    static let workedExampleBytes = hexBytes("""
        af cd 00 08 00 00 00 01 12 34 56 78 03 e8 00 0a 00 00 0f 05
        d5 50 e9 00 a0 05 04 05 04 ff fa 01 84 01 00 02
        """)

    @Test("worked example: reference time, rounding from the stated time, chunks, padding")
    func workedExample() throws {
        let result = Self.builder.build(baseSequenceNumber: 1_000, feedbackPacketCount: 5, arrivals: Self.workedExampleArrivals)
        #expect(result.coveredArrivals == 10)
        #expect(result.feedback.referenceTime == 15)
        #expect(serializedRTCP(.transportFeedback(result.feedback)) == Self.workedExampleBytes)
        #expect(try parseSingleRTCPPacket(Self.workedExampleBytes) == .transportFeedback(result.feedback))
        #expect(result.feedback.packetArrivals() == [
            Self.arrival(1_000, 1_000_000), Self.arrival(1_001, 1_001_250), Self.arrival(1_002, 1_002_250),
            Self.arrival(1_003, 1_003_500), Self.arrival(1_004, 1_004_500), Self.arrival(1_005, nil), Self.arrival(1_006, nil),
            Self.arrival(1_007, 1_003_000), Self.arrival(1_008, 1_100_000), Self.arrival(1_009, 1_100_250),
        ])
    }

    @Test("packets left out of the list are reported as not received, like explicit misses")
    func implicitMisses() {
        let explicit = Self.builder.build(baseSequenceNumber: 1_000, feedbackPacketCount: 5, arrivals: Self.workedExampleArrivals)
        let implicit = Self.builder.build(
            baseSequenceNumber: 1_000, feedbackPacketCount: 5,
            arrivals: Self.workedExampleArrivals.filter { $0.arrivalMicroseconds != nil })
        #expect(implicit.feedback == explicit.feedback)
        #expect(implicit.coveredArrivals == 8)
    }

    @Test("rounding errors do not accumulate over 1000 packets 1.1 ms apart")
    func noAccumulatedRounding() {
        let arrivals = (0..<1_000).map { Self.arrival(UInt16($0), 2_000_000 + Int64($0) * 1_100) }
        let result = Self.builder.build(baseSequenceNumber: 0, feedbackPacketCount: 0, arrivals: arrivals)
        #expect(result.coveredArrivals == 1_000)
        for (reported, actual) in zip(result.feedback.packetArrivals(), arrivals) {
            #expect(abs(reported.arrivalMicroseconds! - actual.arrivalMicroseconds!) <= 125)
        }
    }

    @Test("a gap too long for a 16-bit delta ends the feedback; the next one starts there")
    func deltaOverflowSplits() throws {
        let arrivals = [Self.arrival(7, 1_000_000), Self.arrival(8, 1_010_000), Self.arrival(9, 11_000_000), Self.arrival(10, 11_000_500)]
        let first = Self.builder.build(baseSequenceNumber: 7, feedbackPacketCount: 0, arrivals: arrivals)
        #expect(first.coveredArrivals == 2)
        #expect(first.feedback.packetStatuses == [.receivedSmallDelta(160), .receivedSmallDelta(40)])
        let second = Self.builder.build(
            baseSequenceNumber: 9, feedbackPacketCount: 1, arrivals: arrivals.dropFirst(first.coveredArrivals))
        #expect(second.coveredArrivals == 2)
        #expect(second.feedback.baseSequenceNumber == 9)
        #expect(second.feedback.packetArrivals().map(\.arrivalMicroseconds) == [11_000_000, 11_000_500])
    }

    @Test("negative and just-too-large deltas: −8192 ms fits, +8192 ms does not")
    func deltaLimits() {
        let arrivals = [Self.arrival(0, 20_000_000), Self.arrival(1, 20_000_000 - 8_192_000), Self.arrival(2, 20_000_000)]
        let result = Self.builder.build(baseSequenceNumber: 0, feedbackPacketCount: 0, arrivals: arrivals)
        #expect(result.coveredArrivals == 2)
        #expect(result.feedback.packetStatuses.last == .receivedLargeOrNegativeDelta(-32_768))
    }

    @Test("an explicit reference time: deltas measured from it, and none at all if the first is out of reach")
    func explicitReferenceTime() {
        let arrivals = [Self.arrival(0, 1_000_000)]
        let near = Self.builder.build(baseSequenceNumber: 0, feedbackPacketCount: 0, referenceTimeMicroseconds: 0, arrivals: arrivals)
        #expect(near.feedback.referenceTime == 0)
        #expect(near.feedback.packetStatuses == [.receivedLargeOrNegativeDelta(4_000)])
        let far = Self.builder.build(baseSequenceNumber: 0, feedbackPacketCount: 0, referenceTimeMicroseconds: -9_000_000, arrivals: arrivals)
        #expect(far.coveredArrivals == 0 && far.feedback.packetStatuses.isEmpty)
    }

    @Test("duplicates and packets behind the base are skipped but count as covered")
    func duplicates() {
        let arrivals = [Self.arrival(4, 1_000), Self.arrival(5, 2_000), Self.arrival(6, 3_000), Self.arrival(6, 3_500),
                        Self.arrival(5, 4_000), Self.arrival(7, 5_000)]
        let result = Self.builder.build(baseSequenceNumber: 5, feedbackPacketCount: 0, arrivals: arrivals)
        #expect(result.coveredArrivals == 6)
        #expect(result.feedback.packetArrivals().map(\.sequenceNumber) == [5, 6, 7])
        #expect(result.feedback.referenceTime == 0)
    }

    @Test("sequence numbers wrap from 65535 to 0")
    func sequenceWrap() {
        let arrivals = [Self.arrival(65_534, 100_000), Self.arrival(65_535, 101_000), Self.arrival(1, 102_000)]
        let result = Self.builder.build(baseSequenceNumber: 65_534, feedbackPacketCount: 0, arrivals: arrivals)
        #expect(result.coveredArrivals == 3)
        #expect(result.feedback.packetArrivals() == [
            Self.arrival(65_534, 100_000), Self.arrival(65_535, 101_000), Self.arrival(0, nil), Self.arrival(1, 102_000),
        ])
    }

    @Test("the status count stops short of 65536")
    func statusCountLimit() throws {
        let arrivals = [Self.arrival(0, 1_000_000), Self.arrival(30_000, 1_001_000), Self.arrival(60_000, 1_002_000),
                        Self.arrival(4_464, 1_003_000)]
        let result = Self.builder.build(baseSequenceNumber: 0, feedbackPacketCount: 0, arrivals: arrivals)
        #expect(result.coveredArrivals == 3)
        #expect(result.feedback.packetStatuses.count == 60_001)
        let bytes = serializedRTCP(.transportFeedback(result.feedback))
        #expect(bytes.count <= 1_200)
        #expect(try parseSingleRTCPPacket(bytes) == .transportFeedback(result.feedback))
    }

    @Test("random arrivals: every feedback fits the size limit, round-trips, and reports times within 125 µs",
          arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func randomArrivals(seed: UInt64) throws {
        var random = FuzzRandom(seed: 0x7CC0_0000 + seed)
        var arrivals: [TransportPacketArrival] = []
        var sequenceNumber = UInt16.random(in: 0...UInt16.max, using: &random)
        var time: Int64 = 5_000_000
        for _ in 0..<3_000 {
            sequenceNumber &+= UInt16(Int.random(in: 0..<20, using: &random) == 0 ? Int.random(in: 1...300, using: &random) : 1)
            time += Int64.random(in: -3_000...(seed % 2 == 0 ? 9_000_000 : 40_000), using: &random)
            let lost = Int.random(in: 0..<10, using: &random) == 0
            arrivals.append(Self.arrival(sequenceNumber, lost ? nil : time))
        }
        let builder = TransportFeedbackBuilder(senderSSRC: 9, maximumPacketSize: seed == 3 ? 200 : 1_200)
        var remaining = arrivals[...]
        var reported: [TransportPacketArrival] = []
        var feedbackCount: UInt8 = 0
        while let first = remaining.first {
            let result = builder.build(baseSequenceNumber: first.sequenceNumber, feedbackPacketCount: feedbackCount, arrivals: remaining)
            try #require(result.coveredArrivals > 0)
            let bytes = serializedRTCP(.transportFeedback(result.feedback))
            #expect(bytes.count <= builder.maximumPacketSize)
            #expect(try parseSingleRTCPPacket(bytes) == .transportFeedback(result.feedback))
            reported += result.feedback.packetArrivals()
            remaining = remaining.dropFirst(result.coveredArrivals)
            feedbackCount &+= 1
        }
        let received = reported.filter { $0.arrivalMicroseconds != nil }
        let expected = arrivals.filter { $0.arrivalMicroseconds != nil }
        #expect(received.map(\.sequenceNumber) == expected.map(\.sequenceNumber))
        for (report, truth) in zip(received, expected) {
            #expect(abs(report.arrivalMicroseconds! - truth.arrivalMicroseconds!) <= 125)
        }
    }
}
