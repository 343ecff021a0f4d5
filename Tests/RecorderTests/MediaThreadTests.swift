import Foundation
import Media
import MediaTestSupport
@testable import RTC
@testable import Recorder
import Testing

@Suite("Frames to the media thread")
struct MediaThreadTests {
    private func frame(_ kind: MediaKind, timestamp: Int64, keyframe: Bool = true) -> MediaFrame {
        MediaFrame(mid: kind == .audio ? "0" : "1", ssrc: kind == .audio ? 1 : 2, codec: kind == .audio ? .opus : .vp8,
                   clockRate: kind == .audio ? 48_000 : 90_000, timestamp: timestamp, rtpTimestamp: timestamp, senderTime: nil,
                   senderReport: 0, arrival: .now, isKeyframe: keyframe, width: 160, height: 120)
    }

    @Test("The queue holds at most its capacity of frames, never refuses a command, and keeps frames and commands in order")
    func boundedAndOrdered() {
        let queue = FrameQueue(capacity: 2)
        let bytes: [UInt8] = [1, 2, 3]
        let pushed = (0..<3).map { index in
            bytes.withUnsafeBytes { queue.push(participant: 0, frame: frame(.audio, timestamp: Int64(index)), bytes: $0, droppedBefore: 0) }
        }
        #expect(pushed == [true, true, false])
        queue.push { }
        var batch: [FrameQueue.Entry] = []
        queue.takeAll(into: &batch)
        let kinds = batch.map { entry -> String in
            switch entry {
            case .frame(let slot): "frame \(queue.slot(slot).pointee.frame?.timestamp ?? -1)"
            case .command: "command"
            case .stop: "stop"
            }
        }
        #expect(kinds == ["frame 0", "frame 1", "command"])
        #expect(queue.waitingFrames == 2)
        queue.release(batch)
        #expect(queue.waitingFrames == 0)
        #expect(bytes.withUnsafeBytes { queue.push(participant: 0, frame: frame(.audio, timestamp: 9), bytes: $0, droppedBefore: 0) })
    }

    @Test("Frames alone gather for the interval before the consumer takes them; a command, or a quarter of the buffers taken, ends the wait")
    func gathering() throws {
        let bytes: [UInt8] = [1, 2, 3]
        func push(_ queue: FrameQueue) -> Bool {
            bytes.withUnsafeBytes { queue.push(participant: 0, frame: frame(.audio, timestamp: 0), bytes: $0, droppedBefore: 0) }
        }
        var batch: [FrameQueue.Entry] = []

        let gathering = FrameQueue(capacity: 64, gatherInterval: .milliseconds(300))
        #expect(push(gathering))
        let start = ContinuousClock.now
        gathering.takeAll(into: &batch)
        #expect(ContinuousClock.now - start >= .milliseconds(250), "one frame waited for others to gather")
        #expect(batch.count == 1)

        // A command pushed while the consumer lets frames gather (for up to a minute) wakes it.
        let commanded = FrameQueue(capacity: 64, gatherInterval: .seconds(60))
        #expect(push(commanded))
        let pusher = Thread {
            Thread.sleep(forTimeInterval: 0.1)
            commanded.push { }
        }
        pusher.start()
        let commandStart = ContinuousClock.now
        batch.removeAll()
        commanded.takeAll(into: &batch)
        #expect(ContinuousClock.now - commandStart < .seconds(30))
        #expect(batch.count == 2)

        // Two frames of a queue of eight: a quarter of its buffers, taken without waiting.
        let filling = FrameQueue(capacity: 8, gatherInterval: .seconds(60))
        #expect(push(filling) && push(filling))
        let fillStart = ContinuousClock.now
        batch.removeAll()
        filling.takeAll(into: &batch)
        #expect(ContinuousClock.now - fillStart < .seconds(30))
        #expect(batch.count == 2)
    }

    @Test("The queue also holds at most its byte capacity: big keyframes cannot pile up without bound")
    func byteBound() {
        let queue = FrameQueue(capacity: 8, byteCapacity: 5)
        let bytes: [UInt8] = [1, 2, 3]
        let push = { bytes.withUnsafeBytes { queue.push(participant: 0, frame: frame(.video, timestamp: 0), bytes: $0, droppedBefore: 0) } }
        #expect(push() && !push())
        var batch: [FrameQueue.Entry] = []
        queue.takeAll(into: &batch)
        queue.release(batch)
        #expect(push())
    }

