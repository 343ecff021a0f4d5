internal import CFFmpeg
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One opened libavcodec encoder with the packet it reuses. Owns both.
final class LibavEncoder {
    let context: UnsafeMutablePointer<AVCodecContext>
    private var packet: UnsafeMutablePointer<AVPacket>?
    private let name: String

    init(_ name: String, options: [(String, String)] = [],
         configure: (UnsafeMutablePointer<AVCodecContext>) -> Void) throws(TranscoderError) {
        let context = try CodecContext.open(name, as: .encoder, options: options, configure: configure)
        guard let packet = av_packet_alloc() else {
            var owned: UnsafeMutablePointer<AVCodecContext>? = context
            avcodec_free_context(&owned)
            throw TranscoderError(operation: "open \(name) encoder", code: -ENOMEM)
        }
        self.context = context
        self.packet = packet
        self.name = name
    }

    /// The decoder configuration the encoder wrote at open (AV_CODEC_FLAG_GLOBAL_HEADER):
    /// H.264 parameter sets, AAC's AudioSpecificConfig.
    var extradata: [UInt8] {
        guard let bytes = context.pointee.extradata, context.pointee.extradata_size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: bytes, count: Int(context.pointee.extradata_size)))
    }

    /// Encodes `frame` (nil: no more frames; what the encoder holds comes out), then appends
    /// every packet it has ready to `output`. The encoder takes its own reference to the
    /// frame's buffers, so the caller may reuse the frame once it is writable again.
    func encode(_ frame: UnsafeMutablePointer<AVFrame>?, into output: inout [TranscodedFrame]) throws(TranscoderError) {
        let status = avcodec_send_frame(context, frame)
        guard status >= 0 else { throw TranscoderError(operation: "avcodec_send_frame (\(name))", code: status) }
        while true {
            let received = avcodec_receive_packet(context, packet)
            if received == LibavStatus.tryAgain || received == LibavStatus.endOfFile { return }
            guard received >= 0, let packet else {
                throw TranscoderError(operation: "avcodec_receive_packet (\(name))", code: received)
            }
            let current = packet.pointee
            output.append(TranscodedFrame(
                data: Array(UnsafeBufferPointer(start: current.data, count: Int(current.size))),
                pts: current.pts, isKeyframe: current.flags & AV_PKT_FLAG_KEY != 0,
                duration: current.duration > 0 ? current.duration : nil))
            av_packet_unref(packet)
        }
    }

    deinit {
        av_packet_free(&packet)
        var owned: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&owned)
    }
}
