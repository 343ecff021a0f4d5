import CMallocCounter
import RTC

/// (e): the whole receive pipeline for a 1 Mbit/s VP8 + Opus stream, as the UDP driver runs it:
/// demultiplexing, SRTP, routing, RTX, reorder, NACK bookkeeping, depacketizing, frames handed
/// to a sink — plus the timers that write receiver reports and transport-wide feedback.
///
/// A sender `PeerConnection` packetizes 30 fps VP8-shaped frames and 50 Opus packets a second
/// after a real DTLS handshake; every 20 ms of virtual time the receiver takes what was sent and
/// its feedback goes back. Only the receiver's calls are timed and their allocations counted.
///
/// (g) runs the same with `connections` pairs at once, their packets interleaved as a shared
/// port hands them over: one connection's state stays in the caches from packet to packet, a hundred
/// connections' does not, and the difference is what a recorder of many participants pays per
/// packet beyond (e).
enum PipelineBench {
    struct Result {
        var profile: String
        var connections: Int
        var mediaSeconds: Double
        var packets: Int
        var frames: Int
        var seconds: Double
        /// Heap allocations in steady state: receiving RTP media, and everything else (timers,
        /// feedback written, RTCP and STUN received).
        var receiveAllocations: Int
        var timerAllocations: Int
        var steadyPackets: Int
        var steadyMediaPackets: Int

        var microsecondsPerPacket: Double { seconds * 1e6 / Double(packets) }
        var allocationsPerMediaPacket: Double { Double(receiveAllocations) / Double(steadyMediaPackets) }
    }

    /// One receiving connection, its sender, and what the sender sent in the current tick.
    private final class Connection {
        var pair: ConnectedPair
        var source: MediaSource
        var frames = 0
        var toReceiver: [[UInt8]] = []

        init() throws {
            pair = try ConnectedPair()
            source = try MediaSource(sender: pair.sender, start: pair.connectedAt)
            pair.receiver.onFrame = { [unowned self] _, _ in
                frames += 1
                return .taken
            }
        }
    }

    static func run(mediaSeconds: Int, connections count: Int = 1) throws -> Result {
        let connections = try (0 ..< count).map { _ in try Connection() }
        // Each pair connected in virtual time of its own; every tick is an offset from its start.
        let work = UnsafeMutableRawBufferPointer.allocate(byteCount: 2_048, alignment: 16)
        defer { work.deallocate() }
        var packets = 0, steadyPackets = 0, mediaPackets = 0
        var receiveAllocations = 0, timerAllocations = 0
        var receiverTime = Duration.zero
        let clock = ContinuousClock()
        var elapsed = Duration.zero
        let warmUp = Duration.seconds(mediaSeconds) / 10
        while elapsed < .seconds(mediaSeconds) {
            // The senders' media, SRs and STUN for this 20 ms tick; then the receivers take them,
            // one packet of each connection in turn.
            var longest = 0
            for connection in connections {
                connection.toReceiver.removeAll(keepingCapacity: true)
                try connection.source.tick(now: connection.pair.connectedAt + elapsed)
                for transmit in connection.pair.sender.pollAll().transmits { connection.toReceiver.append(transmit.bytes) }
                longest = max(longest, connection.toReceiver.count)
            }
            let steady = elapsed >= warmUp
            let startAllocations = tapedeck_allocation_count()
            let startTime = clock.now
            for connection in connections {
                let now = connection.pair.connectedAt + elapsed
                if let due = connection.pair.receiverWakeUp, due <= now { connection.pair.receiver.handleTimeout(now: now) }
            }
            let afterTimers = tapedeck_allocation_count()
            var controlAllocations = 0
            for index in 0 ..< longest {
                for connection in connections where index < connection.toReceiver.count {
                    let bytes = connection.toReceiver[index]
                    let slice = UnsafeMutableRawBufferPointer(rebasing: work[0 ..< bytes.count])
                    slice.copyBytes(from: bytes)
                    // RTP media, or control (RTCP sender reports, STUN consent checks): counted apart.
                    let isMedia = bytes.count > 1 && bytes[0] >> 6 == 2 && !(192 ... 223).contains(bytes[1])
                    let before = tapedeck_allocation_count()
                    connection.pair.receiver.receive(slice, from: ConnectedPair.senderBase, on: ConnectedPair.receiverBase,
                                                     now: connection.pair.connectedAt + elapsed)
                    if !isMedia { controlAllocations += tapedeck_allocation_count() - before } else if steady { mediaPackets += 1 }
                    packets += 1
                    if steady { steadyPackets += 1 }
                }
            }
            let afterReceive = tapedeck_allocation_count() - controlAllocations
            receiverTime += clock.now - startTime
            if steady {
                timerAllocations += afterTimers - startAllocations + controlAllocations
                receiveAllocations += afterReceive - afterTimers
            }
            // The receivers' feedback and consent checks go back to the senders (not timed).
            for connection in connections {
                let output = connection.pair.receiver.pollAll()
                connection.pair.receiverWakeUp = output.wakeUp
                for transmit in output.transmits {
                    var bytes = transmit.bytes
                    bytes.withUnsafeMutableBytes {
                        connection.pair.sender.receive($0, from: ConnectedPair.receiverBase, on: ConnectedPair.senderBase,
                                                       now: connection.pair.connectedAt + elapsed)
                    }
                }
            }
            elapsed += .milliseconds(20)
        }
        return Result(profile: connections[0].pair.receiver.stats.srtpProfile ?? "?", connections: count,
                      mediaSeconds: Double(mediaSeconds), packets: packets, frames: connections.reduce(0) { $0 + $1.frames },
                      seconds: receiverTime.seconds, receiveAllocations: receiveAllocations, timerAllocations: timerAllocations,
                      steadyPackets: steadyPackets, steadyMediaPackets: mediaPackets)
    }

