import Foundation
import Media
import RTC

/// One segment of a participant's recording made again from its files, for a folder that has no
/// raw capture (recorded with `capture: false`, or before captures existed): the files' frames
/// (`MediaFileReader`), each at its place on the recording's timeline, go to a
/// `ParticipantRecorder` as the depacketizer's would have, so the recipe's writers, transcoders
/// and mix make them again. A per-track recording's files of one segment feed one recorder.
///
/// What a file cannot give back is said, not guessed: AAC (an MP4 recording's audio) is not
/// what a WebRTC sender sends, so it is not rendered again; nor is what the recording lost
/// before writing (the packets themselves are in a capture only).
final class RecordedFilesReplay: RenderInput {
    /// One file of the segment, and its next frame.
    private struct Source {
        var name: String
        var reader: MediaFileReader
        /// The file's time zero on the recording's timeline (Unix nanoseconds).
        var zeroNanoseconds: Int64
        var next: MediaFileReader.Frame?
        /// Per stream index: the stream, when it is one to replay.
        var streams: [Int: MediaFileReader.Stream]
    }

    let label: String
    let participant: String
    private let name: String?
    private var sources: [Source]
    private var recorder: ParticipantRecorder?
    private(set) var replayed = 0
    var unit: String { "frames" }
    private var firstNanoseconds: Int64?
    private(set) var lastNanoseconds: Int64?
    private(set) var stoppedEarly: String?
    private var errors: [String]

    /// The segment's files (paths relative to `folder`), each with its time zero; nil when none
    /// holds a frame to replay.
    init?(participant: String, name: String?, files: [(path: String, zeroNanoseconds: Int64)], folder: String,
          errors: inout [String]) {
        self.participant = participant
        self.name = name
        label = files.map(\.path).joined(separator: "+")
        var problems: [String] = []
        var sources: [Source] = []
        for file in files {
            do {
                let reader = try MediaFileReader(path: (folder as NSString).appendingPathComponent(file.path))
                var streams: [Int: MediaFileReader.Stream] = [:]
                for stream in reader.streams {
                    if let codec = stream.codec, SDP.SupportedCodec(rawValue: codec.rawValue) != nil {
                        streams[stream.index] = stream
                    } else if stream.kind != nil {
                        problems.append("\(file.path): its \(stream.codecName) \(stream.kind.map { "\($0)" } ?? "") is not rendered again: "
                                        + "only what a WebRTC sender sends is (Opus, VP8, VP9, H.264)")
                    }
                }
                guard !streams.isEmpty else { continue }
                var source = Source(name: file.path, reader: reader, zeroNanoseconds: file.zeroNanoseconds, streams: streams)
                Self.readNext(&source, stoppedEarly: &stoppedEarly)
                if source.next != nil { sources.append(source) }
            } catch {
                problems.append("\(error)")
            }
        }
        errors += problems
        self.errors = problems
        self.sources = sources
        guard !sources.isEmpty else { return nil }
    }

    var due: Int64? {
        sources.indices.compactMap { arrival(of: $0) }.min()
    }

    var seconds: Double {
        guard let firstNanoseconds, let lastNanoseconds else { return 0 }
        return Double(lastNanoseconds - firstNanoseconds) / 1e9
    }

    func replayNext(timeline: ReplayTimeline, makeRecorder: (String) -> ParticipantRecorder,
                    frames: @escaping (ParticipantRecorder, MediaFrame, UnsafeRawBufferPointer) -> Void) {
        guard let index = sources.indices.min(by: { (arrival(of: $0) ?? .max) < (arrival(of: $1) ?? .max) }),
              let arrival = arrival(of: index), let frame = sources[index].next,
              let stream = sources[index].streams[frame.stream], let codec = stream.codec.flatMap({ SDP.SupportedCodec(rawValue: $0.rawValue) })
        else { return }
        let recorder = self.recorder ?? makeRecorder(participant)
        self.recorder = recorder
        let clockRate = codec == .opus ? 48_000 : 90_000
        let timestamp = Self.rescale(frame.pts - stream.startTimestamp, from: stream.timeBase, to: clockRate)
        let keyframeSize = codec.kind == .video && frame.isKeyframe
        let made = MediaFrame(mid: "\(index).\(frame.stream)", ssrc: UInt32(index << 8 | frame.stream), codec: codec, clockRate: clockRate,
                              timestamp: timestamp, rtpTimestamp: timestamp, senderTime: Double(arrival) / 1e9, senderReport: 1,
                              arrival: timeline.instant(unixNanoseconds: arrival), isKeyframe: frame.isKeyframe,
                              width: keyframeSize ? stream.width : nil, height: keyframeSize ? stream.height : nil)
        frames(recorder, made, frame.data)
        replayed += 1
        firstNanoseconds = firstNanoseconds ?? arrival
        lastNanoseconds = max(lastNanoseconds ?? arrival, arrival)
        Self.readNext(&sources[index], stoppedEarly: &stoppedEarly)
    }

    func advance(to now: ContinuousClock.Instant) {}  // nothing waits on a timer: the frames are whole

    func interrupt() {
        errors.append("stopped after \(replayed) frames: the render was interrupted")
        for index in sources.indices { sources[index].next = nil }
    }

    func finish(timeline: ReplayTimeline) -> ParticipantRecording? {
        recorder?.finish(now: timeline.end(afterLastPacketAt: lastNanoseconds))
        return recorder.map(ParticipantRecording.init)
    }

    func report(_ recording: ParticipantRecording?) -> (report: ParticipantReport, errors: [String]) {
        let report = ParticipantReport(
            participant: participant, name: name, connected: true, iceState: "rendered from files", srtpProfile: nil,
            selectedPair: nil, localCandidates: [], remoteCandidates: [], candidatePairs: [], streams: [], rtcpPackets: 0,
            authenticationFailures: 0, replays: 0, recording: recording)
        return (report, errors.map { "\(name ?? participant): \($0)" })
    }

    /// Where on the recording's timeline source `index`'s next frame is.
    private func arrival(of index: Int) -> Int64? {
        guard let frame = sources[index].next, let stream = sources[index].streams[frame.stream] else { return nil }
        return sources[index].zeroNanoseconds + Self.rescale(frame.pts, from: stream.timeBase, to: 1_000_000_000)
    }

    /// The source's next frame of a stream to replay; a read error ends the file there, said.
    private static func readNext(_ source: inout Source, stoppedEarly: inout String?) {
        do {
            repeat {
                source.next = try source.reader.next()
            } while source.next.map({ source.streams[$0.stream] == nil }) == true
        } catch {
            source.next = nil
            stoppedEarly = "\(error); rendered what precedes it"
        }
    }

    private static func rescale(_ value: Int64, from timeBase: TimeBase, to rate: Int) -> Int64 {
        Int64((Double(value) * Double(timeBase.numerator) * Double(rate) / Double(timeBase.denominator)).rounded())
    }
}
