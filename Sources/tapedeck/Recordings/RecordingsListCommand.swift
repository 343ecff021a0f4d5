import ArgumentParser
import Foundation
import Jobs
import NIOHTTP1

/// `tapedeck recordings list`: GET /v1/recordings.
struct RecordingsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List recordings, newest first.")

    @OptionGroup var client: RecordingsClientOptions
    @Option(help: "Only recordings in this state.") var state: String?
    @Option(help: "Only recordings of this room.") var room: String?
    @Option(help: "Only recordings created at or after this RFC 3339 time.") var createdAfter: String?
    @Option(help: "Only recordings created before this RFC 3339 time.") var createdBefore: String?
    @Option(help: "desc (newest first) or asc.") var order: String?
    @Option(help: "Recordings per page (1-100).") var limit: Int?
    @Option(help: "Continue from a previous page's cursor.") var cursor: String?

    func run() async throws {
        let query: [(String, String)] = [
            ("state", state), ("room", room), ("created_after", createdAfter), ("created_before", createdBefore),
            ("order", order), ("limit", limit.map(String.init)), ("cursor", cursor),
        ].compactMap { name, value in value.map { (name, $0) } }
        try await client.withClient { api in
            let page = try await api.json(.GET, "/v1/recordings", query: query)
            try client.print(page) { data in
                let decoded = try RecordingJobJSON.decoder().decode(ListedPage.self, from: data)
                return RecordingTable.list(decoded.recordings, nextCursor: decoded.nextCursor)
            }
        }
    }

    private struct ListedPage: Decodable {
        var recordings: [RecordingJob]
        var nextCursor: String?

        enum CodingKeys: String, CodingKey { case recordings, nextCursor = "next_cursor" }
    }
}
