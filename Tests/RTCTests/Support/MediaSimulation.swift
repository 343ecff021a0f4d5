@testable import RTC
import Testing

/// A sender and the receive pipeline over a simulated network: B sends 30 fps VP8-shaped video
/// (about 1 Mbit/s, keyframes at the start and on request) and 50 packets/s of Opus-sized audio
/// through real SRTP; A receives, asks for what is missing, and hands on frames, which are kept
/// here with copies of their bytes to compare with what was sent.
struct MediaSimulation {
    struct ReceivedFrame {
        var frame: MediaFrame
        var bytes: [UInt8]
    }

    /// Frames that came out of A, in order of arrival (a class so the frame handler can append).
    final class Inbox {
        var frames: [ReceivedFrame] = []
        /// The next video frame is answered as dropped by a writer that needs a keyframe.
        var dropNextVideoFrame = false
    }

    struct SentVideoFrame {
        var rtpTimestamp: UInt32
        var isKeyframe: Bool
        var bytes: [UInt8]
        var sentAt: ContinuousClock.Instant
    }

    static let wallClockAtStart = 1_800_000_000.0

    /// How the sender's streams come about: configured by hand (the tests' default), or declared
    /// as tracks in the sender's SDP — its answer, or its own offer — and made from the negotiation.
    enum SenderStreams {
        case configuredByHand
        case declaredInAnswer
        case declaredInOffer
    }

    static let videoTrack = SDP.OutboundTrack(kind: .video, ssrc: 0x1111_0001, retransmissionSSRC: 0x1111_0002,
                                              cname: "simulated", msid: SDP.MSID(streamID: "sim", trackID: "video"))
    static let audioTrack = SDP.OutboundTrack(kind: .audio, ssrc: 0x2222_0001, cname: "simulated",
                                              msid: SDP.MSID(streamID: "sim", trackID: "audio"))

    var peers: PeerSimulation
    let inbox = Inbox()
    var video: OutboundStream
    var audio: OutboundStream
    private var packetizer = VP8Packetizer()
    private(set) var sentVideo: [SentVideoFrame] = []
    private(set) var sentAudio = 0
    /// When receiver reports about the video stream reached the sender (within a loop step).
    private(set) var receiverReportTimes: [ContinuousClock.Instant] = []
    private var videoTimestamp: UInt32
    private var audioTimestamp: UInt32 = 7_000
    private var keyframeWanted = true
    private var handledEvents = 0
    private var frameIndex = 0
    let videoConfiguration: OutboundStream.Configuration

    /// - Parameter tamperAnswer: edits the sender's answer before the receiver reads it (to
    ///   negotiate less than both support).
    init(conditions: SimulatedNetwork.Conditions, seed: UInt64, retransmits: Bool = true,
         firstSequenceNumber: UInt16 = 1_000, firstVideoTimestamp: UInt32 = 90_000,
         tamperAnswer: (String) -> String = { $0 }, senderStreams: SenderStreams = .configuredByHand) throws {
        let tracks = senderStreams == .configuredByHand ? [] : [Self.audioTrack, Self.videoTrack]
        var peers = try PeerSimulation(network: SimulatedNetwork(conditions: conditions, seed: seed), seed: seed,
                                       tamperAnswer: tamperAnswer, sendTracks: tracks,
                                       senderOffers: senderStreams == .declaredInOffer, configureSender: { configuration, start in
            configuration.wallClock = WallClockReference(instant: start, unixSeconds: Self.wallClockAtStart)
        })
        precondition(peers.run(for: .seconds(20)) { $0.bothConnected }, "the peers did not connect")
        self.peers = peers
        var videoConfiguration = OutboundStream.Configuration(ssrc: 0x1111_0001, payloadType: 96, clockRate: 90_000)
        videoConfiguration.rtxSSRC = 0x1111_0002
        videoConfiguration.rtxPayloadType = 97
        videoConfiguration.initialSequenceNumber = firstSequenceNumber
        videoConfiguration.retransmits = retransmits
        if senderStreams == .configuredByHand {
            self.videoConfiguration = videoConfiguration
            video = peers.b.addOutboundStream(videoConfiguration, now: peers.now)
            audio = peers.b.addOutboundStream(OutboundStream.Configuration(ssrc: 0x2222_0001, payloadType: 111, clockRate: 48_000),
                                              now: peers.now)
        } else {
            let streams = peers.b.makeOutboundStreams(now: peers.now)
            video = try #require(streams.first { $0.configuration.ssrc == Self.videoTrack.ssrc })
            audio = try #require(streams.first { $0.configuration.ssrc == Self.audioTrack.ssrc })
            self.videoConfiguration = video.configuration
        }
        videoTimestamp = firstVideoTimestamp
        let inbox = inbox
        peers.a.onFrame = { frame, bytes in
            if inbox.dropNextVideoFrame, frame.kind == .video {
                inbox.dropNextVideoFrame = false
                return .droppedNeedsKeyframe
            }
            inbox.frames.append(ReceivedFrame(frame: frame, bytes: Array(bytes)))
            return .taken
        }
    }

