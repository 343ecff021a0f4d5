extension SDP {
    /// An ICE candidate as written in `a=candidate` (RFC 8839 §5.1) or trickled over signaling.
    ///
    /// The original text is kept in `raw` — it is what gets written back and what a trickle message
    /// carries — and the fields are parsed from it once, so the two can never disagree.
    public struct Candidate: Sendable, Hashable, CustomStringConvertible {
        /// A `name value` pair after the `typ` (and `raddr`/`rport`), such as `generation 0`.
        public struct Extension: Sendable, Hashable {
            public var name: String
            public var value: String

            public init(name: String, value: String) {
                self.name = name
                self.value = value
            }
        }

        /// The attribute value without the `candidate:` prefix.
        public let raw: String
        public let foundation: String
        public let component: UInt16
        /// `udp` or `tcp` (case as written: Firefox writes `UDP`).
        public let transport: String
        public let priority: UInt32
        /// An IP address or an mDNS name ending in `.local`.
        public let address: String
        public let port: UInt16
        public let type: CandidateType
        public let relatedAddress: String?
        public let relatedPort: UInt16?
        public let extensions: [Extension]

        /// Parses `foundation component transport priority address port typ type …`, with or
        /// without a leading `candidate:` or `a=candidate:`; nil when the text is not a candidate.
        ///
        /// A malformed candidate is not a parse error for the whole description: one bad candidate
        /// line should cost that candidate, not the call.
        public init?(parsing text: String) {
            var value = Substring(text)
            for prefix in ["a=candidate:", "candidate:"] where value.hasPrefix(prefix) {
                value = value.dropFirst(prefix.count)
                break
            }
            self.init(attributeValue: String(value))
        }

        /// Parses the value of an `a=candidate` line exactly as written (no prefix stripping, so
        /// what is written back re-parses to the same candidate).
        init?(attributeValue value: String) {
            let fields = SDPText.fields(value)
            guard fields.count >= 8, fields[6] == "typ",
                  !fields[0].isEmpty,
                  let component = SDPText.decimal(fields[1], as: UInt16.self),
                  let priority = SDPText.decimal(fields[3], as: UInt32.self),
                  let port = SDPText.decimal(fields[5], as: UInt16.self)
            else { return nil }
            var relatedAddress: String?
            var relatedPort: UInt16?
            var extensions: [Extension] = []
            var index = 8
            while index < fields.count {
                guard index + 1 < fields.count else { return nil }
                let name = fields[index], extensionValue = fields[index + 1]
                switch name {
                case "raddr" where relatedAddress == nil:
                    relatedAddress = extensionValue
                case "rport" where relatedPort == nil:
                    guard let parsed = SDPText.decimal(extensionValue, as: UInt16.self) else { return nil }
                    relatedPort = parsed
                default:
                    extensions.append(Extension(name: name, value: extensionValue))
                }
                index += 2
            }
            self.raw = value
            self.foundation = fields[0]
            self.component = component
            self.transport = fields[2]
            self.priority = priority
            self.address = fields[4]
            self.port = port
            self.type = CandidateType(fields[7])
            self.relatedAddress = relatedAddress
            self.relatedPort = relatedPort
            self.extensions = extensions
        }

        /// A candidate built from its parts, written the way Chromium writes them.
        public init(
            foundation: String, component: UInt16 = 1, transport: String = "udp", priority: UInt32,
            address: String, port: UInt16, type: CandidateType,
            relatedAddress: String? = nil, relatedPort: UInt16? = nil, extensions: [Extension] = []
        ) {
            var fields = [foundation, String(component), transport, String(priority), address, String(port), "typ", type.description]
            if let relatedAddress { fields += ["raddr", relatedAddress] }
            if let relatedPort { fields += ["rport", String(relatedPort)] }
            for item in extensions { fields += [item.name, item.value] }
            self.raw = fields.joined(separator: " ")
            self.foundation = foundation
            self.component = component
            self.transport = transport
            self.priority = priority
            self.address = address
            self.port = port
            self.type = type
            self.relatedAddress = relatedAddress
            self.relatedPort = relatedPort
            self.extensions = extensions
        }

        public func extensionValue(_ name: String) -> String? {
            extensions.first { $0.name == name }?.value
        }

        /// The ICE generation (Chromium, aiortc); candidates of an older generation are stale.
        public var generation: UInt32? { extensionValue("generation").flatMap { SDPText.decimal($0, as: UInt32.self) } }
        /// The ufrag of the ICE session this candidate belongs to, when the author says.
        public var usernameFragment: String? { extensionValue("ufrag") }
        /// `active`, `passive` or `so` for TCP candidates (RFC 6544).
        public var tcpType: String? { extensionValue("tcptype") }
        public var isUDP: Bool { transport.lowercased() == "udp" }
        /// Whether the address is an mDNS name that hides a host address (and must be resolved).
        public var isMDNS: Bool { address.lowercased().hasSuffix(".local") }

        /// The value of an `a=candidate` line.
        public var sdpValue: String { raw }
        /// The form used in trickle messages (`RTCIceCandidate.candidate`).
        public var description: String { "candidate:" + raw }
    }
}
