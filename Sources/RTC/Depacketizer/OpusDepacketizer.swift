/// Opus over RTP (RFC 7587 §4.2): the payload is exactly one Opus packet, which is the frame.
///
/// Checks the packet against the framing rules of RFC 6716 §3.4 that need no decoding, so that
/// garbage is counted rather than handed to a writer: at least one byte (R1; DTX still sends
/// 1–3 bytes, so a zero-length payload is never legitimate), an even remainder for code 1 (R3), a
/// first frame length that fits for code 2 (R4), and for code 3 a frame count byte with at most
/// 120 ms of audio (R5).
struct OpusDepacketizer {
    func isValid(_ payload: UnsafeRawBufferPointer) -> Bool {
        guard !payload.isEmpty else { return false }
        let tableOfContents = payload[0]
        switch tableOfContents & 0x03 {
        case 0:
            return true
        case 1:
            return (payload.count - 1) % 2 == 0
        case 2:
            guard payload.count >= 2 else { return false }
            let first = Int(payload[1])
            if first < 252 { return 1 + 1 + first <= payload.count }
            guard payload.count >= 3 else { return false }
            return 1 + 2 + first + 4 * Int(payload[2]) <= payload.count
        default:
            guard payload.count >= 2 else { return false }
            let frameCount = Int(payload[1] & 0x3F)
            return frameCount >= 1 && frameCount * Self.frameDuration(tableOfContents) <= 48
        }
    }

    /// One frame's duration in units of 2.5 ms, from the configuration number (RFC 6716 §3.1).
    private static func frameDuration(_ tableOfContents: UInt8) -> Int {
        let configuration = tableOfContents >> 3
        switch (configuration, configuration % 4) {
        case (0...11, 3): return 24  // SILK: 10, 20, 40, 60 ms
        case (0...11, let size): return 4 << size
        case (12...15, let size): return 4 << (size % 2)  // hybrid: 10, 20 ms
        case (_, let size): return 1 << size  // CELT: 2.5, 5, 10, 20 ms
        }
    }
}
