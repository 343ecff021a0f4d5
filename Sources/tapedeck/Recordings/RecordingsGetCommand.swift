import ArgumentParser
import NIOHTTP1

/// `tapedeck recordings get ID`: GET /v1/recordings/{id}.
struct RecordingsGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show one recording and its files.")

    @OptionGroup var client: RecordingsClientOptions
    @Argument(help: "The recording's id.") var id: String

    func run() async throws {
        try await client.withClient { api in
            let job = try await api.json(.GET, "/v1/recordings/\(RecordingPath.escaped(id))")
            try client.print(job) { data in RecordingTable.detail(try RecordingTable.decodeJob(data)) }
        }
    }
}
