internal import CFFmpeg
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libavcodec's own AAC-LC encoder at 48 kHz, as the transcoder and its silence both use it.
enum AACEncoding {
    static let sampleRate: Int32 = 48_000

    static func openEncoder(channels: Int, settings: AudioTranscoder.Settings) throws(TranscoderError) -> LibavEncoder {
        try LibavEncoder("aac") { context in
            context.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
            context.pointee.sample_rate = sampleRate
            av_channel_layout_default(&context.pointee.ch_layout, Int32(channels))
            context.pointee.bit_rate = Int64(settings.bitrateKbpsPerChannel * channels) * 1_000
            context.pointee.profile = FF_PROFILE_AAC_LOW
            context.pointee.time_base = TimeBase.samples(sampleRate).rational
            context.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER
        }
    }

    /// A frame buffer the encoder takes: planar float, `encoder.frame_size` samples.
    static func makeFrame(for encoder: LibavEncoder) throws(TranscoderError) -> UnsafeMutablePointer<AVFrame> {
        guard let frame = av_frame_alloc() else { throw TranscoderError(operation: "av_frame_alloc", code: -ENOMEM) }
        frame.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
        frame.pointee.sample_rate = sampleRate
        frame.pointee.nb_samples = encoder.context.pointee.frame_size
        var status = av_channel_layout_copy(&frame.pointee.ch_layout, &encoder.context.pointee.ch_layout)
        if status >= 0 { status = av_frame_get_buffer(frame, 0) }
        guard status >= 0 else {
            var owned: UnsafeMutablePointer<AVFrame>? = frame
            av_frame_free(&owned)
            throw TranscoderError(operation: "av_frame_get_buffer", code: status)
        }
        return frame
    }

    /// One AAC frame of digital silence from an encoder set up like the transcoder's: every
    /// coefficient zero, so it decodes to zeros next to any other silent frame. Long gaps are
    /// filled with copies of it instead of encoding silence (see `AudioTranscoder`).
    static func silentFrame(channels: Int, settings: AudioTranscoder.Settings) throws(TranscoderError) -> [UInt8] {
        let encoder = try openEncoder(channels: channels, settings: settings)
        var frame: UnsafeMutablePointer<AVFrame>? = try makeFrame(for: encoder)
        defer { av_frame_free(&frame) }
        var packets: [TranscodedFrame] = []
        let size = Int64(encoder.context.pointee.frame_size)
        av_samples_set_silence(frame!.pointee.extended_data, 0, frame!.pointee.nb_samples, Int32(channels), AV_SAMPLE_FMT_FLTP)
        for index in 0..<Int64(4) {
            frame!.pointee.pts = index * size
            try encoder.encode(frame, into: &packets)
        }
        // The first packets come out of the encoder's start-up (priming); a later one is steady.
        guard let silent = packets.last else {
            throw TranscoderError(operation: "encode AAC silence", reason: .unexpectedDecoderOutput("the encoder gave no packet for 4 frames"))
        }
        return silent.data
    }
}
