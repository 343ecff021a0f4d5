extension AudioTranscoder {
    /// How the AAC encoder runs, and which gaps in the input are filled.
    public struct Settings: Sendable, Hashable {
        /// AAC bitrate per channel, kbit/s (64 is transparent-ish for speech with libavcodec's
        /// encoder; a stereo stream gets twice that).
        public var bitrateKbpsPerChannel: Int
        /// Gaps in the input timeline up to this long are filled with silence; longer ones stay
        /// holes in the track (its timestamps jump, so it keeps wall time either way). Filling
        /// is cheap at any length (see `AudioTranscoder`); the limit is there for a broken
        /// upstream timeline, where a jump of hours is a fault to show, not a pause to fill.
        public var maximumSilenceFill: Duration

        public init(bitrateKbpsPerChannel: Int = 64, maximumSilenceFill: Duration = .seconds(3_600)) {
            self.bitrateKbpsPerChannel = bitrateKbpsPerChannel
            self.maximumSilenceFill = maximumSilenceFill
        }

        func validate() throws(TranscoderError) {
            guard (8...320).contains(bitrateKbpsPerChannel) else {
                throw TranscoderError(operation: "configure AAC encoder",
                                      reason: .invalidSettings("bitrate \(bitrateKbpsPerChannel) kbit/s per channel is not within 8...320"))
            }
            guard maximumSilenceFill >= .zero else {
                throw TranscoderError(operation: "configure AAC encoder",
                                      reason: .invalidSettings("maximum silence fill \(maximumSilenceFill) is negative"))
            }
        }
    }
}
