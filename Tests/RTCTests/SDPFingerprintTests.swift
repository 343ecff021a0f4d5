import Foundation
import RTC
import Testing

/// `a=fingerprint` in descriptions: the ones we can check are used, the others skipped
/// (RFC 8122 §5), and a section left with none is refused with a reason that says so.
@Suite("SDP fingerprints")
struct SDPFingerprintTests {
    private let transport = SDPFixture.localTransport

    /// Chromium's offer has the same sha-256 line in both sections.
    private static func chromiumOffer() throws -> (text: String, line: String, fingerprint: DTLSFingerprint) {
        let text = try SDPFixture.text("chromium-offer-av")
        let line = try #require(text.components(separatedBy: "\r\n").first { $0.hasPrefix("a=fingerprint:") })
        let fingerprint = try #require(DTLSFingerprint(sdpValue: line.dropFirst("a=fingerprint:".count)))
        return (text, line, fingerprint)
    }

    /// The offer with every fingerprint line replaced by `lines`.
    private static func chromiumOffer(fingerprintLines lines: [String]) throws -> String {
        let offer = try chromiumOffer()
        return offer.text.replacingOccurrences(of: offer.line, with: lines.joined(separator: "\r\n"))
    }

    @Test("a hash function we do not support is skipped, and kept verbatim")
    func unknownAlgorithmSkipped() throws {
        let (_, line, fingerprint) = try Self.chromiumOffer()
        let md5 = "md5 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B"
        let future = "sha3-256 " + fingerprint.sdpValue.split(separator: " ")[1]
        let offer = try SDP.SessionDescription(parsing: Self.chromiumOffer(fingerprintLines: ["a=fingerprint:" + md5, line, "a=fingerprint:" + future]))
        for section in offer.media {
            #expect(section.fingerprints == [fingerprint])
            #expect(section.otherAttributes.filter { $0.name == "fingerprint" }.map(\.value) == [md5, future])
        }
        let negotiation = try SDP.AnswerBuilder().answer(to: offer, transport: transport, sessionID: 1).negotiation
        #expect(negotiation.remoteTransport?.fingerprints == [fingerprint])
    }

    @Test("a digest that is not hex pairs of the hash function's length is skipped")
    func badDigestSkipped() throws {
        let (_, line, fingerprint) = try Self.chromiumOffer()
        let hex = fingerprint.sdpValue.split(separator: " ")[1]
        let bad = [
            "sha-256 3F:F3:48",  // too short
            "sha-256 " + hex + ":00",  // too long
            "sha-1 " + hex,  // a sha-256 digest under another name
            "sha-256 GG" + hex.dropFirst(2),  // not hex
            "sha-256 3FF3" + hex.dropFirst(5),  // pairs run together
        ]
        let offer = try SDP.SessionDescription(parsing: Self.chromiumOffer(fingerprintLines: bad.map { "a=fingerprint:" + $0 } + [line]))
        #expect(offer.media.allSatisfy { $0.fingerprints == [fingerprint] })
        #expect(offer.media[0].otherAttributes.filter { $0.name == "fingerprint" }.count == bad.count)
    }

    @Test("a section with only unusable fingerprints is refused, saying none is usable")
    func onlyUnusableRefused() throws {
        let text = try Self.chromiumOffer(fingerprintLines: ["a=fingerprint:md5 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B",
                                                             "a=fingerprint:sha-256 3F:F3"])
        let offer = try SDP.SessionDescription(parsing: text)
        #expect(offer.media.allSatisfy { $0.fingerprints.isEmpty })
        let error = #expect(throws: SDP.NegotiationError.self) {
            try SDP.AnswerBuilder().answer(to: offer, transport: transport, sessionID: 1)
        }
        #expect(error == .missingFingerprint(mid: "0"))
        let reason = error?.description ?? ""
        #expect(reason.contains("no usable DTLS fingerprint"), "\(reason)")
        #expect(reason.contains("sha-1, sha-224, sha-256, sha-384, sha-512"), "\(reason)")

