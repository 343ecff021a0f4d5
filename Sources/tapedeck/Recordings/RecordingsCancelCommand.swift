import ArgumentParser
import NIOHTTP1

/// `tapedeck recordings cancel ID [--purge]`: DELETE /v1/recordings/{id}[?purge=true].
struct RecordingsCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a recording; with --purge, delete the files of one that has ended.")

    @OptionGroup var client: RecordingsClientOptions
    @Argument(help: "The recording's id.") var id: String
    @Flag(help: "Delete the recording's files (it must have ended, or not have started).") var purge = false

    func run() async throws {
        try await client.withClient { api in
            let job = try await api.json(.DELETE, "/v1/recordings/\(RecordingPath.escaped(id))",
                                         query: purge ? [("purge", "true")] : [])
            try client.print(job) { data in RecordingTable.detail(try RecordingTable.decodeJob(data)) }
        }
    }
}
