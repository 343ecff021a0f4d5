internal import CFFmpeg
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens a libavcodec codec context by the codec's name: the transcoders name their codecs
/// (the native "vp8" decoder rather than whichever VP8 decoder libav lists first, "libx264"
/// rather than any H.264 encoder), so a libav built without one fails here, saying so.
enum CodecContext {
    enum Role {
        case decoder
        case encoder

        var word: String { self == .decoder ? "decoder" : "encoder" }
    }

    /// `configure` fills the context before it is opened; `options` go to the codec's private
    /// options (x264's preset, say). An option the codec did not take is an error, not a silent
    /// default. On failure nothing is left allocated.
    static func open(_ name: String, as role: Role, options: [(String, String)] = [],
                     configure: (UnsafeMutablePointer<AVCodecContext>) -> Void)
        throws(TranscoderError) -> UnsafeMutablePointer<AVCodecContext>
    {
        let operation = "open \(name) \(role.word)"
        let found = role == .decoder ? avcodec_find_decoder_by_name(name) : avcodec_find_encoder_by_name(name)
        guard let codec = found else {
            throw TranscoderError(operation: operation, reason: .codecUnavailable("\(name) \(role.word)"))
        }
        guard let context = avcodec_alloc_context3(codec) else {
            throw TranscoderError(operation: "avcodec_alloc_context3", code: -ENOMEM)
        }
        configure(context)
        var dictionary: OpaquePointer?
        for (key, value) in options { av_dict_set(&dictionary, key, value, 0) }
        let status = avcodec_open2(context, codec, &dictionary)
        var unused: [String] = []
        var entry: UnsafeMutablePointer<AVDictionaryEntry>?
        while let next = av_dict_get(dictionary, "", entry, AV_DICT_IGNORE_SUFFIX) {
            unused.append("\(String(cString: next.pointee.key))=\(String(cString: next.pointee.value))")
            entry = next
        }
        av_dict_free(&dictionary)
        guard status >= 0, unused.isEmpty else {
            var owned: UnsafeMutablePointer<AVCodecContext>? = context
            avcodec_free_context(&owned)
            if status < 0 { throw TranscoderError(operation: operation, code: status) }
            throw TranscoderError(operation: operation,
                                  reason: .invalidSettings("\(name) did not take \(unused.joined(separator: ", "))"))
        }
        return context
    }

    /// Copies `bytes` into `context`'s extradata, av_malloc'd with the zeroed padding libav's
    /// bitstream readers may read into; the context frees it.
    static func setExtradata(_ bytes: [UInt8], on context: UnsafeMutablePointer<AVCodecContext>) {
        guard !bytes.isEmpty, let buffer = av_mallocz(bytes.count + Int(AV_INPUT_BUFFER_PADDING_SIZE)) else { return }
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        context.pointee.extradata = buffer.assumingMemoryBound(to: UInt8.self)
        context.pointee.extradata_size = Int32(bytes.count)
    }
}
