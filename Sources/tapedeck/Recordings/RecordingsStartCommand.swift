import ArgumentParser
import Foundation
import NIOHTTP1

/// `tapedeck recordings start`: POST /v1/recordings.
struct RecordingsStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Record a room (now, or at --start-at).")

    @OptionGroup var client: RecordingsClientOptions
    @Option(help: "The room to record.") var room: String
    @Option(help: "The room's signaling server, ws:// or wss://.") var signalingURL: String
    @Option(help: "The recipe (see `tapedeck recipes`).") var recipe = "webm"
    @Option(help: "Stop after this many seconds.") var maxDuration: Int?
    @Option(help: "End once the room has been empty this many seconds.") var stopWhenEmpty: Int?
    @Option(help: "Join at this RFC 3339 time.") var startAt: String?
    @Option(help: "Stop at this RFC 3339 time.") var stopAt: String?
    @Option(help: "POST the recording's events here.") var webhookUrl: String?
    @Option(help: "A label kept with the recording, key=value (repeatable).") var metadata: [String] = []
    @Option(help: "Idempotency-Key: a retry with the same key returns the same recording.") var idempotencyKey: String?

    func validate() throws {
        for item in metadata where !item.contains("=") {
            throw ValidationError("--metadata \"\(item)\" must be key=value")
        }
    }

    func run() async throws {
        var body: [String: Any] = ["room": room, "signaling_url": signalingURL, "recipe": recipe]
        body["max_duration_s"] = maxDuration
        body["stop_when_empty_s"] = stopWhenEmpty
        body["start_at"] = startAt
        body["stop_at"] = stopAt
        body["webhook_url"] = webhookUrl
        if !metadata.isEmpty {
            body["metadata"] = Dictionary(metadata.map { item in
                let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (String(parts[0]), String(parts[1]))
            }, uniquingKeysWith: { _, last in last })
        }
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        try await client.withClient { api in
            let created = try await api.json(.POST, "/v1/recordings", body: data,
                                             headers: idempotencyKey.map { [("Idempotency-Key", $0)] } ?? [])
            try client.print(created) { data in RecordingTable.detail(try RecordingTable.decodeJob(data)) }
        }
    }
}