    @Test("The thread runs under its name, as top -H and perf show it")
    func named() async throws {
        let thread = MediaThread(name: "td-media-named", capacity: 4)
        // A command runs on the thread once it has started, so its name is set by then.
        _ = await thread.speakerTimeline()
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
        let names = tasks.compactMap { try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8) }
        #expect(names.contains("td-media-named\n"))
        await thread.stop()
    }

    @Test("A writer that sleeps for a second: frames are dropped, video up to the keyframe it asked for, the file decodes and the manifest counts the drops")
    func sleepingWriter() async throws {
        let scratch = try ScratchDirectory()
        let thread = MediaThread(name: "test-media", capacity: 12)
        let recipe = try RecipeCatalog.named("webm")
        let base = ContinuousClock.now
        let wallClock = WallClockReference(instant: base, unixSeconds: 1_700_000_000)
        let directory = scratch.path
        let index = await thread.add {
            ParticipantRecorder(participant: "slow", format: recipe, directory: directory,
                                naming: { "\($0.participant).\($0.fileExtension)" }, wallClock: wallClock,
                                waits: .init(collect: .milliseconds(100), senderReports: .zero, keyframe: .seconds(1)))
        }
        let video = try TestPatternVideoEncoder(configuration: .init(width: 160, height: 120, framesPerSecond: 30, bitrateKbps: 150,
                                                                     keyframeInterval: 3_600))
        let audio = try ToneAudioEncoder(configuration: .init())
        let feed = FrameFeed(thread: thread, participant: index)
        var keyframeAsked = false
        var keyframeRequests = 0

        var sent: [MediaKind: Int] = [.audio: 0, .video: 0]
        let start = ContinuousClock.now
        for tick in 0..<240 {  // 4 s of 60 ticks a second: a video frame every other tick, audio every 20 ms
            let now = start + .milliseconds(tick * 1_000 / 60)
            try await Task.sleep(until: now, clock: .continuous)
            if tick == 90 {
                // The writer stalls for a second (a slow disk, a busy encoder), with 12 frames of room.
                thread.queue.push { Thread.sleep(forTimeInterval: 1) }
            }
            if tick % 2 == 0 {
                let encoded = try video.encodeNextFrame(forceKeyframe: keyframeAsked)
                keyframeAsked = false
                var picture = frame(.video, timestamp: Int64(tick / 2) * 3_000, keyframe: encoded.isKeyframe)
                picture.arrival = now
                // The feed's answer is what the peer connection turns into a PLI.
                if encoded.data.withUnsafeBytes({ feed.offer(picture, $0) }) == .droppedNeedsKeyframe {
                    keyframeAsked = true
                    keyframeRequests += 1
                }
                sent[.video, default: 0] += 1
            }
            for packet in stride(from: tick * 1_000 / 60, to: (tick + 1) * 1_000 / 60, by: 1) where packet % 20 == 0 {
                var sound = frame(.audio, timestamp: Int64(packet) * 48)
                sound.arrival = start + .milliseconds(packet)
                let disposition = try audio.encodeNextFrame().data.withUnsafeBytes { feed.offer(sound, $0) }
                #expect(disposition == .taken, "a dropped audio frame needs no keyframe")
                sent[.audio, default: 0] += 1
            }
        }
        feed.flushDropCounts()
        let recording = try #require(await thread.finish(index))
        await thread.stop()

        #expect(feed.framesDropped > 0 && keyframeRequests >= 1, "dropped \(feed.framesDropped), asked \(keyframeRequests) times")
        let file = try #require(recording.segments.first?.files.first)
        #expect(recording.segments.count == 1 && file.complete && file.error == nil, "\(recording)")
        let path = scratch.file(file.path)
        #expect(try ExternalTool.decodeErrors(path) == "")
        var dropped = 0
        for (kind, stream) in [(MediaKind.video, "v"), (.audio, "a")] {
            let track = try #require(file.tracks.first { $0.kind == kind })
            // Not the Opus silence (3 bytes) that carries the audio to the video's end when the
            // audio's last packets were dropped.
            let packets = try Self.packets(path, stream: stream).filter { kind == .video || $0.size > OpusSilence.packet.count }
            // Every frame sent is in the file or counted as dropped.
            #expect(packets.count + track.framesDroppedWriterBehind == sent[kind], "\(kind): \(packets.count) written, \(track.framesDroppedWriterBehind) dropped, \(sent[kind] ?? 0) sent")
            #expect(track.framesDroppedWriterBehind > 0, "\(kind) lost nothing")
            dropped += track.framesDroppedWriterBehind
            guard kind == .video else { continue }
            // The video resumes at a keyframe after each gap: it never shows what it cannot decode.
            for (before, after) in zip(packets, packets.dropFirst()) where after.time - before.time > 0.050 {
                #expect(after.isKeyframe, "the video resumes at \(after.time) s on a delta frame")
            }
        }
        #expect(dropped == feed.framesDropped)
    }

    private static func packets(_ path: String, stream: String) throws -> [(time: Double, size: Int, isKeyframe: Bool)] {
        try ExternalTool.standardOutput("ffprobe", ["-v", "error", "-select_streams", "\(stream):0", "-show_entries",
                                                    "packet=pts_time,size,flags", "-of", "csv=p=0", path])
            .split(separator: "\n").compactMap { line in
                let fields = line.split(separator: ",")
                guard fields.count >= 3, let time = Double(fields[0]), let size = Int(fields[1]) else { return nil }
                return (time, size, fields[2].contains("K"))
            }
    }
}
