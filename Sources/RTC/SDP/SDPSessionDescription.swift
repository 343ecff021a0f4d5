extension SDP {
    /// A parsed session description: session-level lines and the media sections.
    ///
    /// Create one with `init(parsing:)` and write it with `serialized()`; for any `d` obtained by
    /// parsing, `SessionDescription(parsing: d.serialized()) == d`. Attribute order is normalised
    /// (codec attributes grouped under their rtpmap, unmodelled attributes last), which no SDP
    /// consumer depends on. Values are written as they are, so a value built by hand must not
    /// contain a line break.
    public struct SessionDescription: Sendable, Hashable {
        public var origin: Origin
        /// The `s=` line; JSEP writes `-`.
        public var sessionName: String = "-"
        public var timing = Timing()

        public var groups: [Group] = []
        public var msidSemantic: MSIDSemantic?
        public var iceOptions: [String] = []
        /// Session-level fingerprints (Firefox writes them here), applying to every media section
        /// that has none of its own. Usable ones only, as in `MediaDescription.fingerprints`.
        public var fingerprints: [DTLSFingerprint] = []
        /// Session-level ICE credentials, applying to every media section without its own.
        public var iceUfrag: String?
        public var icePwd: String?
        /// `a=ice-lite` (RFC 8445 §2.5): the peer (typically an SFU) only answers checks.
        public var iceLite = false
        public var setup: SetupRole?
        /// Session-level direction, the default for media sections without one (Firefox writes it).
        public var direction: Direction?
        /// `a=extmap-allow-mixed` (RFC 8285 §6): one- and two-byte header extensions may be mixed.
        public var extmapAllowMixed = false

        /// Attributes not modelled above, in the order they appeared.
        public var otherAttributes: [Attribute] = []
        /// Session lines not modelled above (`i=`, `u=`, `e=`, `p=`, `c=`, `b=`, extra `t=`, `r=`,
        /// `z=`, `k=`), in RFC 8866 order.
        public var otherLines: [Line] = []

        public var media: [MediaDescription] = []

        public init(origin: Origin) {
            self.origin = origin
        }

        /// Parses SDP text. Lines may end in CRLF or LF; blank lines and lines of unknown type are
        /// ignored.
        public init(parsing text: String) throws(ParseError) {
            self = try SDPParser.parse(text)
        }

        /// The first `a=group:BUNDLE`, if any.
        public var bundleGroup: Group? { groups.first { $0.isBundle } }

        public func media(mid: String) -> MediaDescription? {
            media.first { $0.mid == mid }
        }

        /// The ICE username fragment for a section: its own, else the session's.
        public func iceUfrag(for section: MediaDescription) -> String? { section.iceUfrag ?? iceUfrag }
        /// The ICE password for a section: its own, else the session's.
        public func icePwd(for section: MediaDescription) -> String? { section.icePwd ?? icePwd }
        /// The usable DTLS fingerprints for a section: its own, else the session's. A section whose
        /// own `a=fingerprint` lines are all unusable has none: session-level ones apply only to
        /// sections with no fingerprint attribute (RFC 8122 §5), so an unusable one still overrides.
        public func fingerprints(for section: MediaDescription) -> [DTLSFingerprint] {
            let hasOwn = !section.fingerprints.isEmpty || section.otherAttributes.contains { $0.name == "fingerprint" }
            return hasOwn ? section.fingerprints : fingerprints
        }
        /// The DTLS role for a section: its own, else the session's.
        public func setup(for section: MediaDescription) -> SetupRole? { section.setup ?? setup }
        /// The direction for a section: its own, else the session's, else `sendrecv`.
        public func direction(for section: MediaDescription) -> Direction {
            section.direction ?? direction ?? .sendrecv
        }
    }
}
