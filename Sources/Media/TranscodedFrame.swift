/// One frame a transcoder encoded, ready for `MediaFileWriter.write`: H.264 in Annex B, or one
/// raw AAC frame (no ADTS header; the MP4 keeps the AudioSpecificConfig in its header).
public struct TranscodedFrame: Sendable, Hashable {
    public var data: [UInt8]
    /// In the output track's time base (`track.timeBase` of the transcoder).
    public var pts: Int64
    public var isKeyframe: Bool
    /// Same unit; AAC frames carry theirs (the last one may be short), video frames none.
    public var duration: Int64?

    public init(data: [UInt8], pts: Int64, isKeyframe: Bool, duration: Int64? = nil) {
        self.data = data
        self.pts = pts
        self.isKeyframe = isKeyframe
        self.duration = duration
    }
}
