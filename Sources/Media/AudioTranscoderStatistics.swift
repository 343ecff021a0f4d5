/// What an `AudioTranscoder` did with its input, for the recording's manifest.
public struct AudioTranscoderStatistics: Sendable, Hashable {
    /// Opus packets handed to `transcode`.
    public var packetsReceived = 0
    /// Packets the decoder refused: skipped; their time is filled like any gap.
    public var packetsUndecodable = 0
    /// Packets whose whole time was covered already (repeats, late arrivals): not decoded.
    public var packetsDroppedLate = 0
    /// Samples (per channel) the decoder produced.
    public var samplesDecoded: Int64 = 0
    /// Gaps in the input timeline (DTX, loss, a muted microphone) filled with silence, and how
    /// many samples of it, per channel.
    public var gapsFilled = 0
    public var silenceSamplesInserted: Int64 = 0
    /// Gaps longer than `Settings.maximumSilenceFill`, left as holes in the track.
    public var holesKept = 0
    /// AAC frames out, encoded or (long silences) repeated.
    public var framesEncoded = 0
    /// Of those, copies of one silent frame standing in for the middle of long gaps.
    public var silentFramesRepeated = 0

    public init() {}
}
