import Foundation
import Media
import MediaTestSupport
@testable import RTC
@testable import Recorder
import Testing

/// How a simulated sender's RTCP sender reports misstate its clock: the seconds each report adds
/// to the true sender time of the frames it maps.
enum ReportFault: String, CaseIterable, CustomTestStringConvertible {
    /// Every report true.
    case none
    /// The sender's wall clock jumps 500 ms ahead at 7 s, for both tracks.
    case jumpAhead
    /// It jumps 500 ms back at 7 s.
    case jumpBack
    /// It runs 1% fast against the RTP clocks.
    case drift
    /// It is set 2 s back at 7 s: each track's next report is earlier than the one before.
    case setBack
    /// The video's reports alone jump 500 ms ahead at 7 s, and stay there.
    case videoJump
    /// Every report off by up to ±300 ms, at random, each track on its own (a mapping that
    /// moves from one report to the next, as GStreamer's webrtcbin sends).
    case erratic
    /// The video's first report maps a moment 850 ms away (a sender whose reports' RTP time runs
    /// at the wrong rate, and whose first video report went out apart from the audio's), and
    /// every later one is off by up to ±15 ms, each track on its own: GStreamer's webrtcbin on a
    /// busy machine.
    case oddFirstReport

    func error(of kind: MediaKind, reportSentAt time: Double, number: Int) -> Double {
        switch self {
        case .none: 0
        case .jumpAhead: time >= 7 ? 0.5 : 0
        case .jumpBack: time >= 7 ? -0.5 : 0
        case .drift: 0.01 * time
        case .setBack: time >= 7 ? -2 : 0
        case .videoJump: kind == .video && time >= 7 ? 0.5 : 0
        case .erratic:
            // A fixed pseudo-random sequence, different per track.
            Double((number * 7_919 + (kind == .video ? 104_729 : 0)) % 601 - 300) / 1_000
        case .oddFirstReport:
            kind == .video && number == 1 ? 0.85 : Double((number * 7_919 + (kind == .video ? 104_729 : 0)) % 31 - 15) / 1_000
        }
    }

    var testDescription: String { rawValue }
}

/// A sender whose reports misstate its clock, recorded through `ParticipantRecorder` into a WebM
/// that ffprobe reads back: every frame is written, in order, and audio and video keep lip sync,
/// by the reports where the two tracks' reports agree, else by the packets' arrival.
@Suite("Sender reports are observations, not orders")
struct SenderReportClockTests {
    static let seconds = 16.0
    static let videoFrames = Int(seconds * 30) - 3  // the video ends 100 ms before the audio: no padding
    static let audioFrames = Int(seconds * 50)
    static let senderEpoch = 1_700_000_000.0
    /// The recorder's clock runs 0.3 s ahead of the sender's; the network takes 20 to 28 ms.
    static let clockOffset = 0.3

    struct SentFrame {
        var kind: MediaKind
        var capture: Double
        var bytes: [UInt8]
        var timestamp: Int64
        var isKeyframe: Bool
        var arrival: Double
    }

    static let media: [SentFrame] = {
        let video = try! TestPatternVideoEncoder(configuration: .init(width: 160, height: 120, framesPerSecond: 30, bitrateKbps: 150))
        let audio = try! ToneAudioEncoder(configuration: .init())
        var frames: [SentFrame] = []
        for index in 0..<videoFrames {
            let frame = try! video.encodeNextFrame()
            let capture = 0.010 + Double(index) / 30
            frames.append(SentFrame(kind: .video, capture: capture, bytes: frame.data, timestamp: Int64(index) * 3_000,
                                    isKeyframe: frame.isKeyframe, arrival: capture + clockOffset + 0.024 + jitter(index)))
        }
        for index in 0..<audioFrames {
            let capture = Double(index) * 0.02
            frames.append(SentFrame(kind: .audio, capture: capture, bytes: try! audio.encodeNextFrame().data,
                                    timestamp: Int64(index) * 960, isKeyframe: true,
                                    arrival: capture + clockOffset + 0.020 + jitter(index * 3)))
        }
        return frames.sorted { $0.arrival < $1.arrival }
    }()

