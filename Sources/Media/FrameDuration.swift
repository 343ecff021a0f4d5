extension TrackDescription {
    /// A frame's duration in this track's time base when the caller gave none: Ogg's granule
    /// positions and every container's last frame need one, and RTP does not carry it.
    /// Opus says it in its TOC byte; AAC-LC frames are 1024 samples; video frames end when the
    /// next begins, which `MediaFileWriter` works out by holding each back until then.
    func defaultDuration(of data: UnsafeRawBufferPointer) -> Int64? {
        switch codec {
        case .opus:
            return OpusPacketDuration.samples(data).map { TimeBase.samples(48_000).convert(Int64($0), to: timeBase) }
        case .aac:
            return TimeBase.samples(Int32(clamping: sampleRate)).convert(1_024, to: timeBase)
        case .vp8, .vp9, .h264:
            return nil
        }
    }
}
