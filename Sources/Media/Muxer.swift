internal import CFFmpeg
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One libavformat output: the format context, its AVIO file, and the one AVPacket reused for
/// every frame. Owns all three; `MediaFileWriter` holds the policy.
final class Muxer {
    private let context: UnsafeMutablePointer<AVFormatContext>
    private var packet: UnsafeMutablePointer<AVPacket>?
    /// Each stream's time base as the muxer chose it in avformat_write_header (Matroska: 1 ms).
    let timeBases: [TimeBase]
    /// The final path, for error messages.
    private let path: String
    private var isOpen = true

    private init(context: UnsafeMutablePointer<AVFormatContext>, packet: UnsafeMutablePointer<AVPacket>, path: String) {
        self.context = context
        self.packet = packet
        self.path = path
        timeBases = (0..<Int(context.pointee.nb_streams)).map { index in
            let base = context.pointee.streams[index]!.pointee.time_base
            return TimeBase(base.num, base.den)
        }
    }

    /// Opens `file` and writes the container header. On failure nothing is left open or on disk.
    static func open(_ container: MediaContainer, tracks: [(TrackDescription, [UInt8]?)], file: String, path: String,
                     options: [(String, String)]) throws(MediaWriterError) -> Muxer {
        var allocated: UnsafeMutablePointer<AVFormatContext>?
        var status = avformat_alloc_output_context2(&allocated, nil, container.muxerName, nil)
        guard status >= 0, let context = allocated else {
            throw MediaWriterError(operation: "avformat_alloc_output_context2", path: path, code: status)
        }
        var fileOpened = false
        func discard() {
            if fileOpened {
                avio_closep(&context.pointee.pb)
                PartialFile.remove(file)
            }
            avformat_free_context(context)
        }
        for (track, extradata) in tracks {
            guard let stream = avformat_new_stream(context, nil),
                  StreamParameters.configure(stream, track: track, extradata: extradata) else {
                discard()
                throw MediaWriterError(operation: "avformat_new_stream", path: path, code: -ENOMEM)
            }
        }
        // "file:" keeps a name with a colon in it from being read as a protocol.
        status = avio_open(&context.pointee.pb, "file:" + file, AVIO_FLAG_WRITE)
        guard status >= 0 else {
            discard()
            throw MediaWriterError(operation: "avio_open", path: path, code: status)
        }
        fileOpened = true
        var dictionary: OpaquePointer?
        for (key, value) in options { av_dict_set(&dictionary, key, value, 0) }
        status = avformat_write_header(context, &dictionary)
        // Options a muxer did not take stay in the dictionary: a typo here (or a libav without
        // the option) would silently lose the crash safety they exist for.
        var unused: [String] = []
        var entry: UnsafeMutablePointer<AVDictionaryEntry>?
        while let next = av_dict_get(dictionary, "", entry, AV_DICT_IGNORE_SUFFIX) {
            unused.append(String(cString: next.pointee.key))
            entry = next
        }
        av_dict_free(&dictionary)
        guard status >= 0, unused.isEmpty else {
            discard()
            if status < 0 { throw MediaWriterError(operation: "avformat_write_header", path: path, code: status) }
            let message = "the \(container.muxerName) muxer did not take \(unused.joined(separator: ", "))"
            throw MediaWriterError(operation: "avformat_write_header", path: path,
                                   reason: .libav(code: -EINVAL, message: message))
        }
        avio_flush(context.pointee.pb)
        if context.pointee.pb.pointee.error < 0 {
            let error = context.pointee.pb.pointee.error
            discard()
            throw MediaWriterError(operation: "avformat_write_header", path: path, code: error)
        }
        guard let packet = av_packet_alloc() else {
            discard()
            throw MediaWriterError(operation: "av_packet_alloc", path: path, code: -ENOMEM)
        }
        return Muxer(context: context, packet: packet, path: path)
    }

    /// Hands one frame to the interleaver, which owns its bytes until it writes the frame: lent
    /// bytes are copied first (`PacketBufferPools.copyOrAllocate`), a given buffer goes as it is.
    /// The packet is reset for the next frame.
    func write(stream: Int, payload: MuxerPayload, pts: Int64, duration: Int64,
               isKeyframe: Bool) throws(MediaWriterError) {
        guard let packet else { return }
        let buffer: UnsafeMutablePointer<AVBufferRef>
        switch payload {
        case .lent(let bytes):
            guard let copy = PacketBufferPools.shared.copyOrAllocate(of: bytes) else {
                throw MediaWriterError(operation: "av_buffer_alloc", path: path, code: -ENOMEM)
            }
            buffer = copy
        case .given(let given, _):
            buffer = given
        }
        packet.pointee.buf = buffer
        packet.pointee.data = buffer.pointee.data
        packet.pointee.size = Int32(payload.count)
        packet.pointee.stream_index = Int32(stream)
        packet.pointee.pts = pts
        packet.pointee.dts = pts
        packet.pointee.duration = duration
        packet.pointee.flags = isKeyframe ? AV_PKT_FLAG_KEY : 0
        let status = av_interleaved_write_frame(context, packet)
        av_packet_unref(packet)
        try check(status, "av_interleaved_write_frame")
    }

    /// Writes out everything the interleaver holds. Needed when a track goes quiet: libavformat
    /// waits for a VP8/VP9 track without limit, whatever max_interleave_delta says.
    func flushInterleavingQueue() throws(MediaWriterError) {
        try check(av_interleaved_write_frame(context, nil), "av_interleaved_write_frame(flush)")
    }

    /// Writes out what the muxer holds of the unit it is building (WebM: the open cluster, even
    /// if it holds a single frame).
    func flushOpenUnit() throws(MediaWriterError) {
        try check(av_write_frame(context, nil), "av_write_frame(flush)")
    }

    /// MP4 only. A fragment's first sample is normally placed where the previous fragment's
    /// samples end (their durations summed); when a track was quiet across a fragment boundary
    /// the muxer guessed the last duration, and that placement would pull everything after the
    /// hole earlier. frag_discont makes each track's next fragment start (tfdt) at its real
    /// timestamp instead. The muxer reads the flag at the next packet and clears it itself.
    func markDiscontinuity() throws(MediaWriterError) {
        try check(av_opt_set(context.pointee.priv_data, "movflags", "+frag_discont", 0), "av_opt_set(movflags)")
    }

    func writeTrailer() throws(MediaWriterError) {
        try check(av_write_trailer(context), "av_write_trailer")
    }

    /// Bytes handed to the file so far (flush_packets keeps the I/O buffer empty between calls).
    var position: Int64 { context.pointee.pb.map { avio_tell($0) } ?? 0 }

    /// Closes the file (no trailer when the trailer was not written: the file stays a valid
    /// prefix, like a killed writer's).
    func close() throws(MediaWriterError) {
        guard isOpen else { return }
        isOpen = false
        let status = avio_closep(&context.pointee.pb)
        try check(status, "avio_close")
    }

    private func check(_ status: Int32, _ operation: String) throws(MediaWriterError) {
        if status < 0 { throw MediaWriterError(operation: operation, path: path, code: status) }
        // Some muxers report I/O errors only through the context, not their return value.
        if isOpen, let pb = context.pointee.pb, pb.pointee.error < 0 {
            throw MediaWriterError(operation: operation, path: path, code: pb.pointee.error)
        }
    }

    deinit {
        if isOpen { avio_closep(&context.pointee.pb) }
        av_packet_free(&packet)
        avformat_free_context(context)
    }
}
