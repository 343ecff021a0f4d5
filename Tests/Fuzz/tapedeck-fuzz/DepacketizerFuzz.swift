import RTC

/// One RTP stream's payloads through the frame assembler and the codec's depacketizer (VP8
/// RFC 7741, VP9 RFC 9628 draft, H.264 RFC 6184, Opus RFC 7587), as the receive pipeline feeds
/// them: per message, flags bit 0 is the marker, bit 1 starts a new timestamp, bit 2 says
/// packets were lost before this one. What comes out must describe itself consistently.
enum DepacketizerFuzz {
    static func run(_ input: UnsafeBufferPointer<UInt8>, codec: SDP.SupportedCodec) {
        var assembler = FrameAssembler(codec: codec)
        var messages = FuzzInput(input)
        var sequence: Int64 = 0
        var timestamp: Int64 = 0
        while let message = messages.next() {
            sequence += message.flags & 4 != 0 ? 2 : 1
            if message.flags & 2 != 0 { timestamp += 3_000 }
            let pushed = sequence
            message.bytes.withUnsafeBytes { payload in
                assembler.push(payload: payload, marker: message.flags & 1 != 0, sequence: sequence, timestamp: timestamp,
                               continuous: message.flags & 4 == 0) { frame, bytes in
                    fuzzCheck(frame.codec == codec, "a \(codec) assembler emitted a \(frame.codec) frame")
                    fuzzCheck(frame.firstSequence <= frame.lastSequence && frame.lastSequence <= pushed,
                              "frame sequences \(frame.firstSequence)...\(frame.lastSequence) after pushing \(pushed)")
                    fuzzCheck(frame.width == nil || frame.isKeyframe, "a delta frame carries dimensions")
                    fuzzCheck((frame.width == nil) == (frame.height == nil), "a frame has one dimension")
                    fuzzCheck(!(frame.isComplete && codec != .h264 && bytes.isEmpty), "a complete \(codec) frame is empty")
                    _ = bytes.reduce(0 as UInt8, &+)
                }
            }
        }
    }
}