    var videoFrames: [ReceivedFrame] { inbox.frames.filter { $0.frame.kind == .video } }
    var audioFrames: [ReceivedFrame] { inbox.frames.filter { $0.frame.kind == .audio } }

    /// Sends media for `duration` of simulated time while the network and both peers run.
    mutating func run(for duration: Duration) throws {
        let end = peers.now + duration
        var nextVideo = peers.now
        var nextAudio = peers.now
        while peers.now < end {
            let next = min(nextVideo, nextAudio, end)
            if next > peers.now { peers.run(for: next - peers.now) { _ in false } }
            honourKeyframeRequests()
            if video.statistics.receiverReports > receiverReportTimes.count { receiverReportTimes.append(peers.now) }
            if peers.now >= nextVideo {
                try sendVideoFrame()
                nextVideo = nextVideo + .microseconds(33_333)
            }
            if peers.now >= nextAudio {
                try sendAudioFrame()
                nextAudio = nextAudio + .milliseconds(20)
            }
        }
    }

    /// Replaces the video stream by a new one, as a publisher that reconnects does: new SSRC,
    /// new sequence numbers and a new random timestamp base.
    mutating func restartVideo(ssrc: UInt32, firstSequenceNumber: UInt16, firstTimestamp: UInt32) {
        var configuration = videoConfiguration
        configuration.ssrc = ssrc
        configuration.rtxSSRC = ssrc &+ 1
        configuration.initialSequenceNumber = firstSequenceNumber
        video = peers.b.addOutboundStream(configuration, now: peers.now)
        videoTimestamp = firstTimestamp
        keyframeWanted = true
    }

    private mutating func honourKeyframeRequests() {
        let events = peers.events[1]
        while handledEvents < events.count {
            if case .keyframeRequested(let ssrc) = events[handledEvents], ssrc == video.configuration.ssrc { keyframeWanted = true }
            handledEvents += 1
        }
    }

    private mutating func sendVideoFrame() throws {
        let isKeyframe = keyframeWanted
        keyframeWanted = false
        let bytes = Self.vp8Frame(index: frameIndex, isKeyframe: isKeyframe)
        frameIndex += 1
        sentVideo.append(SentVideoFrame(rtpTimestamp: videoTimestamp, isKeyframe: isKeyframe, bytes: bytes, sentAt: peers.now))
        var payloads: [([UInt8], Bool)] = []
        bytes.withUnsafeBytes { frame in
            packetizer.packetize(frame, isKeyframe: isKeyframe, maxPayloadSize: 1_100) { payload, isLast in
                payloads.append((Array(payload), isLast))
            }
        }
        for (payload, isLast) in payloads {
            try payload.withUnsafeBytes {
                try peers.b.send(payload: $0, marker: isLast, rtpTimestamp: videoTimestamp, on: video, now: peers.now)
            }
        }
        videoTimestamp &+= 3_000
    }

    /// The RFC 6464 level audio packet `index` carries (when the extension was negotiated): its
    /// second payload byte says which packet it was, so a receiver can check it.
    static func audioLevel(ofPacket index: Int) -> AudioLevel {
        AudioLevel(level: UInt8(index % 256 % 128), voiceActivity: index % 2 == 0)
    }

    private mutating func sendAudioFrame() throws {
        let payload: [UInt8] = [0x78] + (0 ..< 79).map { UInt8(truncatingIfNeeded: sentAudio &+ $0) }
        try payload.withUnsafeBytes {
            try peers.b.send(payload: $0, marker: false, rtpTimestamp: audioTimestamp, audioLevel: Self.audioLevel(ofPacket: sentAudio),
                             on: audio, now: peers.now)
        }
        sentAudio += 1
        audioTimestamp &+= 960
    }

    /// A VP8 frame as far as the depacketizer looks (RFC 6386 §9.1 frame tag; keyframes with the
    /// start code and a 640x480 size), then bytes that identify the frame. About 4 KB, a 1 Mbit/s
    /// stream at 30 fps; keyframes 15 KB.
    static func vp8Frame(index: Int, isKeyframe: Bool) -> [UInt8] {
        let size = isKeyframe ? 15_000 : 3_000 + (index * 7_919) % 2_400
        let firstPartitionSize = 1_000
        let tag = UInt32(firstPartitionSize) << 5 | 1 << 4 | (isKeyframe ? 0 : 1)
        var bytes: [UInt8] = [UInt8(tag & 0xFF), UInt8(tag >> 8 & 0xFF), UInt8(tag >> 16 & 0xFF)]
        if isKeyframe { bytes += [0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01] }
        while bytes.count < size { bytes.append(UInt8(truncatingIfNeeded: index &* 31 &+ bytes.count)) }
        return bytes
    }
}