    /// 30 fps VP8-shaped video of about 4.2 KB a frame (1 Mbit/s), a keyframe every 10 s, and
    /// 50 Opus packets a second, sent through the sender's outbound streams.
    struct MediaSource {
        let sender: PeerConnection
        let start: ContinuousClock.Instant
        let video: OutboundStream
        let audio: OutboundStream
        var packetizer = VP8Packetizer()
        var videoTimestamp: UInt32 = 0, audioTimestamp: UInt32 = 0
        var frameIndex = 0
        var nextVideo: ContinuousClock.Instant
        /// An Opus packet: TOC 0x78 (SILK wideband 20 ms, one frame), then the frame.
        let audioPayload = [0x78] + [UInt8](repeating: 0x55, count: 79)

        init(sender: PeerConnection, start: ContinuousClock.Instant) throws {
            self.sender = sender
            self.start = start
            var videoConfiguration = OutboundStream.Configuration(ssrc: 0x1111_0001, payloadType: 96, clockRate: 90_000)
            videoConfiguration.rtxSSRC = 0x1111_0002
            videoConfiguration.rtxPayloadType = 97
            video = sender.addOutboundStream(videoConfiguration, now: start)
            audio = sender.addOutboundStream(OutboundStream.Configuration(ssrc: 0x2222_0001, payloadType: 111, clockRate: 48_000), now: start)
            nextVideo = start
        }

        mutating func tick(now: ContinuousClock.Instant) throws {
            sender.handleTimeout(now: now)
            while now >= nextVideo {
                let isKeyframe = frameIndex % 300 == 0
                let frame = PipelineBench.vp8Frame(size: isKeyframe ? 20_000 : 3_000 + (frameIndex * 7_919) % 2_400, isKeyframe: isKeyframe)
                var payloads: [([UInt8], Bool)] = []
                frame.withUnsafeBytes { bytes in
                    packetizer.packetize(bytes, isKeyframe: isKeyframe, maxPayloadSize: 1_150) { payloads.append((Array($0), $1)) }
                }
                for (payload, isLast) in payloads {
                    try payload.withUnsafeBytes { try sender.send(payload: $0, marker: isLast, rtpTimestamp: videoTimestamp, on: video, now: now) }
                }
                videoTimestamp &+= 3_000
                frameIndex += 1
                nextVideo += .microseconds(33_333)
            }
            try audioPayload.withUnsafeBytes { try sender.send(payload: $0, marker: false, rtpTimestamp: audioTimestamp, on: audio, now: now) }
            audioTimestamp &+= 960
        }
    }

    static func vp8Frame(size: Int, isKeyframe: Bool) -> [UInt8] {
        let tag = UInt32(1_000) << 5 | 1 << 4 | (isKeyframe ? 0 : 1)
        var bytes: [UInt8] = [UInt8(tag & 0xFF), UInt8(tag >> 8 & 0xFF), UInt8(tag >> 16 & 0xFF)]
        if isKeyframe { bytes += [0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01] }
        bytes += (bytes.count ..< size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        return bytes
    }
}
