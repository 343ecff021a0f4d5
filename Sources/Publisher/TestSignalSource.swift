import Foundation
import Logging
import Media
import NIOCore
import RTC
import Synchronization

/// The one test signal of a `tapedeck publish` process: encodes one video and one audio stream
/// on real time (scheduled tasks on its event loop, paced from one epoch, never drifting),
/// packetizes each frame once and hands the packets to every connection through `FrameFanOut`.
/// Encoding once and replaying is what lets one process send hundreds of streams. A keyframe
/// asked for by any receiver is a keyframe for all — harmless for the others.
final class TestSignalSource: Sendable {
    struct Configuration: Sendable {
        var video = TestPatternVideoEncoder.Configuration()
        var audio = ToneAudioEncoder.Configuration()
    }

    /// What the source has produced, for the summary.
    struct Statistics: Sendable, Hashable {
        var videoFrames = 0
        var keyframes = 0
        var audioFrames = 0
        /// Frames skipped because the loop fell more than `maximumLag` behind.
        var skippedFrames = 0
    }

    /// A payload never exceeds this, leaving room in a 1280-byte datagram (the IPv6 minimum MTU)
    /// for the RTP header, the MID extension and the SRTP tag.
    static let maxPayloadSize = 1_150
    /// Farther behind than this (an overloaded machine), the source skips ahead rather than
    /// bursting: receivers see a gap, as after a network stall.
    static let maximumLag: Duration = .milliseconds(500)

    let epoch: MediaEpoch
    let eventLoop: any EventLoop
    private let keyframeRequest: KeyframeRequest
    private let state: NIOLoopBound<SourceState>

    private init(epoch: MediaEpoch, eventLoop: any EventLoop, keyframeRequest: KeyframeRequest, state: NIOLoopBound<SourceState>) {
        self.epoch = epoch
        self.eventLoop = eventLoop
        self.keyframeRequest = keyframeRequest
        self.state = state
    }

    /// Makes the encoders on the source's event loop, where they stay (throwing their
    /// configuration errors), and starts the clock.
    static func start(configuration: Configuration, eventLoop: any EventLoop, fanOut: FrameFanOut,
                      logger: Logger) async throws -> TestSignalSource {
        try await eventLoop.submit {
            let video = try TestPatternVideoEncoder(configuration: configuration.video)
            let audio = try ToneAudioEncoder(configuration: configuration.audio)
            let epoch = MediaEpoch(start: .now, unixSeconds: Date().timeIntervalSince1970)
            let keyframeRequest = KeyframeRequest()
            let state = SourceState(video: video, audio: audio, epoch: epoch, keyframeRequest: keyframeRequest,
                                    fanOut: fanOut, logger: logger)
            state.produce(eventLoop: eventLoop)
            return TestSignalSource(epoch: epoch, eventLoop: eventLoop, keyframeRequest: keyframeRequest,
                                    state: NIOLoopBound(state, eventLoop: eventLoop))
        }.get()
    }

    /// Asks for a keyframe next frame; from any thread (a connection's loop, on PLI or FIR).
    func requestKeyframe() {
        keyframeRequest.request()
    }

    func stop() async -> Statistics {
        let state = self.state
        return (try? await eventLoop.submit {
            state.value.stop()
            return state.value.statistics
        }.get()) ?? Statistics()
    }
}

/// Keyframe requests from every connection, collapsed into one for the next frame.
private final class KeyframeRequest: Sendable {
    private let wanted = Atomic<Bool>(false)

    func request() { wanted.store(true, ordering: .relaxed) }

    /// Whether one was asked for since the last call.
    func take() -> Bool { wanted.exchange(false, ordering: .relaxed) }
}

/// The source's state, confined to its event loop.
private final class SourceState {
    let video: TestPatternVideoEncoder
    let audio: ToneAudioEncoder
    let epoch: MediaEpoch
    let fanOut: FrameFanOut
    let logger: Logger
    let keyframeRequest: KeyframeRequest
    var packetizer = VP8Packetizer(firstPictureID: UInt16.random(in: 0 ... 0x7FFF))
    var statistics = TestSignalSource.Statistics()
    var timer: Scheduled<Void>?
    var stopped = false

