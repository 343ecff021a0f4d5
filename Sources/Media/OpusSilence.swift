/// Twenty milliseconds of silence as one Opus packet: what a recording writes where the sender
/// sent nothing but the file's audio has to go on (a track that DTX left short of the video).
///
/// 0xF8 is the TOC byte (RFC 6716 §3.1): configuration 31 (CELT-only, fullband, 20 ms), mono,
/// one frame. 0xFF 0xFE is a CELT frame whose first symbol, the silence flag (§4.3), is set:
/// every decoder turns it into 960 samples of zeros, in a mono or a stereo stream alike.
public enum OpusSilence {
    public static let packet: [UInt8] = [0xF8, 0xFF, 0xFE]
    /// Samples at 48 kHz, Opus's clock whatever the source rate (RFC 7587).
    public static let samples: Int64 = 960
}
