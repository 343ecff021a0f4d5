import ArgumentParser
import Foundation
import Logging
import Media
import Publisher
import Signaling
import UnixSignals

struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Join a room as synthetic participants sending a test pattern (VP8) and a tone (Opus).",
        discussion: """
            Each of --count participants joins on its own signaling connection and sends the same \
            test signal — encoded once, so one process can send many streams — to every receiver in \
            the room: it offers to those already there and answers those who offer later. NACKs are \
            answered with RTX retransmissions, PLI and FIR with a keyframe. Runs for --duration \
            seconds, or until SIGINT/SIGTERM, then prints one line per participant (--json: JSON).
            """)

    @Option(help: "Signaling server URL (ws:// or wss://).") var signaling: String
    @Option(help: "Room to join.") var room: String
    @Option(help: "Token for rooms on a server that requires one.") var token: String?
    @Option(help: "How many synthetic participants join.") var count = 1
    @Option(help: "The name participants give when joining: NAME, or NAME-1 … NAME-N with --count.") var name: String?
    @Option(help: "Seconds to send (default: until SIGINT or SIGTERM).") var duration: Double?
    @Option(help: "Picture size, WIDTHxHEIGHT (even numbers).") var size = "640x480"
    @Option(help: "Frames per second.") var fps = 30
    @Option(help: "Video bitrate in kbit/s.") var bitrate = 600
    @Option(help: "Audio bitrate in kbit/s.") var audioBitrate = 32
    @Option(help: "Seconds between keyframes when none is asked for.") var keyframeInterval = 3
    @Option(help: "moving (colour bars, a sweeping bar, a frame counter; a 440 Hz tone) or flash-beep (a white frame and a 1 kHz beep for 100 ms each second).")
    var pattern: TestSignalPattern = .moving
    @Option(help: "Paint the moving pattern's picture one colour, RRGGBB in hex (e.g. 00ff00): participants told apart in a composite.")
    var colour: String?
    @Option(help: "tone (the pattern's sound) or silent (silence, sent all the same): each packet carries its level (RFC 6464).")
    var audio: TestAudioSound = .tone
    @Option(help: "The moving pattern's tone in Hz (20...16000): participants told apart in a mix.")
    var toneHz = ToneGenerator.toneFrequency
    @Option(help: "START-END: seconds of the stream (from its first frame) when the tone sounds, silence elsewhere; repeatable (default: always).")
    var toneBetween: [String] = []
    @OptionGroup var ice: IceOptions
    @Flag(help: "Print the summary as JSON.") var json = false
    @Option(help: "Log level.") var logLevel: Logger.Level = .warning

    func validate() throws {
        guard let scheme = URL(string: signaling)?.scheme, ["ws", "wss"].contains(scheme) else {
            throw ValidationError("--signaling must be a ws:// or wss:// URL")
        }
        try ice.requireTurnForRelayOnly()
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
        guard pictureSize != nil else { throw ValidationError("--size must be WIDTHxHEIGHT, e.g. 640x480") }
        guard (1...120).contains(fps) else { throw ValidationError("--fps must be 1...120") }
        guard bitrate > 0, keyframeInterval > 0 else { throw ValidationError("--bitrate and --keyframe-interval must be positive") }
        guard ToneGenerator.toneFrequencies.contains(toneHz) else { throw ValidationError("--tone-hz must be 20...16000") }
        guard toneWindows != nil else { throw ValidationError("--tone-between must be START-END in seconds, START < END, e.g. 2-9.5") }
        if let colour {
            guard TestPatternColour(hex: colour) != nil else { throw ValidationError("--colour must be RRGGBB in hex, e.g. 00ff00") }
            guard pattern == .moving else { throw ValidationError("--colour paints the moving pattern; flash-beep has its own picture") }
        }
    }

    private var toneWindows: [Range<Double>]? {
        var windows: [Range<Double>] = []
        for text in toneBetween {
            let parts = text.split(separator: "-")
            guard parts.count == 2, let start = Double(parts[0]), let end = Double(parts[1]), start >= 0, start < end else { return nil }
            windows.append(start..<end)
        }
        return windows
    }

    private var pictureSize: (width: Int, height: Int)? {
        let parts = size.lowercased().split(separator: "x")
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]) else { return nil }
        return (width, height)
    }

    func run() async throws {
        var logger = Logger(label: "tapedeck.publish")
        logger.logLevel = logLevel
        var configuration = PublishConfiguration(signaling: SignalingClientConfiguration(url: signaling, room: room, token: token))
        configuration.count = count
        configuration.name = name
        let (width, height) = pictureSize ?? (640, 480)
        configuration.video = TestPatternVideoEncoder.Configuration(
            width: width, height: height, framesPerSecond: fps, bitrateKbps: bitrate, keyframeInterval: keyframeInterval, pattern: pattern,
            colour: colour.flatMap(TestPatternColour.init(hex:)))
        configuration.audio = ToneAudioEncoder.Configuration(bitrateKbps: audioBitrate, pattern: pattern, sound: audio,
                                                             toneFrequency: toneHz, toneWindows: toneWindows ?? [])
        configuration.ice = try ice.configuration()
        configuration.includeLoopback = ice.includeLoopback
        // A publisher is a participant, run beside a recorder on one machine (the demo, tests):
        // its own ports by default, so the two never contend for 7882.
        configuration.udpPort = try ice.mediaPort.udpPort(defaultPort: 0)
        try await SharedPortPreflight.bind(configuration.udpPort, ice: configuration.ice, includeLoopback: configuration.includeLoopback)
        let session = PublishSession(configuration: configuration, logger: logger)
        let sendingFor = duration.map { Duration.milliseconds(Int($0 * 1_000)) }
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let outcome = try await withThrowingTaskGroup(of: PublishSession.Outcome?.self) { group in
            group.addTask { try await session.run(for: sendingFor) }
            group.addTask {
                // The first signal ends the run (cancelling it); the summary is still printed.
                for await _ in signals { return nil }
                return nil
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let outcome = result { return outcome }
                group.cancelAll()
            }
            throw CancellationError()
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(PublishSummary(outcome)), as: UTF8.self))
        } else {
            print(PublishSummary(outcome).text)
        }
    }
}

extension TestSignalPattern: ExpressibleByArgument {}
extension TestAudioSound: ExpressibleByArgument {}
