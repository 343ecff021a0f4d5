internal import CFFmpeg

/// Fills an AVStream's codec parameters from a validated track description.
enum StreamParameters {
    static func configure(_ stream: UnsafeMutablePointer<AVStream>, track: TrackDescription, extradata: [UInt8]?) -> Bool {
        let parameters = stream.pointee.codecpar!
        parameters.pointee.codec_id = codecID(track.codec)
        parameters.pointee.codec_tag = 0
        stream.pointee.time_base = track.timeBase.rational
        switch track.kind {
        case .video:
            parameters.pointee.codec_type = AVMEDIA_TYPE_VIDEO
            parameters.pointee.width = Int32(clamping: track.width)
            parameters.pointee.height = Int32(clamping: track.height)
        case .audio:
            parameters.pointee.codec_type = AVMEDIA_TYPE_AUDIO
            parameters.pointee.sample_rate = Int32(clamping: track.sampleRate)
            av_channel_layout_default(&parameters.pointee.ch_layout, Int32(clamping: track.channels))
            // Samples per packet: AAC-LC's fixed 1024, Opus's usual 20 ms. Only MP4 reads it, to
            // know the track is compressed audio (and to stop warning that it is unset).
            parameters.pointee.frame_size = track.codec == .aac ? 1_024 : 960
            if track.codec == .opus {
                // WebM writes it as CodecDelay, MP4 as the dOps pre-skip; keep both equal to the head.
                parameters.pointee.initial_padding = Int32(TrackDescription.opusPreSkip(in: extradata))
            }
        }
        guard let extradata, !extradata.isEmpty else { return true }
        // libav reads extradata with its bitstream readers, which may overread: it must be
        // av_malloc'd with zeroed padding, and the codec parameters free it.
        let size = extradata.count
        guard let buffer = av_mallocz(size + Int(AV_INPUT_BUFFER_PADDING_SIZE)) else { return false }
        extradata.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: size) }
        parameters.pointee.extradata = buffer.assumingMemoryBound(to: UInt8.self)
        parameters.pointee.extradata_size = Int32(size)
        return true
    }

    private static func codecID(_ codec: MediaCodec) -> AVCodecID {
        switch codec {
        case .opus: AV_CODEC_ID_OPUS
        case .vp8: AV_CODEC_ID_VP8
        case .vp9: AV_CODEC_ID_VP9
        case .h264: AV_CODEC_ID_H264
        case .aac: AV_CODEC_ID_AAC
        }
    }
}
