extension MediaFileWriter {
    public struct Options: Sendable, Hashable {
        /// The most media held in memory before it reaches the disk: the WebM cluster, MP4
        /// fragment and Ogg page length, and the longest the interleaver waits for a quiet track.
        /// A killed writer loses about this much (plus what the caller had not written yet).
        public var flushInterval: Duration
        /// How far back a frame's timestamp may go and still be written (one tick after the
        /// previous frame) rather than dropped; see `TrackStatistics`.
        public var maximumTimestampRegression: Duration

        public init(flushInterval: Duration = .seconds(1), maximumTimestampRegression: Duration = .milliseconds(100)) {
            self.flushInterval = flushInterval
            self.maximumTimestampRegression = maximumTimestampRegression
        }
    }
}

extension Duration {
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
