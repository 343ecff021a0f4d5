extension RTCPTransportFeedback {
    /// Octets of the fixed FCI fields: base sequence number, packet status count, reference time
    /// and feedback packet count (§3.1).
    static let fixedFieldsLength = 8

    /// Reads the FCI of §3.1: the fixed fields, packet chunks until the status count is covered
    /// (the last chunk may cover more, the excess is ignored), then one receive delta per
    /// received packet. Octets after the deltas are ignored.
    init(parsing body: RTCPPacketBody) throws(RTCPParseError) {
        let (sender, media) = try body.feedbackSSRCs()
        let fci = body.feedbackControlInformation
        guard fci.count >= Self.fixedFieldsLength else { throw .truncatedTransportFeedback(offset: body.offset) }
        let statusCount = Int(fci.readUInt16(at: 2))
        let referenceWord = fci.readUInt32(at: 4)

        var symbols: [UInt8] = []
        symbols.reserveCapacity(min(statusCount, fci.count * 7))
        var position = Self.fixedFieldsLength
        while symbols.count < statusCount {
            guard position + 2 <= fci.count else { throw .truncatedTransportFeedback(offset: body.offset) }
            let chunk = fci.readUInt16(at: position)
            position += 2
            let wanted = statusCount - symbols.count
            if chunk & 0x8000 == 0 {
                let runLength = min(Int(chunk & 0x1FFF), wanted)
                symbols.append(contentsOf: repeatElement(UInt8(chunk >> 13 & 0x3), count: runLength))
            } else if chunk & 0x4000 == 0 {
                for index in 0..<min(14, wanted) { symbols.append(UInt8(chunk >> (13 - index) & 0x1)) }
            } else {
                for index in 0..<min(7, wanted) { symbols.append(UInt8(chunk >> (12 - 2 * index) & 0x3)) }
            }
        }

        var statuses: [PacketStatus] = []
        statuses.reserveCapacity(symbols.count)
        for symbol in symbols {
            switch symbol {
            case 0:
                statuses.append(.notReceived)
            case 1:
                guard position + 1 <= fci.count else { throw .truncatedTransportFeedback(offset: body.offset) }
                statuses.append(.receivedSmallDelta(fci[position]))
                position += 1
            case 2:
                guard position + 2 <= fci.count else { throw .truncatedTransportFeedback(offset: body.offset) }
                statuses.append(.receivedLargeOrNegativeDelta(Int16(bitPattern: fci.readUInt16(at: position))))
                position += 2
            default:
                throw .reservedTransportFeedbackSymbol(offset: body.offset)
            }
        }
        self.init(
            senderSSRC: sender, mediaSSRC: media, baseSequenceNumber: fci.readUInt16(at: 0),
            // The top 24 bits, sign-extended.
            referenceTime: Int32(bitPattern: referenceWord) >> 8,
            feedbackPacketCount: UInt8(truncatingIfNeeded: referenceWord), packetStatuses: statuses)
    }

    /// Writes the packet; the chunks are chosen by `TransportFeedbackChunkWriter`, and the packet
    /// is brought to 32 bits with RTCP padding (P bit) as libwebrtc does.
    public func serialize(into bytes: inout [UInt8]) {
        let statuses = packetStatuses.prefix(Self.maximumPacketStatusCount)
        var chunkWriter = TransportFeedbackChunkWriter()
        for status in statuses { chunkWriter.append(status.symbol) }

        let start = bytes.beginRTCPPacket(
            count: RTCPPacketType.transportFeedbackFormat, packetType: RTCPPacketType.transportLayerFeedback)
        bytes.appendUInt32(senderSSRC)
        bytes.appendUInt32(mediaSSRC)
        bytes.appendUInt16(baseSequenceNumber)
        bytes.appendUInt16(UInt16(statuses.count))
        bytes.appendUInt32(UInt32(bitPattern: referenceTime) << 8 | UInt32(feedbackPacketCount))
        for chunk in chunkWriter.finishedChunks() { bytes.appendUInt16(chunk) }
        for status in statuses {
            switch status {
            case .notReceived: break
            case .receivedSmallDelta(let ticks): bytes.append(ticks)
            case .receivedLargeOrNegativeDelta(let ticks): bytes.appendUInt16(UInt16(bitPattern: ticks))
            }
        }
        bytes.finishRTCPPacket(startingAt: start)
    }
}
