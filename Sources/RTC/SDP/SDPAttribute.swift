extension SDP {
    /// An attribute this parser does not model (or a repeated single-valued one), kept verbatim so a
    /// description re-serializes without losing anything a peer might rely on.
    public struct Attribute: Sendable, Hashable {
        public var name: String
        /// Everything after the first `:`; nil for a flag attribute such as `a=rtcp-mux`.
        public var value: String?

        public init(name: String, value: String? = nil) {
            self.name = name
            self.value = value
        }

        var sdpLine: String { value.map { "a=\(name):\($0)" } ?? "a=\(name)" }
    }
}