    private static func jitter(_ index: Int) -> Double { Double((index * 37) % 9) / 1_000 }

    /// When each track's sender reports are sent: video every second, audio every two.
    static func reportTimes(_ kind: MediaKind) -> [Double] {
        kind == .video ? Array(stride(from: 0.4, to: seconds, by: 1)) : Array(stride(from: 0.9, to: seconds, by: 2))
    }

    @Test("Every frame is written in order, and audio and video stay within 40 ms, by the reports where they agree, else by arrival",
          arguments: ReportFault.allCases)
    func recordsEverything(fault: ReportFault) throws {
        let scratch = try ScratchDirectory()
        let recipe = try RecipeCatalog.named("webm")
        let base = ContinuousClock.now
        let recorderEpoch = Self.senderEpoch + Self.clockOffset
        let recorder = ParticipantRecorder(participant: "sender", format: recipe, directory: scratch.path,
                                           naming: { "\($0.participant).\($0.fileExtension)" },
                                           wallClock: WallClockReference(instant: base, unixSeconds: recorderEpoch))
        for sent in Self.media {
            let reports = Self.reportTimes(sent.kind).filter { $0 <= sent.capture }
            let senderTime = reports.last.map { time in
                Self.senderEpoch + sent.capture + fault.error(of: sent.kind, reportSentAt: time, number: reports.count)
            }
            let frame = MediaFrame(mid: sent.kind == .audio ? "0" : "1", ssrc: sent.kind == .audio ? 1 : 2,
                                   codec: sent.kind == .audio ? .opus : .vp8, clockRate: sent.kind == .audio ? 48_000 : 90_000,
                                   timestamp: sent.timestamp, rtpTimestamp: sent.timestamp, senderTime: senderTime,
                                   senderReport: reports.count,
                                   arrival: base + .seconds(Self.senderEpoch + sent.arrival - recorderEpoch),
                                   isKeyframe: sent.isKeyframe, width: sent.kind == .video ? 160 : nil,
                                   height: sent.kind == .video ? 120 : nil)
            sent.bytes.withUnsafeBytes { recorder.receive(frame, $0) }
        }
        recorder.finish()

        let segments = recorder.segmentReports
        #expect(segments.count == 1 && recorder.errors.isEmpty, "\(segments) \(recorder.errors)")
        let file = try #require(segments.first?.files.first)
        #expect(file.complete && file.error == nil, "\(file)")
        let path = scratch.file(file.path)
        let decodeErrors = try ExternalTool.decodeErrors(path)
        #expect(decodeErrors == "", "\(decodeErrors)")

        let video = try Self.packetTimes(path, stream: "v"), audio = try Self.packetTimes(path, stream: "a")
        #expect(video.count == Self.videoFrames, "video frames written")
        #expect(audio.count == Self.audioFrames, "audio frames written")
        #expect(zip(video, video.dropFirst()).allSatisfy { $0 < $1 }, "video runs backwards: \(video)")
        #expect(zip(audio, audio.dropFirst()).allSatisfy { $1 - $0 >= 0.0195 }, "audio overlaps: \(audio)")

        let videoTrack = try #require(file.tracks.first { $0.kind == .video })
        let timing = try #require(videoTrack.senderReports)
        switch fault {
        case .none:
            #expect(timing.followed == 0 && timing.distrusted == 0 && timing.placedBy == .reports, "\(timing)")
        case .jumpAhead, .jumpBack, .setBack:
            // The two tracks' reports jump together: the offset between them does not move.
            #expect(timing.followed == 0 && timing.distrusted <= 1 && timing.placedBy == .reports, "\(timing)")
        case .drift:
            #expect(timing.distrusted == 0 && timing.placedBy == .reports, "\(timing)")
        case .videoJump:
            // Followed once confirmed, but half a second from what the arrivals say: not believed.
            #expect(timing.followed >= 1 && timing.placedBy == .arrival && timing.arrivalDisagreementMs >= 490, "\(timing)")
        case .erratic:
            #expect(timing.distrusted > 0 && timing.largestDistrustedMoveMs > 80 && timing.placedBy == .arrival, "\(timing)")
        case .oddFirstReport:
            // The first offset is left once the next three, jittering among themselves, agree on
            // another: by the end the reports place the video, next to where the arrivals do.
            #expect(timing.followed >= 1 && timing.placedBy == .reports && timing.arrivalDisagreementMs < 50, "\(timing)")
        }
        let audioTrack = try #require(file.tracks.first { $0.kind == .audio })
        #expect(audioTrack.senderReports?.placedBy == .leader)
        // Where each frame was captured against where the file places it: the same for both
        // tracks, whatever the reports said (a sender whose reports are wrong is placed by arrival).
        let captures = Self.media.filter { $0.kind == .video }.map(\.capture)
        let audioCaptures = Self.media.filter { $0.kind == .audio }.map(\.capture)
        let audioLead = zip(audio, audioCaptures).map { $0 - $1 }.sorted()[audio.count / 2]
        let strays = zip(video, captures).map { abs($0 - $1 - audioLead) }
        // Where the reports agree, everywhere. Where they do not, once the reports after the
        // odd ones have shown them wrong and the slew back to the arrivals is over (half a second
        // of correction takes a second of video): erratic reports from the second one on (the
        // first is believed), one track's jump at 7 s from two reports after it on.
        let settledFrom: [ReportFault: Double] = [.erratic: 5, .videoJump: 9.5]
        let settled = Array(strays[Int((settledFrom[fault] ?? 0) * 30)...])
        let worst = settled.max() ?? 0
        #expect(worst <= 0.040, "video strays \(Int(worst * 1_000)) ms from the audio")
    }

