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
        do {
            let reader = try MediaFileReader(path: path)
            guard let first = reader.streams.first else { throw ReadError(description: "no streams in \(path)") }
            var stream = EncodedStream(codecName: first.codecName, timeBase: first.timeBase, width: first.width ?? 0,
                                       height: first.height ?? 0, sampleRate: first.sampleRate ?? 0, channels: first.channels ?? 0,
                                       extradata: first.extradata, frames: [])
            while let frame = try reader.next() {
                guard frame.stream == first.index else { continue }
                stream.frames.append(EncodedFrame(data: Array(frame.data), pts: frame.pts, isKeyframe: frame.isKeyframe))
            }
            return stream
        } catch let error as ReadError {
            throw error
        } catch {
            throw ReadError(description: "\(error)")
        }
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
