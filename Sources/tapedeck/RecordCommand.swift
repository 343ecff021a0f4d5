import ArgumentParser
import Foundation
import Logging
import Media
import RTC
import Recorder
import UnixSignals

struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a room: every participant's audio and video to files, with a manifest.",
        discussion: """
            Joins the room as the bot, writes each participant's media to files in --out as the \
            recipe says, and keeps --out/manifest.json up to date. Records until SIGINT or SIGTERM, \
            --duration, or the room staying empty for --stop-when-empty seconds. Exits 0 when files \
            were written.
            """)

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Directory for the files and manifest.json (created if missing).") var out: String
    @Option(help: "Recipe: a built-in name (\(RecipeCatalog.builtInNames.joined(separator: ", "))) or a YAML file.")
    var recipe: String = "webm"
    @Option(help: "Seconds to record (default: until SIGINT/SIGTERM).") var duration: Double?
    @Option(help: "End once the room has been empty this many seconds.") var stopWhenEmpty: Double?
    @Option(help: "Give up unless in the room this many seconds after starting (0: keep trying).")
    var joinTimeoutSeconds = 30.0
    @Flag(help: "Print the final manifest as JSON on stdout.") var json = false
    @Option(help: "Log level.") var logLevel: Logger.Level = .warning

    func validate() throws {
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
        if let stopWhenEmpty, stopWhenEmpty <= 0 { throw ValidationError("--stop-when-empty must be positive") }
        guard joinTimeoutSeconds >= 0 else { throw ValidationError("--join-timeout-seconds cannot be negative") }
        _ = try Self.recipe(recipe)
    }

    private static func recipe(_ argument: String) throws -> Recipe {
        do {
            return try RecipeCatalog.resolve(argument)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func run() async throws {
        var logger = Logger(label: "tapedeck.record")
        logger.logLevel = logLevel
        LibavLog.set(verbose: logLevel <= .debug)
        var room = try connection.roomConfiguration()
        room.joinTimeout = joinTimeoutSeconds > 0 ? .milliseconds(Int(joinTimeoutSeconds * 1_000)) : nil
        try await SharedPortPreflight.bind(room.network)
        var configuration = RecordingConfiguration(room: room, roomName: connection.room,
                                                   recipe: try Self.recipe(recipe), directory: out)
        configuration.stopWhenEmpty = stopWhenEmpty.map { .milliseconds(Int($0 * 1_000)) }
        let recording = try Recording(configuration: configuration, logger: logger)
        let showsProgress = isatty(STDERR_FILENO) == 1
        let manifest: RecordingManifest
        do {
            manifest = try await Self.untilSignalled {
                try await recording.run(for: duration.map { .milliseconds(Int($0 * 1_000)) },
                                        progress: showsProgress ? Self.showProgress : nil)
            }
        } catch let error as RecordingError {
            if showsProgress { FileHandle.standardError.write(Data("\n".utf8)) }
            Self.fail("\(error.description) (manifest: \(out)/manifest.json)")
        }
        if showsProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        try ManifestPrinting.print(manifest, out: out, json: json)
        guard manifest.state == .finished else {
            let reason = manifest.participants.isEmpty ? "nobody was in the room" : "no participant sent media that could be written"
            Self.fail("\(reason); see \(out)/manifest.json")
        }
    }

    /// Runs `body`, cancelling it on SIGINT or SIGTERM (it then finishes its files and returns).
    private static func untilSignalled<Result: Sendable>(_ body: @escaping @Sendable () async throws -> Result) async throws -> Result {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let work = Task { try await body() }
        let watcher = Task {
            for await _ in signals {
                work.cancel()
                return
            }
        }
        defer { watcher.cancel() }
        return try await work.value
    }

    @Sendable private static func showProgress(_ progress: RecordingProgress) {
        let line = String(format: "\r%6.0f s  %d participant(s)  %6.0f kbit/s  %d lost / %d packets  %d file(s) ",
                          progress.elapsed.seconds, progress.participants, progress.bitrateKbps,
                          progress.packetsLost, progress.packetsReceived, progress.files)
        FileHandle.standardError.write(Data(line.utf8))
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("tapedeck record: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
