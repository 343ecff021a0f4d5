internal import CFFmpeg
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One opened libavcodec decoder with the packet and frame it reuses. Owns all three; the
/// transcoders decide what a failure means.
final class LibavDecoder {
    private let context: UnsafeMutablePointer<AVCodecContext>
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var decoded: UnsafeMutablePointer<AVFrame>?

    /// What `receive` produced.
    enum Output {
        /// A picture or samples, in `frame` until the next `receive`.
        case frame
        /// Nothing until the next packet.
        case needsInput
        /// Drained: `sendEndOfStream` was called and everything came out.
        case ended
        /// The decoder failed with this AVERROR.
        case failed(Int32)
    }

    init(_ name: String, configure: (UnsafeMutablePointer<AVCodecContext>) -> Void) throws(TranscoderError) {
        let context = try CodecContext.open(name, as: .decoder, configure: configure)
        guard let packet = av_packet_alloc(), let frame = av_frame_alloc() else {
            var owned: UnsafeMutablePointer<AVCodecContext>? = context
            avcodec_free_context(&owned)
            throw TranscoderError(operation: "open \(name) decoder", code: -ENOMEM)
        }
        self.context = context
        self.packet = packet
        decoded = frame
    }

    /// The frame the last `.frame` output filled.
    var frame: UnsafeMutablePointer<AVFrame> { decoded! }

    /// Hands one encoded frame to the decoder; returns libav's status (negative: refused).
    /// The bytes are borrowed: libav copies them into a padded buffer of its own, as its
    /// bitstream readers may read past the end.
    func send(_ bytes: UnsafeRawBufferPointer, pts: Int64) -> Int32 {
        guard let packet, let base = bytes.baseAddress, !bytes.isEmpty else { return -EINVAL }
        packet.pointee.data = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
        packet.pointee.size = Int32(bytes.count)
        packet.pointee.pts = pts
        packet.pointee.dts = pts
        let status = avcodec_send_packet(context, packet)
        av_packet_unref(packet)
        return status
    }

    /// Asks for what the decoder still holds; `receive` then runs until `.ended`.
    func sendEndOfStream() -> Int32 {
        avcodec_send_packet(context, nil)
    }

    func receive() -> Output {
        let status = avcodec_receive_frame(context, decoded)
        switch status {
        case 0: return .frame
        case LibavStatus.tryAgain: return .needsInput
        case LibavStatus.endOfFile: return .ended
        default: return .failed(status)
        }
    }

    /// Hands every picture the decoder has ready to `body`, in order, until it needs input.
    /// Returns false when decoding failed, or a picture came out damaged (a decoder that
    /// concealed damage says so; what follows would build on it): the caller then waits for a
    /// keyframe.
    func drainPictures<Failure: Error>(_ body: (UnsafeMutablePointer<AVFrame>) throws(Failure) -> Void) throws(Failure) -> Bool {
        while true {
            switch receive() {
            case .frame:
                guard frame.pointee.flags & AV_FRAME_FLAG_CORRUPT == 0, frame.pointee.decode_error_flags == 0 else { return false }
                try body(frame)
            case .needsInput, .ended:
                return true
            case .failed:
                return false
            }
        }
    }

    /// Forgets every reference picture (after a broken frame: what follows until the next
    /// keyframe would be predicted from garbage).
    func reset() {
        avcodec_flush_buffers(context)
    }

    deinit {
        av_frame_free(&decoded)
        av_packet_free(&packet)
        var owned: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&owned)
    }
}
