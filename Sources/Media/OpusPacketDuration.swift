/// How many 48 kHz samples an Opus packet decodes to, from its TOC byte (RFC 6716 §3.1–3.2).
/// Ogg's granule position and the last frame's duration in every container come from this; RTP
/// does not carry it, so it is read from the packet rather than guessed from the neighbours.
public enum OpusPacketDuration {
    public static func samples(_ packet: UnsafeRawBufferPointer) -> Int? {
        guard let toc = packet.first else { return nil }
        let frameSamples = samplesPerFrame(config: Int(toc >> 3))
        let frames: Int
        switch toc & 0x3 {
        case 0: frames = 1
        case 1, 2: frames = 2
        default:
            guard packet.count >= 2 else { return nil }
            frames = Int(packet[1] & 0x3F)
        }
        let total = frames * frameSamples
        // A packet holds at most 120 ms (RFC 6716 §3.2.5).
        return frames > 0 && total <= 5_760 ? total : nil
    }

    /// Frame size per configuration number (RFC 6716 Table 2), in samples at 48 kHz.
    private static func samplesPerFrame(config: Int) -> Int {
        switch config {
        case 0...11:  // SILK: 10, 20, 40, 60 ms
            [480, 960, 1_920, 2_880][config % 4]
        case 12...15:  // Hybrid: 10, 20 ms
            [480, 960][config % 2]
        default:  // CELT: 2.5, 5, 10, 20 ms
            [120, 240, 480, 960][config % 4]
        }
    }
}
