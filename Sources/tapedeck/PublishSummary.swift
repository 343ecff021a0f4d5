import Foundation
import Publisher

/// What `tapedeck publish` prints when it ends: the encoder's totals and one line (or JSON
/// object) per synthetic participant.
struct PublishSummary: Encodable {
    var videoFramesEncoded: Int
    var keyframesEncoded: Int
    var audioFramesEncoded: Int
    var framesSkipped: Int
    var participants: [SyntheticParticipantReport]

    init(_ outcome: PublishSession.Outcome) {
        videoFramesEncoded = outcome.videoFramesEncoded
        keyframesEncoded = outcome.keyframesEncoded
        audioFramesEncoded = outcome.audioFramesEncoded
        framesSkipped = outcome.framesSkipped
        participants = outcome.participants
    }

    var text: String {
        var lines = ["encoded once: \(videoFramesEncoded) video frames (\(keyframesEncoded) keyframes), \(audioFramesEncoded) audio frames"
            + (framesSkipped > 0 ? ", \(framesSkipped) skipped (fell behind)" : "")]
        for report in participants {
            let connected = report.connections.filter(\.connected).count
            lines.append("publisher \(report.index) \(report.participant ?? "(never joined)"): "
                + "\(connected)/\(report.connections.count) receivers connected; "
                + "sent \(report.packetsSent) packets, \(report.bytesSent) bytes; "
                + "NACKs \(report.nacksReceived), PLI/FIR \(report.keyframeRequestsReceived), "
                + "retransmissions \(report.retransmissionsSent)")
        }
        return lines.joined(separator: "\n")
    }
}
