import RTC

/// A trickled `candidate:` line (RFC 8839 §5.1), as a signaling message carries it: read by the
/// SDP model and by the ICE agent's parser, which must agree on what they accept for UDP.
enum CandidateFuzz {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: input, as: UTF8.self)
        let sdp = SDP.Candidate(parsing: text)
        _ = sdp?.description
        do throws(CandidateParseError) {
            let candidate = try Candidate(sdpValue: text)
            // What we write for a candidate we read must read back as the same candidate.
            let again = try? Candidate(sdpValue: candidate.sdpValue)
            fuzzCheck(again?.address == candidate.address && again?.kind == candidate.kind,
                      "\(text) reads as \(candidate), which writes as \(candidate.sdpValue)")
        } catch {
            _ = error.description
        }
        _ = IPAddress(text)?.description
    }
}
