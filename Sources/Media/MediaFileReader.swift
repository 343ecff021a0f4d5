internal import CFFmpeg

/// Reads a media file's encoded frames with libavformat, one at a time in the file's order (no
/// more in memory than the frame at hand), as a depacketizer would have handed them over:
/// H.264 from MP4 or Matroska is turned into Annex B with its parameter sets before each
/// keyframe (`h264_mp4toannexb`), as RTP carries it. What `tapedeck render` makes a recording
/// again from when its folder has no raw capture.
public final class MediaFileReader {
    /// One stream of the file.
    public struct Stream: Sendable, Hashable {
        public var index: Int
        public var kind: MediaKind?
        /// Nil for a codec the writers do not take (as `codecName` says).
        public var codec: MediaCodec?
        public var codecName: String
        public var timeBase: TimeBase
        /// The first frame's timestamp, in `timeBase`, when the file says (0 otherwise).
        public var startTimestamp: Int64
        public var width: Int?
        public var height: Int?
        public var sampleRate: Int?
        public var channels: Int?
        /// The codec's setup bytes the container holds (AAC's AudioSpecificConfig, say).
        public var extradata: [UInt8]?
    }

    /// One frame; `data` is valid until the next call to `next()`.
    public struct Frame {
        public var stream: Int
        /// In the stream's time base.
        public var pts: Int64
        public var isKeyframe: Bool
        public var data: UnsafeRawBufferPointer
    }

    public let path: String
    public let streams: [Stream]
    private var context: UnsafeMutablePointer<AVFormatContext>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    /// Per stream: the Annex B filter of an H.264 stream stored as length-prefixed NAL units.
    private var filters: [Int: UnsafeMutablePointer<AVBSFContext>] = [:]

    public init(path: String) throws(MediaFileReadError) {
        self.path = path
        var opened: UnsafeMutablePointer<AVFormatContext>?
        let status = avformat_open_input(&opened, path, nil, nil)
        guard status == 0, let context = opened else {
            throw MediaFileReadError(path: path, reason: "cannot open it: \(LibavStatus.message(status))")
        }
        self.context = context
        let found = avformat_find_stream_info(context, nil)
        guard found >= 0 else {
            avformat_close_input(&self.context)
            throw MediaFileReadError(path: path, reason: "cannot read its streams: \(LibavStatus.message(found))")
        }
        var streams: [Stream] = []
        for index in 0 ..< Int(context.pointee.nb_streams) {
            guard let stream = context.pointee.streams[index], let parameters = stream.pointee.codecpar else { continue }
            let codec = Self.codec(parameters.pointee.codec_id)
            let kind: MediaKind? = switch parameters.pointee.codec_type {
            case AVMEDIA_TYPE_AUDIO: .audio
            case AVMEDIA_TYPE_VIDEO: .video
            default: nil
            }
            let start = stream.pointee.start_time
            streams.append(Stream(
                index: index, kind: kind, codec: codec, codecName: String(cString: avcodec_get_name(parameters.pointee.codec_id)),
                timeBase: TimeBase(stream.pointee.time_base.num, stream.pointee.time_base.den),
                startTimestamp: start == Int64(bitPattern: 0x8000_0000_0000_0000) ? 0 : start,
                width: kind == .video ? Int(parameters.pointee.width) : nil, height: kind == .video ? Int(parameters.pointee.height) : nil,
                sampleRate: kind == .audio ? Int(parameters.pointee.sample_rate) : nil,
                channels: kind == .audio ? Int(parameters.pointee.ch_layout.nb_channels) : nil,
                extradata: parameters.pointee.extradata.map { Array(UnsafeBufferPointer(start: $0, count: Int(parameters.pointee.extradata_size))) }))
        }
        self.streams = streams
        packet = av_packet_alloc()
        for stream in streams where stream.codec == .h264 {
            guard let parameters = context.pointee.streams[stream.index]?.pointee.codecpar,
                  parameters.pointee.extradata_size > 0, parameters.pointee.extradata?.pointee == 1 else { continue }
            // avcC extradata (its first byte, the version, is 1): length-prefixed NAL units.
            try addAnnexBFilter(stream: stream.index, parameters: parameters, timeBase: context.pointee.streams[stream.index]!.pointee.time_base)
        }
    }

    deinit {
        for (_, filter) in filters {
            var filter: UnsafeMutablePointer<AVBSFContext>? = filter
            av_bsf_free(&filter)
        }
        av_packet_free(&packet)
        avformat_close_input(&context)
    }

    /// The next frame of any stream, nil at the end. A read error after some frames ends the
    /// file there and says so (`MediaFileReadError`): what came before was good.
    public func next() throws(MediaFileReadError) -> Frame? {
        guard let context, let packet else { return nil }
        while true {
            av_packet_unref(packet)
            let status = av_read_frame(context, packet)
            if status == LibavStatus.endOfFile { return nil }
            guard status >= 0 else { throw MediaFileReadError(path: path, reason: "cannot read on: \(LibavStatus.message(status))") }
            let index = Int(packet.pointee.stream_index)
            if let filter = filters[index] {
                // One packet in, one out: this filter never holds frames back.
                guard av_bsf_send_packet(filter, packet) >= 0, av_bsf_receive_packet(filter, packet) >= 0 else {
                    throw MediaFileReadError(path: path, reason: "cannot turn H.264 into Annex B at \(packet.pointee.pts)")
                }
            }
            guard packet.pointee.size > 0, let data = packet.pointee.data else { continue }
            let pts = packet.pointee.pts != Int64(bitPattern: 0x8000_0000_0000_0000) ? packet.pointee.pts : packet.pointee.dts
            return Frame(stream: index, pts: pts, isKeyframe: packet.pointee.flags & AV_PKT_FLAG_KEY != 0,
                         data: UnsafeRawBufferPointer(start: data, count: Int(packet.pointee.size)))
        }
    }

    private func addAnnexBFilter(stream: Int, parameters: UnsafeMutablePointer<AVCodecParameters>,
                                 timeBase: AVRational) throws(MediaFileReadError) {
        var filter: UnsafeMutablePointer<AVBSFContext>?
        guard let kind = av_bsf_get_by_name("h264_mp4toannexb"), av_bsf_alloc(kind, &filter) >= 0, let filter else {
            throw MediaFileReadError(path: path, reason: "this libavcodec has no h264_mp4toannexb filter")
        }
        avcodec_parameters_copy(filter.pointee.par_in, parameters)
        filter.pointee.time_base_in = timeBase
        guard av_bsf_init(filter) >= 0 else {
            var failed: UnsafeMutablePointer<AVBSFContext>? = filter
            av_bsf_free(&failed)
            throw MediaFileReadError(path: path, reason: "cannot read its H.264 parameter sets")
        }
        filters[stream] = filter
    }

    private static func codec(_ id: AVCodecID) -> MediaCodec? {
        switch id {
        case AV_CODEC_ID_OPUS: .opus
        case AV_CODEC_ID_VP8: .vp8
        case AV_CODEC_ID_VP9: .vp9
        case AV_CODEC_ID_H264: .h264
        case AV_CODEC_ID_AAC: .aac
        default: nil
        }
    }
}

/// A media file that cannot be read (on), and why.
public struct MediaFileReadError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "\(path): \(reason)" }
}