        // A peer connection passes the same reason on.
        let peer = PeerConnection(configuration: PeerConnectionConfiguration(certificate: try DTLSCertificate(issuedAt: 1_800_000_000)), seed: 9)
        let refusal = #expect(throws: PeerConnectionError.self) { _ = try peer.answer(remoteOffer: text, now: .now) }
        #expect(refusal?.description.contains("no usable DTLS fingerprint") == true, "\(refusal?.description ?? "")")
    }

    @Test("a section's own unusable fingerprints still override the session's")
    func unusableSectionFingerprintOverridesSession() throws {
        let text = try SDPFixture.text("firefox-offer-av")
        let marker = "a=mid:1\r\n"
        #expect(text.contains(marker))
        let offer = try SDP.SessionDescription(parsing: text.replacingOccurrences(
            of: marker, with: marker + "a=fingerprint:md5 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B\r\n"))
        #expect(offer.fingerprints.count == 1)
        #expect(offer.fingerprints(for: offer.media[0]) == offer.fingerprints)
        #expect(offer.fingerprints(for: offer.media[1]).isEmpty)
        #expect(throws: SDP.NegotiationError.missingFingerprint(mid: "1")) {
            try SDP.AnswerBuilder().answer(to: offer, transport: transport, sessionID: 1)
        }
    }

    @Test("the hash function's name and the hex digits may be in any case")
    func caseInsensitive() throws {
        let (_, line, fingerprint) = try Self.chromiumOffer()
        let hex = fingerprint.sdpValue.split(separator: " ")[1]
        for value in ["SHA-256 " + hex.lowercased(), "Sha-256 " + hex, "sha-256 " + hex.lowercased()] {
            let offer = try SDP.SessionDescription(parsing: Self.chromiumOffer(fingerprintLines: ["a=fingerprint:" + value]))
            #expect(offer.media.allSatisfy { $0.fingerprints == [fingerprint] && $0.otherAttributes.allSatisfy { $0.name != "fingerprint" } }, "\(value)")
        }
        #expect(line == "a=fingerprint:" + fingerprint.sdpValue, "the fixture is in the canonical form")
    }

    @Test("fingerprints are written canonically, skipped ones verbatim, and read back the same")
    func roundTrip() throws {
        let (_, line, fingerprint) = try Self.chromiumOffer()
        let lower = "a=fingerprint:SHA-256 " + fingerprint.sdpValue.split(separator: " ")[1].lowercased()
        let md5 = "a=fingerprint:md5 4a:ad:b9:b1:3f:82:18:3b:54:02:12:df:3e:5d:49:6b"
        let parsed = try SDP.SessionDescription(parsing: Self.chromiumOffer(fingerprintLines: [lower, md5]))
        let written = parsed.serialized()
        let lines = written.components(separatedBy: "\r\n")
        #expect(lines.filter { $0 == line }.count == 2)
        #expect(lines.filter { $0 == md5 }.count == 2)
        #expect(!written.contains(lower))
        #expect(try SDP.SessionDescription(parsing: written) == parsed)

        // Built by hand, as our own descriptions are: one line per fingerprint, upper-case hex.
        var session = SDP.SessionDescription(origin: SDP.Origin(sessionID: 1, sessionVersion: 1))
        let sha1 = try #require(DTLSFingerprint(sdpValue: "sha-1 4a:ad:b9:b1:3f:82:18:3b:54:02:12:df:3e:5d:49:6b:19:e5:7c:ab"))
        session.fingerprints = [fingerprint, sha1]
        let sessionText = session.serialized()
        #expect(sessionText.contains("\r\n" + line + "\r\na=fingerprint:sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB\r\n"))
        #expect(try SDP.SessionDescription(parsing: sessionText) == session)
    }

    @Test("our answers carry our certificate's fingerprint in the browsers' form")
    func answerCarriesOurFingerprint() throws {
        let offer = try SDPFixture.parsed("chromium-offer-av")
        let answer = try SDP.AnswerBuilder().answer(to: offer, transport: transport, sessionID: 1).sessionDescription
        let expected = "a=fingerprint:sha-256 " + transport.fingerprint.digest.map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
        #expect(answer.serialized().components(separatedBy: "\r\n").filter { $0 == expected }.count == answer.media.count)
    }
}
