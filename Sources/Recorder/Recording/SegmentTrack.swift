import Media
import RTC

/// A track as a segment writes it: where its frames go and how its timeline maps onto the file's.
struct SegmentTrack {
    let key: TrackKey
    let description: TrackDescription
    let sourceCodec: SDP.SupportedCodec
    /// Re-encodes the frames on their way to the file (nil: written as sent).
    var transcoder: TrackTranscoder?
    /// The transcoder failed; the track's frames are no longer written.
    var transcodingFailed = false
    /// Index into the segment's writers, and the track's index in that writer.
    let writer: Int
    let index: Int
    /// Added to a frame's continuous timestamp (clock-rate ticks) to place it in the file.
    var tickOffset: Int64
    /// The sender's wall clock at the track's timeline origin when `tickOffset` was set.
    var origin: Double
    /// Audio: where the Opus packets written so far end, in the file's ticks (nil: none yet).
    var audioEnd: Int64?

    /// The rate of the file's timestamps for this track (`description.timeBase`), in ticks a second.
    var ticksPerSecond: Double { Self.ticksPerSecond(description) }

    static func ticksPerSecond(_ description: TrackDescription) -> Double {
        Double(description.timeBase.denominator) / Double(description.timeBase.numerator)
    }
}
