import ArgumentParser
import NIOHTTP1

/// `tapedeck recordings stop ID`: POST /v1/recordings/{id}/stop.
struct RecordingsStopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop", abstract: "Stop a recording: its files are finished and kept (one not started yet is cancelled).")

    @OptionGroup var client: RecordingsClientOptions
    @Argument(help: "The recording's id.") var id: String

    func run() async throws {
        try await client.withClient { api in
            let job = try await api.json(.POST, "/v1/recordings/\(RecordingPath.escaped(id))/stop")
            try client.print(job) { data in RecordingTable.detail(try RecordingTable.decodeJob(data)) }
        }
    }
}
