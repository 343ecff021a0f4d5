extension MediaFileWriter {
    public struct Options: Sendable, Hashable {
        /// The most media held in memory before it reaches the disk: the WebM cluster, MP4
        /// fragment and Ogg page length, and the longest the interleaver waits for a quiet track.
        /// A killed writer loses about this much (plus what the caller had not written yet).
        public var flushInterval: Duration

        public init(flushInterval: Duration = .seconds(1)) {
            self.flushInterval = flushInterval
        }
    }
}

extension Duration {
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