    private static func packetTimes(_ path: String, stream: String) throws -> [Double] {
        try ExternalTool.standardOutput("ffprobe", ["-v", "error", "-select_streams", "\(stream):0", "-show_entries", "packet=pts_time",
                                                    "-of", "csv=p=0", path])
            .split(separator: "\n").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }
}

@Suite("ReportedOffset")
struct ReportedOffsetTests {
    @Test("Agreement changes nothing, small moves are followed, a large one only once three observations confirm it")
    func weighing() {
        var offset = ReportedOffset()
        var moves: [Bool] = []
        func observe(_ value: Double) -> Double? {
            moves.append(offset.observe(value))
            return offset.accepted
        }
        #expect(observe(0.100) == 0.100)
        #expect(observe(0.105) == 0.100)  // agrees
        #expect(observe(0.150) == 0.150)  // a small move, followed
        #expect(offset.isTrusted)
        // One report 500 ms off, then the old mapping again: outvoted, and untrusted for a while.
        #expect(observe(0.650) == 0.150)
        #expect(!offset.isTrusted)
        #expect(observe(0.152) == 0.150)
        #expect(offset.distrusted == 1 && abs(offset.largestDistrustedMove - 0.5) < 1e-9)
        // A lasting move: followed on its third observation.
        #expect(observe(-0.350) == 0.150)
        #expect(observe(-0.352) == 0.150)
        #expect(observe(-0.349) == -0.349)
        #expect(offset.followed == 2 && offset.distrusted == 3 && !offset.isTrusted)
        // Trusted again once the last four observations raise no doubt.
        for _ in 0..<2 { _ = observe(-0.350) }
        #expect(!offset.isTrusted)
        #expect(observe(-0.350) == -0.349 && offset.isTrusted)
        // A lasting move whose observations jitter among themselves by tens of milliseconds, as a
        // busy sender's reports do: followed on its third as well.
        #expect(observe(0.400) == -0.349)
        #expect(observe(0.440) == -0.349)
        #expect(observe(0.390) == 0.390)
        // Observations further from each other than a small move confirm nothing.
        for value in [-0.300, 0.0, -0.400, -0.100] { #expect(observe(value) == 0.390) }
        #expect(offset.followed == 3 && offset.distrusted == 9 && !offset.isTrusted)
        // true: it moved (or was set), or its being trusted changed.
        #expect(moves == [true, false, true, true, false, false, false, true, false, false, true,
                          true, false, true, false, false, false, false])
    }
}
