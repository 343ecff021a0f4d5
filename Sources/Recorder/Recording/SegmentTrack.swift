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
    /// Where `tickOffset` is headed when the track's placement moved (`RecordingSegment.retarget`).
    var targetTickOffset: Int64
    /// The continuous timestamp of the track's previous frame.
    var lastTimestamp: Int64?
    /// Audio: where the Opus packets written so far end, in the file's ticks (nil: none yet).
    var audioEnd: Int64?
    /// Frames dropped on their way to the media thread while it was behind.
    var framesDroppedWriterBehind = 0

    /// Takes the frame at `timestamp` and moves `tickOffset` toward its target by at most half
    /// the time since the previous frame: the track plays at most half again as fast or half as
    /// slow until it gets there, so its frames keep their order and none lands on another, where
    /// a jump back would pile them up and a jump ahead would leave a hole.
    mutating func slew(to timestamp: Int64) {
        defer { lastTimestamp = timestamp }
        guard tickOffset != targetTickOffset, let lastTimestamp else { return }
        let limit = max(0, timestamp - lastTimestamp) / 2
        tickOffset += min(max(targetTickOffset - tickOffset, -limit), limit)
    }

    /// The rate of the file's timestamps for this track (`description.timeBase`), in ticks a second.
    var ticksPerSecond: Double { Self.ticksPerSecond(description) }

    static func ticksPerSecond(_ description: TrackDescription) -> Double {
        Double(description.timeBase.denominator) / Double(description.timeBase.numerator)
    }
}
