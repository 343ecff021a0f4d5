extension RecordingManifest {
    /// The room's composite video (a room recipe with video): in the same file as the mix,
    /// whose audio `mix` describes; its second 0 the recording's `startedAt`.
    public struct Composite: Sendable, Hashable, Codable {
        public var file: File
        /// Output frames encoded into the file.
        public var framesWritten: Int
        /// Output frames not made because the media thread was behind (too little CPU): the
        /// picture before was shown longer. Never packets.
        public var framesDropped: Int
        /// Participants' video frames that did not decode (their tile held its last picture
        /// until the next keyframe).
        public var framesUndecodable: Int
        /// Participants' video tracks composited (a participant who came back counts again), and
        /// how many of them were of each codec ("vp8", "vp9", "h264").
        public var participantVideoTracks: Int
        public var participantVideoCodecs: [String: Int]
        /// Times the tiles were laid out again as people joined and left.
        public var layoutChanges: Int
        /// What went wrong making the room's file.
        public var errors: [String]

        public init(file: File, framesWritten: Int = 0, framesDropped: Int = 0, framesUndecodable: Int = 0,
                    participantVideoTracks: Int = 0, participantVideoCodecs: [String: Int] = [:], layoutChanges: Int = 0,
                    errors: [String] = []) {
            self.file = file
            self.framesWritten = framesWritten
            self.framesDropped = framesDropped
            self.framesUndecodable = framesUndecodable
            self.participantVideoTracks = participantVideoTracks
        self.participantVideoCodecs = participantVideoCodecs
            self.layoutChanges = layoutChanges
            self.errors = errors
        }
    }
}
