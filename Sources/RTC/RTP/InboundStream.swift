/// The receiver of one RTP stream (SSRC): puts packets back in order, asks for missing ones
/// (NACK) and for keyframes (PLI/FIR), assembles frames and hands complete, decodable ones on with
/// their place on the track's timeline. Keeps the stream's statistics.
///
/// Sans-IO like the rest of the core: packets and time come in; frames, NACK lists and keyframe
/// requests go out. Nothing is allocated per packet once the stream is set up.
final class InboundStream {
    typealias FrameHandler = (MediaFrame, UnsafeRawBufferPointer) -> FrameDisposition

    let ssrc: UInt32
    let description: InboundStreamDescription
    private(set) var stats: InboundStreamStats
    private let tuning: ReceiverTuning
    private let timeline: ContinuousTrackTimeline
    private(set) var sequenceNumbers = SequenceNumberUnwrapper()
    private var timestamps = RTPTimestampUnwrapper()
    private let reorder: ReorderBuffer
    private(set) var nacks: NackScheduler
    private var keyframes: KeyframeRequestThrottle
    private var assembler: FrameAssembler
    private(set) var senderClock: SenderClock
    private(set) var jitter = InterarrivalJitter()
    /// Advanced by each receiver report (see InboundStream+Reports).
    var lossCounter = ReceptionLossCounter()
    let firstArrival: ContinuousClock.Instant
    private(set) var lastArrival: ContinuousClock.Instant
    /// Video is handed on from a complete keyframe, and again after any incomplete frame.
    private var awaitingKeyframe: Bool
    private var lastFrameTimestamp: Int64?
    private(set) var firstExtendedSequence: Int64?
    private(set) var firCommandSequence: UInt8 = 0

    init(ssrc: UInt32, description: InboundStreamDescription, timeline: ContinuousTrackTimeline, tuning: ReceiverTuning,
         now: ContinuousClock.Instant) {
        self.ssrc = ssrc
        self.description = description
        self.tuning = tuning
        self.timeline = timeline
        let isVideo = description.codec.kind == .video
        let window = isVideo ? tuning.videoWindow : tuning.audioWindow
        reorder = ReorderBuffer(capacity: window,
                                holdBack: description.nack ? tuning.holdBackWithRetransmission : tuning.holdBackWithoutRetransmission,
                                epoch: now)
        nacks = NackScheduler(capacity: window, reorderDelay: tuning.reorderDelay, maxRequestsPerPacket: tuning.maxNacksPerPacket)
        keyframes = KeyframeRequestThrottle(interval: tuning.keyframeRequestInterval)
        assembler = FrameAssembler(codec: description.codec)
        senderClock = SenderClock(clockRate: Int64(description.clockRate))
        stats = InboundStreamStats(ssrc: ssrc, mid: description.mid, kind: "\(description.codec.kind)",
                                   codec: description.codec.description, payloadType: description.payloadType)
        firstArrival = now
        lastArrival = now
        awaitingKeyframe = isVideo
        if isVideo { keyframes.request(now: now) }
    }

    var isVideo: Bool { description.codec.kind == .video }

    // MARK: Packets in

