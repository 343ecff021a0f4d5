import Capture
import Foundation
import RTC

/// Renders one connection's raw capture (docs/capture.md) to files: its packets are replayed,
/// at their captured arrival times, through a `PeerConnection`'s receive pipeline and the frames
/// that come out go to a `ParticipantRecorder`, exactly as a live recording's do — only as fast
/// as the CPU allows, on the calling thread. The same capture and recipe give the same frames.
///
/// A capture that ends inside a block (a killed recorder) or is damaged renders what precedes
/// the damage, and says where it stopped.
struct CaptureReplay {
    /// Who the capture is of, as its interface says: the name given at join, else the id.
    var participant: String
    var connectionID: String
    var name: String?
    var packets = 0
    var firstArrival: Double?
    var lastArrival: Double?
    /// Where reading stopped early, if it did.
    var damage: PcapngReadError?
    var stats: PeerConnectionStats?
    var recording: ParticipantRecording?
    /// A negotiation that could not be replayed (its media then has nowhere to go).
    var errors: [String] = []

    /// The first packet's arrival (Unix seconds) and who the capture is of, without rendering:
    /// to order a recording's captures as their connections began.
    static func peek(_ bytes: [UInt8]) -> (startNanoseconds: Int64, connectionID: String, name: String?)? {
        var reader = PcapngReader(bytes)
        guard let first = try? reader.next(), let interface = reader.interfaces.first else { return nil }
        return (first.unixNanoseconds, interface.name ?? "", interface.description)
    }

    /// Replays `bytes` into a recorder writing `recipe`'s files into `directory`.
    /// - Parameters:
    ///   - timeline: maps captured times to instants; shared by a recording's captures, so they
    ///     keep one timeline.
    static func render(_ bytes: [UInt8], recipe: Recipe, directory: String, naming: @escaping SegmentNaming,
                       numbering: SegmentNumbering, timeline: ReplayTimeline, gate: RecordingWriteGate = RecordingWriteGate(),
                       isCancelled: () -> Bool = { false }) throws -> CaptureReplay {
        var reader = PcapngReader(bytes)
        let peer = PeerConnection(configuration: PeerConnectionConfiguration(certificate: try DTLSCertificate(issuedAt: 1_800_000_000)),
                                  seed: 1)
        var replay = CaptureReplay(participant: "", connectionID: "")
        var recorder: ParticipantRecorder?
        var pendingOffer: (text: String, remote: Bool)?
        var lastNanoseconds: Int64?
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1_500)
        while true {
            if replay.packets % 1_024 == 1_023, isCancelled() {
                replay.errors.append("stopped after \(replay.packets) packets: the render was interrupted")
                break
            }
            let packet: CapturedPacket
            do {
                guard let next = try reader.next() else { break }
                packet = next
            } catch {
                replay.damage = error
                break
            }
            if recorder == nil {
                let interface = reader.interfaces.first
                replay.connectionID = interface?.name ?? "capture"
                replay.name = interface?.description
                replay.participant = replay.name ?? replay.connectionID
                let made = ParticipantRecorder(participant: replay.participant, format: recipe, directory: directory, naming: naming,
                                               wallClock: timeline.wallClock, numbering: numbering, gate: gate)
                peer.onFrame = { frame, bytes in made.receive(frame, bytes) }
                recorder = made
            }
            let seconds = Double(packet.unixNanoseconds) / 1e9
            let now = timeline.instant(unixNanoseconds: packet.unixNanoseconds)
            replay.packets += 1
            replay.firstArrival = replay.firstArrival ?? seconds
            replay.lastArrival = seconds
            lastNanoseconds = packet.unixNanoseconds
            switch packet.kind {
            case .rtp:
                buffer.removeAll(keepingCapacity: true)
                buffer.append(contentsOf: packet.data)
                buffer.withUnsafeMutableBytes { peer.replayRTP($0, now: now) }
            case .rtcp:
                packet.data.withUnsafeBytes { peer.replayRTCP($0, now: now) }
            case .sessionDescription:
                let text = String(decoding: packet.data, as: UTF8.self)
                if packet.comment == "offer" {
                    pendingOffer = (text, packet.direction == .inbound)
                } else if packet.comment == "answer", let offer = pendingOffer {
                    do {
                        try peer.replayNegotiation(offer: offer.text, answer: text, remoteOffered: offer.remote)
                    } catch {
                        replay.errors.append("\(error)")
                    }
                    pendingOffer = nil
                }
            case nil:
                continue  // another tool's packet, or a dissector we do not render
            }
        }
        if let lastNanoseconds {
            let end = timeline.instant(unixNanoseconds: lastNanoseconds)
            peer.replayTime(until: end)
            peer.close(now: end)
        }
        recorder?.finish()
        replay.recording = recorder.map(ParticipantRecording.init)
        replay.stats = peer.stats
        return replay
    }
}
