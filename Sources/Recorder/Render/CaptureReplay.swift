import Capture
import Foundation
import RTC

/// One connection's raw capture (docs/capture.md) replayed: its packets run, at their captured
/// arrival times, through a `PeerConnection`'s receive pipeline, and the frames that come out go
/// to a `ParticipantRecorder`, exactly as a live recording's do — only as fast as the CPU allows.
/// It goes a packet at a time (`replayNext`) so that a render interleaves a recording's captures
/// by arrival, as the call happened: a room's mix hears everyone at once.
///
/// A capture that ends inside a block (a killed recorder) or is damaged replays what precedes the
/// damage, and says where it stopped.
final class CaptureReplay: RenderInput {
    /// The capture's file name in the recording's folder.
    let captureName: String
    /// Who the capture is of, as its interface says: the name given at join, else the id.
    private(set) var participant = ""
    private(set) var connectionID = ""
    private(set) var name: String?
    private(set) var packets = 0
    private(set) var firstArrival: Double?
    private(set) var lastArrival: Double?
    private(set) var lastNanoseconds: Int64?
    /// Where reading stopped early, if it did.
    private(set) var damage: PcapngReadError?
    /// A negotiation that could not be replayed (its media then has nowhere to go).
    private(set) var errors: [String] = []
    /// The packet due next; nil once the capture is read to its end or to its damage.
    private(set) var next: CapturedPacket?
    private(set) var recorder: ParticipantRecorder?

    private var reader: PcapngReader
    private let peer: PeerConnection
    private var pendingOffer: (text: String, remote: Bool)?
    private var buffer: [UInt8] = []

    /// Opens `bytes` and reads its first packet; nil `next` when it holds none.
    init(captureName: String, bytes: CaptureBytes) throws {
        self.captureName = captureName
        reader = PcapngReader(bytes)
        peer = PeerConnection(configuration: PeerConnectionConfiguration(certificate: try DTLSCertificate(issuedAt: 1_800_000_000)),
                              seed: 1)
        buffer.reserveCapacity(1_500)
        readNext()
    }

    /// Replays the packet due next and reads the one after it. The first makes the recorder
    /// (`makeRecorder(participant)`), to which every frame goes through `frames`.
    func replayNext(timeline: ReplayTimeline, makeRecorder: (String) -> ParticipantRecorder,
                    frames: @escaping (ParticipantRecorder, MediaFrame, UnsafeRawBufferPointer) -> Void) {
        guard let packet = next else { return }
        if recorder == nil {
            let interface = reader.interfaces.first
            connectionID = interface?.name ?? "capture"
            name = interface?.description
            participant = name ?? connectionID
            let made = makeRecorder(participant)
            peer.onFrame = { frame, bytes in
                frames(made, frame, bytes)
                return .taken
            }
            recorder = made
        }
        let seconds = Double(packet.unixNanoseconds) / 1e9
        let now = timeline.instant(unixNanoseconds: packet.unixNanoseconds)
        packets += 1
        firstArrival = firstArrival ?? seconds
        lastArrival = seconds
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
                    errors.append("\(error)")
                }
                pendingOffer = nil
            }
        case nil:
            break  // another tool's packet, or a dissector we do not render
        }
        readNext()
    }

    /// Runs the connection's timers up to `now`, as the live connection's ran between packets
    /// (a hole given up, frames handed on): the others' packets go on meanwhile.
    func advance(to now: ContinuousClock.Instant) {
        guard recorder != nil else { return }
        peer.replayTime(until: now)
    }

    /// The capture has ended: what was due by its last packet runs, the connection closes and the
    /// recorder finishes its files.
    func finish(timeline: ReplayTimeline) -> ParticipantRecording? {
        let end = timeline.end(afterLastPacketAt: lastNanoseconds)
        if lastNanoseconds != nil {
            peer.replayTime(until: end)
            peer.close(now: end)
        }
        recorder?.finish(now: end)
        return recorder.map(ParticipantRecording.init)
    }

    /// Stops reading: the render was interrupted.
    func interrupt() {
        errors.append("stopped after \(packets) packets: the render was interrupted")
        next = nil
    }

    private func readNext() {
        do {
            next = try reader.next()
        } catch {
            damage = error
            next = nil
        }
    }

    /// Why a capture gave no packet: none in it, or what stopped the reader.
    var emptyReason: String {
        damage.map { "\($0)" } ?? "no packet"
    }

    // MARK: RenderInput

    var label: String { captureName }
    var due: Int64? { next?.unixNanoseconds }
    var replayed: Int { packets }
    var unit: String { "packets" }
    var seconds: Double { (lastArrival ?? 0) - (firstArrival ?? 0) }
    var stoppedEarly: String? { damage.map { "\($0)" } }

    func report(_ recording: ParticipantRecording?) -> (report: ParticipantReport, errors: [String]) {
        let stats = peer.stats
        let report = ParticipantReport(
            participant: connectionID, name: name, connected: true, iceState: "replayed", srtpProfile: nil, selectedPair: nil,
            localCandidates: [], remoteCandidates: [], candidatePairs: [], streams: stats.streams, rtcpPackets: stats.rtcpPackets,
            authenticationFailures: 0, replays: 0, recording: recording)
        var problems = damage.map { ["\(captureName): \($0); rendered what precedes it"] } ?? []
        problems += errors.map { "\(participant): \($0)" }
        return (report, problems)
    }
}
