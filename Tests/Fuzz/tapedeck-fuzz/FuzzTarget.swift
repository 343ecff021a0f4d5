import RTC

/// Every fuzzed parser. The raw value is `FUZZ_TARGET` and the corpus folder under Tests/Fuzz/Corpus.
enum FuzzTarget: String, CaseIterable, Sendable {
    case stun
    case turn
    case turnStream = "turn-stream"
    case iceTCPFrames = "ice-tcp-frames"
    case rtp
    case rtcp
    case sdp
    case candidate
    case vp8
    case vp9
    case h264
    case opus
    case dtls
    case mdns
    case signalingClient = "signaling-client"
    case signalingServer = "signaling-server"
    case apiCreate = "api-create"
    case apiListQuery = "api-list-query"
    case recipe
    case capture

    func run(_ input: UnsafeBufferPointer<UInt8>) {
        switch self {
        case .stun: STUNFuzz.run(input)
        case .turn: TURNFuzz.run(input)
        case .turnStream: StreamFramingFuzz.run(input, framing: .turn)
        case .iceTCPFrames: StreamFramingFuzz.run(input, framing: .iceTCP)
        case .rtp: RTPFuzz.run(input)
        case .rtcp: RTCPFuzz.run(input)
        case .sdp: SDPFuzz.run(input)
        case .candidate: CandidateFuzz.run(input)
        case .vp8: DepacketizerFuzz.run(input, codec: .vp8)
        case .vp9: DepacketizerFuzz.run(input, codec: .vp9)
        case .h264: DepacketizerFuzz.run(input, codec: .h264)
        case .opus: DepacketizerFuzz.run(input, codec: .opus)
        case .dtls: DTLSFuzz.run(input)
        case .mdns: MulticastDNSFuzz.run(input)
        case .signalingClient: SignalingClientFuzz.run(input)
        case .signalingServer: SignalingServerFuzz.run(input)
        case .apiCreate: CreateRecordingFuzz.run(input)
        case .apiListQuery: ListQueryFuzz.run(input)
        case .recipe: RecipeFuzz.run(input)
        case .capture: CaptureFuzz.run(input)
        }
    }
}