    /// `audioLevel`: the packet's RFC 6464 level, when the stream negotiated it and the packet has one.
    func receive(sequenceNumber: UInt16, timestamp: UInt32, marker: Bool, payload: UnsafeRawBufferPointer,
                 audioLevel: AudioLevel? = nil, isRetransmission: Bool, now: ContinuousClock.Instant, emit: FrameHandler) {
        let sequence = sequenceNumbers.unwrap(sequenceNumber)
        let extendedTimestamp = timestamps.unwrap(timestamp)
        lastArrival = now
        if firstExtendedSequence == nil { firstExtendedSequence = sequence }
        if isRetransmission { stats.retransmissionsReceived += 1 }
        reorder.makeRoom(for: sequence) { delivery, bytes in assemble(delivery, bytes, now: now, emit: emit) }
        switch reorder.insert(sequence: sequence, timestamp: extendedTimestamp, marker: marker, isRetransmission: isRetransmission,
                              audioLevel: audioLevel, payload: payload, arrival: now) {
        case .inOrder(let delivery):
            // Nothing waits behind it, so nothing else becomes ready.
            count(payload)
            if !isRetransmission { jitter.update(arrivalInClockUnits: clockUnits(now - firstArrival), rtpTimestamp: timestamp) }
            assemble(delivery, payload, now: now, emit: emit)
            return
        case .stored(let missing):
            count(payload)
            if description.nack { nacks.markMissing(missing, now: now) }
            if !isRetransmission { jitter.update(arrivalInClockUnits: clockUnits(now - firstArrival), rtpTimestamp: timestamp) }
        case .filledHole:
            count(payload)
            // Recovered by NACK: asked for, and then retransmitted — on the RTX stream when there is
            // one (a late original that arrives after the NACK was only reordered).
            if nacks.markArrived(sequence, now: now), isRetransmission || !description.retransmitsOnRTX { stats.packetsRecovered += 1 }
        case .duplicate:
            stats.duplicates += 1
            return
        case .late:
            // A retransmission that comes after the hole was given up (or one the sender made to
            // probe bandwidth) is counted only as a retransmission.
            if !isRetransmission { stats.latePackets += 1 }
            return
        case .oversize:
            stats.malformedPackets += 1
            return
        }
        reorder.deliver { delivery, bytes in assemble(delivery, bytes, now: now, emit: emit) }
    }

    /// Gives up holes that waited long enough and hands on what follows them.
    func handleTimeout(now: ContinuousClock.Instant, emit: FrameHandler) {
        let givenUpBefore = reorder.packetsGivenUp
        reorder.giveUpExpired(now: now) { delivery, bytes in assemble(delivery, bytes, now: now, emit: emit) }
        if reorder.packetsGivenUp != givenUpBefore, let next = reorder.nextToDeliver {
            nacks.forget(before: next)
        }
        stats.packetsLost = reorder.packetsGivenUp
    }

    /// The stream ended (BYE, or the connection closed): hands on what is held.
    func flush(now: ContinuousClock.Instant, emit: FrameHandler) {
        reorder.flush { delivery, bytes in assemble(delivery, bytes, now: now, emit: emit) }
        if let next = reorder.nextToDeliver { nacks.forget(before: next) }
        stats.packetsLost = reorder.packetsGivenUp
    }

    private func count(_ payload: UnsafeRawBufferPointer) {
        stats.packetsReceived += 1
        stats.bytesReceived += payload.count
    }

    // MARK: Frames out

    private func assemble(_ delivery: ReorderBuffer.Delivery, _ payload: UnsafeRawBufferPointer,
                          now: ContinuousClock.Instant, emit: FrameHandler) {
        if !delivery.continuous, isVideo {
            // Packets were given up. Even when they made up whole frames (so no frame is
            // reported incomplete), the frames after them may refer to what was lost: wait for
            // a keyframe.
            awaitingKeyframe = true
            keyframes.request(now: now)
        }
        assembler.push(payload: payload, marker: delivery.marker, sequence: delivery.sequence, timestamp: delivery.timestamp,
                       continuous: delivery.continuous) { frame, bytes in
            // An Opus frame is one packet: the delivery's level is the frame's.
            handOn(frame, bytes, arrival: delivery.arrival, audioLevel: delivery.audioLevel, now: now, emit: emit)
        }
        stats.malformedPackets = assembler.malformedPayloads
        if assembler.oversizedFrames > 0 { stats.oversizedFrames = assembler.oversizedFrames }
    }

