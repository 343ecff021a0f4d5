import RTC

extension RecordingManifest {
    /// Packets of the RTP streams behind a file, summed over its tracks: what a job reports of
    /// its recording without reading the streams' own statistics.
    public struct PacketTotals: Sendable, Hashable {
        public var received = 0
        public var lost = 0
        /// Lost once, then repaired by a retransmission (NACK) or FEC.
        public var recovered = 0
    }
}

extension RecordingManifest.File {
    public var packetTotals: RecordingManifest.PacketTotals {
        var totals = RecordingManifest.PacketTotals()
        for stream in tracks.flatMap(\.streams) {
            totals.received += stream.packetsReceived
            totals.lost += stream.packetsLost
            totals.recovered += stream.packetsRecovered
        }
        return totals
    }
}
