extension RecordingManifest {
    /// The room's mixed audio (a recipe of layout `room`): one file for everyone, its second 0
    /// the recording's `startedAt`.
    public struct Mix: Sendable, Hashable, Codable {
        public var file: File
        /// Participants' audio tracks mixed in (a participant who came back counts again).
        public var participantTracks: Int
        /// Audio that reached the mix after its moment had been mixed (a participant whose
        /// frames stalled, then caught up): left out, the mix went on without it.
        public var lateSeconds: Double
        /// Audio further ahead of the mix than it holds (a sender whose timestamps ran away): left out.
        public var beyondHorizonSeconds: Double
        /// How much of the mix was turned down to stay under full scale (people talking over
        /// each other); absent in manifests written before the mix had a limiter.
        public var limitedSeconds: Double?
        /// Mixed samples past full scale all the same, clipped (a sudden shout, for the few
        /// milliseconds the limiter takes to turn it down).
        public var clippedSamples: Int64
        /// Opus packets that did not decode.
        public var packetsUndecodable: Int
        /// Participants' audio frames dropped before the mix because the media thread was behind
        /// (too little CPU); never packets.
        public var framesDroppedWriterBehind: Int

        public init(file: File, participantTracks: Int = 0, lateSeconds: Double = 0, beyondHorizonSeconds: Double = 0,
                    limitedSeconds: Double? = nil, clippedSamples: Int64 = 0, packetsUndecodable: Int = 0,
                    framesDroppedWriterBehind: Int = 0) {
            self.file = file
            self.participantTracks = participantTracks
            self.lateSeconds = lateSeconds
            self.beyondHorizonSeconds = beyondHorizonSeconds
            self.limitedSeconds = limitedSeconds
            self.clippedSamples = clippedSamples
            self.packetsUndecodable = packetsUndecodable
            self.framesDroppedWriterBehind = framesDroppedWriterBehind
        }
    }
}
