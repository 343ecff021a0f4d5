extension TrackDescription {
    /// Checks the description against the container, before libavformat sees it, and returns the
    /// decoder configuration to store (an OpusHead is made here when none was given).
    func validatedExtradata(for container: MediaContainer, path: String) throws(MediaWriterError) -> [UInt8]? {
        func invalid(_ why: String) -> MediaWriterError {
            MediaWriterError(operation: "declare \(codec.rawValue) track", path: path, reason: .invalidTrack(why))
        }
        guard container.supportedCodecs.contains(codec) else {
            throw MediaWriterError(operation: "declare \(codec.rawValue) track", path: path,
                                   reason: .unsupportedCodec(codec, container))
        }
        guard timeBase.isValid else { throw invalid("time base \(timeBase) is not a positive fraction") }
        switch kind {
        case .video:
            guard width > 0, height > 0 else { throw invalid("video needs a width and a height, got \(width)x\(height)") }
        case .audio:
            guard sampleRate > 0, channels > 0 else {
                throw invalid("audio needs a sample rate and channels, got \(sampleRate) Hz, \(channels) channels")
            }
        }
        switch codec {
        case .opus:
            // RFC 7587: Opus runs at 48 kHz on the wire whatever the capture rate; Ogg's granule
            // positions and WebM's timestamps assume it.
            guard sampleRate == 48_000 else { throw invalid("Opus is 48 kHz, got \(sampleRate) Hz") }
            if let extradata {
                guard OpusHead.isPlausible(extradata) else { throw invalid("Opus extradata is not an OpusHead") }
                return extradata
            }
            guard let head = OpusHead.make(channels: channels, preSkip: opusPreSkip) else {
                throw invalid("an OpusHead for \(channels) channels needs a mapping table: pass it as extradata")
            }
            return head
        case .h264:
            // Annex B parameter sets tell the MP4 muxer that the frames are Annex B too, and it
            // rewrites both (avcC, length prefixes). An avcC record here would leave the frames'
            // start codes in the file, so it is refused.
            guard let extradata, H264AnnexB.parameterSets(in: extradata) != nil else {
                throw invalid("H.264 needs its SPS and PPS, Annex B, as extradata: make the writer after the first keyframe")
            }
            return extradata
        case .aac:
            guard let extradata, extradata.count >= 2 else {
                throw invalid("AAC needs the encoder's AudioSpecificConfig as extradata")
            }
            return extradata
        case .vp8, .vp9:
            return extradata
        }
    }

    /// Pre-skip as the stored OpusHead says, for the muxers that also take it as initial padding.
    static func opusPreSkip(in extradata: [UInt8]?) -> Int {
        guard let extradata, OpusHead.isPlausible(extradata) else { return 0 }
        return OpusHead.preSkip(of: extradata)
    }
}
