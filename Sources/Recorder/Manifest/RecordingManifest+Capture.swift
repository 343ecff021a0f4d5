extension RecordingManifest {
    /// One connection's raw capture (docs/capture.md): its decrypted RTP, RTCP and session
    /// descriptions as pcapng, beside the recording's files.
    public struct Capture: Sendable, Hashable, Codable {
        /// Relative to the recording's directory (`alice.pcapng`).
        public var path: String
        /// Written to the end and renamed to `path`. An unfinished capture is under
        /// `temporaryPath`, readable up to its last whole block.
        public var finished: Bool
        public var temporaryPath: String?
        public var bytes: Int
        /// Packets (and session descriptions) kept.
        public var packets: Int
        /// Packets the capture lost: the disk fell behind, or the capture ended early (`error`).
        public var packetsDropped: Int
        public var error: String?

        public init(path: String, finished: Bool, temporaryPath: String? = nil, bytes: Int, packets: Int, packetsDropped: Int,
                    error: String? = nil) {
            self.path = path
            self.finished = finished
            self.temporaryPath = temporaryPath
            self.bytes = bytes
            self.packets = packets
            self.packetsDropped = packetsDropped
            self.error = error
        }
    }
}
