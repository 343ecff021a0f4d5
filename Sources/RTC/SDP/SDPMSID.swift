extension SDP {
    /// An `a=msid` attribute (RFC 8830): the media stream and track a sender's media belongs to,
    /// which is how a recording groups a participant's audio and video.
    public struct MSID: Sendable, Hashable {
        /// The stream id; `-` when the track belongs to no stream.
        public var streamID: String
        public var trackID: String?

        public init(streamID: String, trackID: String? = nil) {
            self.streamID = streamID
            self.trackID = trackID
        }

        static func parse(_ value: String, line: Int, attribute: String = "msid") throws(ParseError) -> MSID {
            let fields = SDPText.fields(value)
            guard (1...2).contains(fields.count) else {
                throw .malformedAttribute(line: line, name: attribute, reason: "expected a stream id and an optional track id, found \(fields.count) fields")
            }
            return MSID(streamID: fields[0], trackID: fields.count == 2 ? fields[1] : nil)
        }

        var sdpValue: String { trackID.map { "\(streamID) \($0)" } ?? streamID }
    }
}