    init(video: TestPatternVideoEncoder, audio: ToneAudioEncoder, epoch: MediaEpoch, keyframeRequest: KeyframeRequest,
         fanOut: FrameFanOut, logger: Logger) {
        self.video = video
        self.audio = audio
        self.epoch = epoch
        self.keyframeRequest = keyframeRequest
        self.fanOut = fanOut
        self.logger = logger
    }

    var framesPerSecond: Int64 { Int64(video.configuration.framesPerSecond) }
    var nextVideoAt: ContinuousClock.Instant { epoch.instant(ticks: Int64(video.nextFrameIndex), rate: Int(framesPerSecond)) }
    var nextAudioAt: ContinuousClock.Instant {
        epoch.instant(ticks: Int64(audio.nextFrameIndex * ToneAudioEncoder.samplesPerFrame), rate: ToneAudioEncoder.sampleRate)
    }

    /// Encodes every frame that is due, hands them on as one batch, and sleeps until the next.
    func produce(eventLoop: any EventLoop) {
        guard !stopped else { return }
        let now = ContinuousClock.now
        skipAheadIfFarBehind(now: now)
        var frames: [PacketizedFrame] = []
        do {
            while nextAudioAt <= now {
                let encoded = try audio.encodeNextFrame()
                statistics.audioFrames += 1
                frames.append(PacketizedFrame(
                    kind: .audio, timestamp: encoded.timestamp,
                    capturedAt: epoch.instant(ticks: encoded.timestamp, rate: ToneAudioEncoder.sampleRate),
                    isKeyframe: true, payloads: [encoded.data],
                    audioLevel: encoded.audioLevel.map { AudioLevel(level: $0, voiceActivity: false) }))  // no voice detector: V clear
            }
            while nextVideoAt <= now {
                let encoded = try video.encodeNextFrame(forceKeyframe: keyframeRequest.take())
                statistics.videoFrames += 1
                if encoded.isKeyframe { statistics.keyframes += 1 }
                frames.append(packetized(encoded))
            }
        } catch {
            logger.error("the test signal cannot be encoded; no more media", metadata: ["error": "\(error)"])
            stopped = true
            return
        }
        if !frames.isEmpty { fanOut.deliver(frames) }
        let next = min(nextVideoAt, nextAudioAt)
        let (seconds, attoseconds) = max(.zero, next - ContinuousClock.now).components
        timer = eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)) { [self] in
            produce(eventLoop: eventLoop)
        }
    }

    func stop() {
        stopped = true
        timer?.cancel()
        timer = nil
    }

    private func packetized(_ frame: EncodedFrame) -> PacketizedFrame {
        var payloads: [[UInt8]] = []
        frame.data.withUnsafeBytes { bytes in
            packetizer.packetize(bytes, isKeyframe: frame.isKeyframe, maxPayloadSize: TestSignalSource.maxPayloadSize) { payload, _ in
                payloads.append(Array(payload))
            }
        }
        return PacketizedFrame(kind: .video, timestamp: frame.timestamp,
                               capturedAt: epoch.instant(ticks: frame.timestamp, rate: TestPatternVideoEncoder.clockRate),
                               isKeyframe: frame.isKeyframe, payloads: payloads)
    }

    /// After a stall (the machine overloaded, the process stopped), jumps to the present instead
    /// of sending seconds of media at once; the encoders' own clocks jump with it.
    private func skipAheadIfFarBehind(now: ContinuousClock.Instant) {
        let lag = now - min(nextVideoAt, nextAudioAt)
        guard lag > TestSignalSource.maximumLag else { return }
        let elapsed = now - epoch.start
        let (seconds, attoseconds) = elapsed.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        let videoIndex = Int(nanoseconds * framesPerSecond / 1_000_000_000)
        let audioIndex = Int(nanoseconds / (1_000_000_000 * Int64(ToneAudioEncoder.samplesPerFrame) / Int64(ToneAudioEncoder.sampleRate)))
        statistics.skippedFrames += max(0, videoIndex - video.nextFrameIndex) + max(0, audioIndex - audio.nextFrameIndex)
        logger.warning("the test signal fell behind real time; skipping ahead", metadata: ["lag": "\(lag)"])
        video.skip(to: videoIndex)
        audio.skip(to: audioIndex)
    }
}
