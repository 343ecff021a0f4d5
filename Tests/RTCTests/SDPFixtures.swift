import Foundation
import RTC

/// The SDP fixtures under Fixtures/sdp (see its README for which were captured from real peers).
///
/// Read relative to this source file rather than through a resource bundle, so the test target
/// needs no resources.
enum SDPFixture {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/sdp")

    /// Offers from a browser or library that the recorder must answer.
    static let offers = [
        "chromium-offer-av",
        "chromium-offer-av-datachannel",
        "aiortc-offer-av",
        "firefox-offer-av",
        "firefox-legacy-offer-session-ice",
        "safari-offer-av",
    ]

    /// Answers, for parsing and round trips.
    static let answers = [
        "chromium-answer-av-datachannel",
        "chromium-answer-to-recvonly-offer",
        "aiortc-answer-to-recvonly-offer",
    ]

    static let all = offers + answers

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name + ".sdp"), encoding: .utf8)
    }

    static func parsed(_ name: String) throws -> SDP.SessionDescription {
        try SDP.SessionDescription(parsing: text(name))
    }

    /// Recorder-side transport parameters for building answers and offers in tests.
    static let localTransport = SDP.TransportParameters(
        iceUfrag: "rec1", icePwd: "recorderpasswordrecorder",
        fingerprint: DTLSFingerprint(algorithm: .sha256, digest: (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 7) }))
}
