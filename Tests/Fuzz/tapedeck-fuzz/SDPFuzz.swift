import RTC

/// A remote session description, as it arrives in an offer or in the answer to ours: parsed,
/// written back (which must parse to the same description), answered as the recorder answers a
/// caller, and read as the answer to the recorder's own receive-only offer.
enum SDPFuzz {
    static let transport = SDP.TransportParameters(
        iceUfrag: "rec1", icePwd: "recorderpasswordrecorder",
        fingerprint: DTLSFingerprint(algorithm: .sha256, digest: (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 7) }))
    static let codecs = SDP.CodecPreferences(h264: true, vp9: true)
    static let answerer = SDP.AnswerBuilder(codecs: codecs)
    static let offerer = SDP.ReceiveOnlyOfferBuilder(codecs: codecs)
    static let ourOffer = offerer.offer(transport: transport, sessionID: 1)

    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: input, as: UTF8.self)
        guard let description = try? SDP.SessionDescription(parsing: text) else { return }
        let written = description.serialized()
        let reparsed = try? SDP.SessionDescription(parsing: written)
        fuzzCheck(reparsed == description, "round trip changed the description:\n\(text)\nwritten:\n\(written)")
        if let answer = try? answerer.answer(to: description, transport: transport, sessionID: 1) {
            let answerText = answer.sessionDescription.serialized()
            fuzzCheck((try? SDP.SessionDescription(parsing: answerText)) == answer.sessionDescription,
                      "the answer does not round trip:\n\(answerText)")
        }
        _ = try? offerer.negotiate(answer: description, to: ourOffer)
    }
}
