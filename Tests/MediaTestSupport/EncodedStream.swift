internal import CFFmpeg
public import Media

/// One encoded frame as a depacketizer would hand it over: bytes, a timestamp, a keyframe flag.
public struct EncodedFrame: Sendable {
    public var data: [UInt8]
    public var pts: Int64
    public var isKeyframe: Bool
}

/// The first stream of a file the ffmpeg CLI encoded, read back with libavformat into frames:
/// real encoder output to feed the writers, without an encoder in the test.
public struct EncodedStream: Sendable {
    public var codecName: String
    public var timeBase: TimeBase
    public var width: Int
    public var height: Int
    public var sampleRate: Int
    public var channels: Int
    public var extradata: [UInt8]?
    public var frames: [EncodedFrame]

    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func read(_ path: String) throws(ReadError) -> EncodedStream {
        var allocated: UnsafeMutablePointer<AVFormatContext>?
        guard avformat_open_input(&allocated, path, nil, nil) == 0, let context = allocated else {
            throw ReadError(description: "cannot open \(path)")
        }
        defer { avformat_close_input(&allocated) }
        guard avformat_find_stream_info(context, nil) >= 0, context.pointee.nb_streams > 0 else {
            throw ReadError(description: "no streams in \(path)")
        }
        let parameters = context.pointee.streams[0]!.pointee.codecpar!.pointee
        let base = context.pointee.streams[0]!.pointee.time_base
        var stream = EncodedStream(
            codecName: String(cString: avcodec_get_name(parameters.codec_id)),
            timeBase: TimeBase(base.num, base.den), width: Int(parameters.width), height: Int(parameters.height),
            sampleRate: Int(parameters.sample_rate), channels: Int(parameters.ch_layout.nb_channels),
            extradata: parameters.extradata.map { Array(UnsafeBufferPointer(start: $0, count: Int(parameters.extradata_size))) },
            frames: [])
        var packet = av_packet_alloc()
        defer { av_packet_free(&packet) }
        while av_read_frame(context, packet) >= 0 {
            defer { av_packet_unref(packet) }
            let current = packet!.pointee
            guard current.stream_index == 0, current.size > 0 else { continue }
            stream.frames.append(EncodedFrame(
                data: Array(UnsafeBufferPointer(start: current.data, count: Int(current.size))),
                pts: current.pts, isKeyframe: current.flags & AV_PKT_FLAG_KEY != 0))
        }
        return stream
    }

    /// The same frames with timestamps in `timeBase`, the first at `start` — what an RTP
    /// timeline (90 kHz video, 48 kHz Opus) starting with the recording looks like.
    public func retimed(to timeBase: TimeBase, start: Int64 = 0) -> EncodedStream {
        var copy = self
        let from = AVRational(num: self.timeBase.numerator, den: self.timeBase.denominator)
        let to = AVRational(num: timeBase.numerator, den: timeBase.denominator)
        let first = frames.map(\.pts).min() ?? 0
        copy.timeBase = timeBase
        copy.frames = frames.map { frame in
            var moved = frame
            moved.pts = start + av_rescale_q(frame.pts - first, from, to)
            return moved
        }
        return copy
    }

    /// The frames whose timestamps fall within the first `seconds`.
    public func prefix(seconds: Double) -> EncodedStream {
        var copy = self
        let limit = Int64(seconds * Double(timeBase.denominator) / Double(timeBase.numerator))
        copy.frames = frames.filter { $0.pts < limit }
        return copy
    }

    /// Seconds from the first frame's timestamp to `frame`'s.
    public func seconds(_ frame: EncodedFrame) -> Double {
        Double(frame.pts) * Double(timeBase.numerator) / Double(timeBase.denominator)
    }
}
