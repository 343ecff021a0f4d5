extension RecordingManifest {
    /// One stretch of a participant's speech, from the audio levels their sender measured
    /// (RFC 6464), on the recorder's wall clock like the segments' `joinedAt`.
    public struct SpeakingInterval: Sendable, Hashable, Codable {
        public var startedAt: ManifestTimestamp
        /// Absent while they are still speaking (a manifest written during the recording).
        public var endedAt: ManifestTimestamp?

        public init(startedAt: ManifestTimestamp, endedAt: ManifestTimestamp? = nil) {
            self.startedAt = startedAt
            self.endedAt = endedAt
        }
    }

    /// The room-wide WebVTT file of who speaks when (`speakers.vtt`): a cue per speaking
    /// interval, its text the participant's id, times from the recording's `startedAt`.
    public struct SpeakerTimelineFile: Sendable, Hashable, Codable {
        public static let fileName = "speakers.vtt"

        public var path: String
        /// Written for the last time, at the end of the recording; until then it is rewritten
        /// with each manifest, speech under way ending at the time of writing.
        public var finished: Bool
        public var bytes: Int
        /// Why it could not be written (the intervals are in the manifest all the same).
        public var error: String?

        public init(path: String = SpeakerTimelineFile.fileName, finished: Bool, bytes: Int, error: String? = nil) {
            self.path = path
            self.finished = finished
            self.bytes = bytes
            self.error = error
        }
    }
}
