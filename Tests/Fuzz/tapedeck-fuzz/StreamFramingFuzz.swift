import RTC

/// Byte streams cut into messages: TURN over TCP/TLS (STUN by its length, ChannelData padded to
/// 4, RFC 8656 §12.5) and ICE-TCP (RFC 4571 length prefixes). Whatever the stream, reading it in
/// one piece and reading it cut at the read sizes the input's first 8 bytes choose must deliver
/// the same messages and fail (or not) at the same place: a peer controls where TCP cuts its bytes.
enum StreamFramingFuzz {
    static func run(_ input: UnsafeBufferPointer<UInt8>, framing: Framing) {
        guard input.count > 8 else { return }
        let cuts = input.prefix(8).map { Int($0) + 1 }
        let stream = Array(input.dropFirst(8))
        let whole = framing.read([stream])
        var pieces: [[UInt8]] = []
        var offset = 0
        var index = 0
        while offset < stream.count {
            let size = min(cuts[index % cuts.count], stream.count - offset)
            pieces.append(Array(stream[offset ..< offset + size]))
            offset += size
            index += 1
        }
        let cut = framing.read(pieces)
        fuzzCheck(cut.messages == whole.messages && cut.failed == whole.failed,
                  "\(framing): read whole \(whole), read in \(pieces.count) pieces \(cut)")
        fuzzCheck(whole.messages.reduce(0) { $0 + $1.count } <= stream.count, "\(framing) delivered more bytes than it read")
    }

    enum Framing {
        case turn, iceTCP

        /// The messages delivered, in order, and whether the stream was refused.
        func read(_ pieces: [[UInt8]]) -> (messages: [[UInt8]], failed: Bool) {
            var messages: [[UInt8]] = []
            switch self {
            case .turn:
                var framer = TurnStreamFramer()
                for piece in pieces {
                    do {
                        try piece.withUnsafeBytes { bytes in try framer.receive(bytes) { messages.append(Array($0)) } }
                    } catch {
                        return (messages, true)
                    }
                }
            case .iceTCP:
                var reader = FramedPacketReader()
                for var piece in pieces {
                    do {
                        try piece.withUnsafeMutableBytes { bytes in try reader.receive(bytes) { messages.append(Array($0)) } }
                    } catch {
                        return (messages, true)
                    }
                }
            }
            return (messages, false)
        }
    }
}
