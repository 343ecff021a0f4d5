/// What was recorded of one participant: their segments and files.
public struct ParticipantRecording: Sendable, Hashable, Codable {
    public struct Segment: Sendable, Hashable, Codable {
        /// The participant's segment number in the recording (1 for their first).
        public var number: Int
        /// The recorder's wall clock (Unix seconds) at the segment's time zero: where its
        /// files' second 0 lies on the recording's common timeline.
        public var start: Double?
        public var files: [RecordedFile]
        /// Once finished: the recorder's wall clock at the last frame the segment took — when the
        /// participant left, for a segment with no files of its own to say it (a room's mix).
        public var end: Double?

        public init(number: Int, start: Double?, files: [RecordedFile], end: Double? = nil) {
            self.number = number
            self.start = start
            self.files = files
            self.end = end
        }
    }

    public var segments: [Segment]
    /// Problems that kept something from being recorded (a codec the format cannot hold, a
    /// file that could not be opened).
    public var errors: [String]

    init(segments: [Segment], errors: [String]) {
        self.segments = segments
        self.errors = errors
    }

    init(_ recorder: ParticipantRecorder) {
        segments = recorder.segmentReports
        errors = recorder.errors
    }
}
