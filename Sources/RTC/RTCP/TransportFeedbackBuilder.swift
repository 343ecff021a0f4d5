/// Builds transport-wide congestion control feedback
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1) from the packets a receiver saw,
/// covering as many as fit one packet; the caller sends the rest in the next feedback.
public struct TransportFeedbackBuilder: Sendable, Hashable {
    /// What one call produced.
    public struct Result: Sendable, Hashable {
        public var feedback: RTCPTransportFeedback
        /// How many of the given arrivals the feedback accounts for, counted from the first; the
        /// next feedback starts at the one after (and, normally, at its sequence number).
        public var coveredArrivals: Int
    }

    public var senderSSRC: UInt32
    public var mediaSSRC: UInt32
    /// The whole RTCP packet is kept at or under this many octets, so it fits a datagram beside
    /// the SRTCP trailer and other packets of a compound.
    public var maximumPacketSize: Int

    public init(senderSSRC: UInt32, mediaSSRC: UInt32 = 0, maximumPacketSize: Int = 1_200) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.maximumPacketSize = maximumPacketSize
    }

    /// Octets of a feedback packet before its chunks: header, two SSRCs, fixed FCI fields.
    private static let fixedLength = 12 + RTCPTransportFeedback.fixedFieldsLength

    /// Reports `arrivals`, in order of sequence number, from `baseSequenceNumber` on. Sequence
    /// numbers skipped between arrivals are reported as not received, as are arrivals without a
    /// time; an arrival behind the next sequence number to report (a duplicate, or one before the
    /// base, by wrapping comparison) is skipped but counted as covered.
    ///
    /// The reference time is `referenceTimeMicroseconds`, or by default the time of the first
    /// received arrival reported, rounded down to 64 ms. Each delta is measured from the previous
    /// packet's time *as the feedback states it* (reference plus the deltas written so far), and
    /// rounded to the nearest 250 µs tick, so rounding errors do not accumulate along the feedback.
    ///
    /// The feedback stops before an arrival whose delta does not fit 16 signed bits (±8.19 s),
    /// that would take the status count past 65535, or that would take the packet past
    /// `maximumPacketSize`; `coveredArrivals` says where. The first arrival is always taken when
    /// its delta fits, so with the default reference time every call covers at least one.
    public func build(
        baseSequenceNumber: UInt16, feedbackPacketCount: UInt8, referenceTimeMicroseconds: Int64? = nil,
        arrivals: some Collection<TransportPacketArrival>
    ) -> Result {
        let unit = RTCPTransportFeedback.referenceTimeUnitMicroseconds
        var referenceUnits = referenceTimeMicroseconds.map { Self.floorDivide($0, unit) }
        // The time the feedback states for the previous received packet, once there is a reference.
        // Wrapping arithmetic: times near Int64's ends wrap here and then fail `ticks(from:to:)`.
        var statedTime = referenceUnits.map { $0 &* unit }
        var statuses: [RTCPTransportFeedback.PacketStatus] = []
        var chunkWriter = TransportFeedbackChunkWriter()
        var deltaOctets = 0
        var covered = 0

        for arrival in arrivals {
            let nextSequenceNumber = baseSequenceNumber &+ UInt16(truncatingIfNeeded: statuses.count)
            let skipped = Int(Int16(bitPattern: arrival.sequenceNumber &- nextSequenceNumber))
            if skipped < 0 {
                covered += 1
                continue
            }
            guard statuses.count + skipped < RTCPTransportFeedback.maximumPacketStatusCount else { break }

            var status = RTCPTransportFeedback.PacketStatus.notReceived
            var ticks: Int64 = 0
            if let time = arrival.arrivalMicroseconds {
                let previous = statedTime ?? Self.floorDivide(time, unit) &* unit
                guard let rounded = Self.ticks(from: previous, to: time) else { break }
                ticks = rounded
                if let small = UInt8(exactly: ticks) {
                    status = .receivedSmallDelta(small)
                } else if let large = Int16(exactly: ticks) {
                    status = .receivedLargeOrNegativeDelta(large)
                } else {
                    break
                }
            }
            let statusOctets = status.deltaLength
            // An upper bound on the chunks this arrival can add: it may close the buffered chunk,
            // the skipped run needs one chunk per 8191, and its own symbol may open another.
            let chunkBound = chunkWriter.chunkCountWhenFinished + 2 + skipped / TransportFeedbackChunkWriter.maximumRunLength
            let length = Self.fixedLength + 2 * chunkBound + deltaOctets + statusOctets
            guard statuses.isEmpty || (length + 3) / 4 * 4 <= maximumPacketSize else { break }

            for _ in 0..<skipped {
                statuses.append(.notReceived)
                chunkWriter.append(0)
            }
            statuses.append(status)
            chunkWriter.append(status.symbol)
            deltaOctets += statusOctets
            if let time = arrival.arrivalMicroseconds {
                let units = referenceUnits ?? Self.floorDivide(time, unit)
                referenceUnits = units
                statedTime = (statedTime ?? units &* unit) &+ ticks * RTCPTransportFeedback.deltaTickMicroseconds
            }
            covered += 1
        }

        let feedback = RTCPTransportFeedback(
            senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, baseSequenceNumber: baseSequenceNumber,
            referenceTime: Self.wrapToSigned24(referenceUnits ?? 0), feedbackPacketCount: feedbackPacketCount,
            packetStatuses: statuses)
        return Result(feedback: feedback, coveredArrivals: covered)
    }

    /// (to − from) in 250 µs ticks, rounded half away from zero; nil when far outside any delta.
    static func ticks(from: Int64, to: Int64) -> Int64? {
        let (difference, overflow) = to.subtractingReportingOverflow(from)
        guard !overflow, difference.magnitude < 1 << 40 else { return nil }
        let half = RTCPTransportFeedback.deltaTickMicroseconds / 2
        if difference >= 0 { return (difference + half) / RTCPTransportFeedback.deltaTickMicroseconds }
        return -((-difference + half) / RTCPTransportFeedback.deltaTickMicroseconds)
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    /// The reference time field is 24-bit signed: the low 24 bits, sign-extended.
    static func wrapToSigned24(_ value: Int64) -> Int32 {
        Int32(truncatingIfNeeded: (value << 40) >> 40)
    }
}