    private func handOn(_ frame: AssembledFrame, _ bytes: UnsafeRawBufferPointer, arrival: ContinuousClock.Instant,
                        audioLevel: AudioLevel?, now: ContinuousClock.Instant, emit: FrameHandler) {
        guard frame.isComplete else {
            stats.incompleteFrames += 1
            if isVideo {
                awaitingKeyframe = true
                keyframes.request(now: now)
            }
            return
        }
        if isVideo {
            if frame.isKeyframe {
                awaitingKeyframe = false
                keyframes.keyframeArrived()
            } else if awaitingKeyframe {
                stats.framesDiscarded += 1
                return
            }
        }
        let position = timeline.position(ssrc: ssrc, rtpTimestamp: frame.timestamp, arrival: arrival)
        if isVideo, let last = lastFrameTimestamp,
           position - last > Int64(Double(description.clockRate) * tuning.freezeThreshold.seconds) {
            stats.freezes += 1
        }
        lastFrameTimestamp = position
        stats.frames += 1
        if frame.isKeyframe, isVideo {
            stats.keyframes += 1
            if let width = frame.width, let height = frame.height {
                stats.width = width
                stats.height = height
            }
        }
        let disposition = emit(MediaFrame(mid: description.mid, ssrc: ssrc, codec: description.codec, clockRate: description.clockRate,
                                          timestamp: position, rtpTimestamp: frame.timestamp,
                                          senderTime: senderClock.senderTime(ofRTPTimestamp: frame.timestamp),
                                          senderReport: stats.senderReports, arrival: arrival,
                                          isKeyframe: frame.isKeyframe, width: frame.width, height: frame.height,
                                          audioLevel: isVideo ? nil : audioLevel), bytes)
        if disposition == .droppedNeedsKeyframe { requestKeyframe(now: now) }
    }

    func noteRetransmissionSSRC(_ ssrc: UInt32) { stats.rtxSSRC = ssrc }

    // MARK: Feedback

    /// Appends the sequence numbers to NACK now.
    func collectNacks(now: ContinuousClock.Instant, into list: inout [UInt16]) {
        guard description.nack else { return }
        let before = list.count
        nacks.collectDue(now: now, into: &list)
        if list.count > before {
            stats.nacksSent += 1
            stats.packetsRequested += list.count - before
        }
    }

    /// Asks the sender for a keyframe at the next opportunity (the writer wants one).
    func requestKeyframe(now: ContinuousClock.Instant) {
        guard isVideo else { return }
        keyframes.request(now: now)
    }

    enum KeyframeRequest { case pli, fir(commandSequence: UInt8) }

    /// A keyframe request due now, counted as sent.
    func takeKeyframeRequest(now: ContinuousClock.Instant) -> KeyframeRequest? {
        guard isVideo, description.pli || description.fir, keyframes.takeDue(now: now) else { return nil }
        if description.pli {
            stats.plisSent += 1
            return .pli
        }
        stats.firsSent += 1
        firCommandSequence &+= 1
        return .fir(commandSequence: firCommandSequence)
    }

    /// The earliest time this stream needs `handleTimeout` or feedback.
    var nextTimeout: ContinuousClock.Instant? {
        var earliest = reorder.headDeadline
        if description.nack, let due = nacks.nextDue { earliest = earliest.map { min($0, due) } ?? due }
        if isVideo, description.pli || description.fir, let due = keyframes.nextDue {
            earliest = earliest.map { min($0, due) } ?? due
        }
        return earliest
    }

    func senderReport(ntp: UInt64, rtpTimestamp: UInt32, now: ContinuousClock.Instant) {
        senderClock.update(ntp: ntp, rtpTimestamp: timestamps.peek(rtpTimestamp), arrival: now)
        stats.senderReports += 1
    }

    func ended(now: ContinuousClock.Instant, emit: FrameHandler) {
        stats.ended = true
        flush(now: now, emit: emit)
    }

    private func clockUnits(_ duration: Duration) -> Int64 {
        Int64(duration.seconds * Double(description.clockRate))
    }
}
