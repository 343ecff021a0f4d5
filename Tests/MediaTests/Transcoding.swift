import Media
import MediaTestSupport

/// Runs encoded streams through the transcoders and into files, as the recorder will.
enum Transcoding {
    /// Every frame of `stream` through `transcoder`, then its flush: the H.264 frames out.
    static func video(_ stream: EncodedStream, _ transcoder: VideoTranscoder) throws -> [TranscodedFrame] {
        var output: [TranscodedFrame] = []
        for frame in stream.frames {
            output += try transcoder.transcode(frame.data, pts: frame.pts, isKeyframe: frame.isKeyframe)
        }
        return output + (try transcoder.flush())
    }

    static func audio(_ stream: EncodedStream, _ transcoder: AudioTranscoder) throws -> [TranscodedFrame] {
        var output: [TranscodedFrame] = []
        for frame in stream.frames { output += try transcoder.transcode(frame.data, pts: frame.pts) }
        return output + (try transcoder.flush())
    }

    /// A one-track fragmented MP4 of `frames`.
    static func writeMP4(_ path: String, track: TrackDescription, frames: [TranscodedFrame]) throws {
        let writer = try MediaFileWriter(path: path, container: .mp4, tracks: [track])
        for frame in frames {
            try writer.write(track: 0, data: frame.data, pts: frame.pts, isKeyframe: frame.isKeyframe, duration: frame.duration)
        }
        try writer.finish()
    }

    /// `first` followed by `second`, whose frames start one frame interval after `first`'s last.
    static func concatenated(_ first: EncodedStream, _ second: EncodedStream) -> EncodedStream {
        var joined = first
        let last = first.frames.map(\.pts).max() ?? 0
        joined.frames += second.retimed(to: first.timeBase, start: last + 3_000).frames
        return joined
    }
}
