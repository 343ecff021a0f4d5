import RTC

/// A trickled `candidate:` line (RFC 8839 §5.1), as a signaling message carries it; the SDP model
/// reads its `a=candidate` lines with the same parser.
enum CandidateFuzz {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: input, as: UTF8.self)
        do throws(CandidateParseError) {
            let candidate = try Candidate(sdpValue: text)
            // What we write for a candidate we read must read back as the same candidate: the SDP
            // model writes its candidates this way, and a description must survive its round trip.
            let again = try? Candidate(sdpValue: candidate.sdpValue)
            fuzzCheck(again == candidate,
                      "\(text) reads as \(candidate), which writes as \(candidate.sdpValue) and reads back as \(again.map(String.init(describing:)) ?? "nothing")")
            _ = candidate.description
        } catch {
            _ = error.description
        }
        _ = IPAddress(text)?.description
    }
}
