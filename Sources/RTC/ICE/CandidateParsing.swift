/// Why a candidate line was not accepted.
public struct CandidateParseError: Error, Hashable, CustomStringConvertible {
    public let reason: String
    /// A well-formed candidate on a transport we do not speak (TCP without a `tcptype`, TLS,
    /// SCTP…): to be skipped, not reported as bad.
    public var isUnsupportedTransport = false
    public var description: String { "bad ICE candidate: \(reason)" }
}

extension Candidate {
    /// Parses `candidate:…` (RFC 8839 §5.1) as a trickle message or an `a=candidate` line
    /// carries it, with or without the `a=` and `candidate:` prefixes. TCP candidates keep their
    /// `tcptype` (one without is refused as unsupported; the agent pairs none of a peer's
    /// signalled TCP candidates, see `IceAgent.addRemoteCandidate`); mDNS `.local` hosts are kept
    /// with `mdnsHostname` set. Of the extensions only `raddr`/`rport`, `tcptype` and `ufrag` are
    /// kept: nothing reads the others (`generation`, `network-id`, `network-cost`…).
    ///
    /// Fields are split at ASCII spaces and tabs on the bytes, not at grapheme boundaries, so a
    /// field that starts with a combining mark cannot swallow the space before it; together with
    /// the foundation's grammar this makes `sdpValue` of what is accepted read back as the same
    /// candidate (the fuzz target checks it).
    public init(sdpValue text: some StringProtocol) throws(CandidateParseError) {
        var line = Substring(text)
        if line.hasPrefix("a=") { line = line.dropFirst(2) }
        if line.hasPrefix("candidate:") { line = line.dropFirst("candidate:".count) }
        let fields = SDPText.fields(String(line))
        guard fields.count >= 8 else { throw CandidateParseError(reason: "expected at least 8 fields in '\(text.prefix(200))'") }
        let foundation = fields[0]
        guard Self.isFoundation(foundation) else {
            throw CandidateParseError(reason: "foundation '\(foundation.prefix(40))' is not 1 to 32 ALPHA / DIGIT / + / /")
        }
        guard let component = SDPText.decimal(fields[1], as: UInt16.self), (1...256).contains(component) else {
            throw CandidateParseError(reason: "component '\(fields[1].prefix(16))' is not 1...256")
        }
        let transport = fields[2].lowercased()
        guard transport == "udp" || transport == "tcp" else {
            throw CandidateParseError(reason: "transport '\(fields[2].prefix(16))' is not supported (UDP and TCP only)",
                                      isUnsupportedTransport: true)
        }
        guard let priority = SDPText.decimal(fields[3], as: UInt32.self) else {
            throw CandidateParseError(reason: "priority '\(fields[3].prefix(16))' is not 0...4294967295")
        }
        guard let port = SDPText.decimal(fields[5], as: UInt16.self) else {
            throw CandidateParseError(reason: "port '\(fields[5].prefix(16))' is not 0...65535")
        }
        guard fields[6] == "typ", let kind = Kind(rawValue: fields[7]) else {
            throw CandidateParseError(reason: "missing or unknown 'typ'")
        }
        let host = fields[4]
        var mdnsHostname: String?
        let ip: IPAddress
        if let parsed = IPAddress(host) {
            ip = parsed
        } else if host.lowercased().hasSuffix(".local") {
            mdnsHostname = host
            ip = .v4(0, 0, 0, 0)
        } else {
            throw CandidateParseError(reason: "address '\(host.prefix(64))' is neither an IP address nor an mDNS name")
        }
        let extensions = try Self.extensions(fields[8...])
        if transport == "tcp", extensions.tcpType == nil {
            throw CandidateParseError(reason: "a TCP candidate without a known tcptype", isUnsupportedTransport: true)
        }
        self.init(foundation: foundation, component: Int(component), priority: priority,
                  address: TransportAddress(ip: ip, port: port), kind: kind, ufrag: extensions.ufrag)
        self.mdnsHostname = mdnsHostname
        self.tcpType = transport == "tcp" ? extensions.tcpType : nil
        if let relatedIP = extensions.relatedIP, let relatedPort = extensions.relatedPort {
            relatedAddress = TransportAddress(ip: relatedIP, port: relatedPort)
        }
    }

    /// RFC 8839 §5.1: `foundation = 1*32ice-char`, `ice-char = ALPHA / DIGIT / "+" / "/"`. Holding
    /// to it keeps `:` and `=` out, so no foundation can look like a `candidate:` or `a=` prefix
    /// when written back.
    private static func isFoundation(_ text: String) -> Bool {
        (1...32).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"): true
            default: false
            }
        }
    }

    /// The `name value` pairs after `typ`, as far as the agent uses them.
    private struct Extensions {
        var relatedIP: IPAddress?
        var relatedPort: UInt16?
        var ufrag: String?
        var tcpType: TCPType?
    }

    /// A name without a value, or an `rport` that is not a port, makes the line malformed. A
    /// `raddr` that is not an IP address (RFC 8839 allows a name there) only loses the related
    /// address, which is informational.
    private static func extensions(_ fields: ArraySlice<String>) throws(CandidateParseError) -> Extensions {
        var extensions = Extensions()
        var index = fields.startIndex
        while index < fields.endIndex {
            let name = fields[index]
            guard index + 1 < fields.endIndex else {
                throw CandidateParseError(reason: "extension '\(name.prefix(32))' has no value")
            }
            let value = fields[index + 1]
            switch name {
            case "raddr":
                extensions.relatedIP = IPAddress(value)
            case "rport":
                guard let port = SDPText.decimal(value, as: UInt16.self) else {
                    throw CandidateParseError(reason: "rport '\(value.prefix(16))' is not 0...65535")
                }
                extensions.relatedPort = port
            case "ufrag":
                extensions.ufrag = value
            case "tcptype":
                extensions.tcpType = TCPType(rawValue: value)
            default:
                break
            }
            index += 2
        }
        return extensions
    }
}
