import Foundation
import JSON
import Jobs
import ObjectStorage

/// The body of `POST /v1/recordings`, validated: what to record and what it costs a worker.
///
/// Strict on purpose: a scheduler that misspells `stop_when_empty_s` must hear about it, not
/// get a recording that never stops. Every refusal is an `APIProblem` naming the field.
public struct CreateRecordingRequest: Sendable, Equatable {
    public var spec: RecordingJobSpec
    /// The recipe's CPU cost, in cores.
    public var cpuCost: Double

    public enum Limits {
        public static let roomLength = 200
        public static let urlBytes = 2048
        public static let maxDurationSeconds = 86_400
        public static let stopWhenEmptySeconds = 86_400
        public static let metadataEntries = 50
        public static let metadataKeyLength = 100
        public static let metadataValueLength = 1000
        /// How far in the past `start_at` may be: a scheduler's clock and its network are not exact.
        public static let startAtSlack: TimeInterval = 30
    }

    /// The body's keys, as the OpenAPI document's `RecordingRequest` lists them.
    public static let fields = ["room", "signaling_url", "recipe", "start_at", "stop_at", "max_duration_s",
                                "stop_when_empty_s", "webhook_url", "metadata", "storage", "keep_local",
                                "signaling_token", "ice_servers", "bot_name"]

    /// Reads and validates a request body, timing included (`start_at`, `stop_at` against `now`).
    public static func parse(_ body: Data, recipes: RecipeCosts, now: Date,
                             urlPolicy: OutboundURLPolicy = .standard) throws(APIProblem) -> CreateRecordingRequest {
        let request = try parse(body, recipes: recipes, urlPolicy: urlPolicy)
        try request.checkTiming(now: now)
        return request
    }

    /// Reads and validates a request body, everything but how its times stand against now.
    /// `urlPolicy` decides which hosts `signaling_url` and `webhook_url` may name.
    public static func parse(_ body: Data, recipes: RecipeCosts,
                             urlPolicy: OutboundURLPolicy = .standard) throws(APIProblem) -> CreateRecordingRequest {
        let object = try JSONObjectBody.read(body)
        try refuseUnknownKeys(object, fields: fields, of: "a recording request")
        let fields = JSONFields(object: object)

        let room = try fields.requiredString("room")
        try checkRoom(room)
        guard let signalingURL = try fields.url("signaling_url", schemes: ["ws", "wss"], maxLength: Limits.urlBytes) else {
            throw .missingField("signaling_url")
        }
        try checkHost(of: signalingURL, field: "signaling_url", policy: urlPolicy)
        let recipe = try fields.requiredString("recipe")
        guard let cpuCost = recipes.cost(of: recipe) else { throw .unknownRecipe(recipe, known: recipes.names) }
        let startAt = try fields.date("start_at")
        let stopAt = try fields.date("stop_at")
        if let startAt, let stopAt, stopAt <= startAt {
            throw .invalidField("stop_at", "stop_at (\(RFC3339.string(from: stopAt))) must be after start_at (\(RFC3339.string(from: startAt)))")
        }
        let webhookURL = try fields.url("webhook_url", schemes: ["http", "https"], maxLength: Limits.urlBytes)
        if let webhookURL { try checkHost(of: webhookURL, field: "webhook_url", policy: urlPolicy) }
        let spec = RecordingJobSpec(
            room: room, signalingURL: signalingURL, recipe: recipe, startAt: startAt, stopAt: stopAt,
            maxDurationSeconds: try fields.integer("max_duration_s", in: 1...Limits.maxDurationSeconds),
            stopWhenEmptySeconds: try fields.integer("stop_when_empty_s", in: 1...Limits.stopWhenEmptySeconds),
            webhookURL: webhookURL,
            metadata: try metadata(fields.value("metadata")),
            storage: try storage(fields.string("storage")),
            keepLocal: try fields.bool("keep_local"),
            signalingToken: try RoomCredentialFields.signalingToken(fields),
            iceServers: try RoomCredentialFields.iceServers(fields),
            botName: try RoomCredentialFields.botName(fields))
        return CreateRecordingRequest(spec: spec, cpuCost: cpuCost)
    }

    /// `start_at` may not be in the past (beyond a little slack) and `stop_at` must be ahead.
    public func checkTiming(now: Date) throws(APIProblem) {
        if let startAt = spec.startAt, startAt < now.addingTimeInterval(-Limits.startAtSlack) {
            throw .invalidField("start_at", "start_at (\(RFC3339.string(from: startAt))) is in the past; it is now \(RFC3339.string(from: now))")
        }
        if let stopAt = spec.stopAt, stopAt <= now {
            throw .invalidField("stop_at", "stop_at (\(RFC3339.string(from: stopAt))) has already passed; it is now \(RFC3339.string(from: now))")
        }
    }

    /// Refuses the first key of `object` not among `fields`, suggesting the closest.
    static func refuseUnknownKeys(_ object: [String: JSONValue], fields: [String], of request: String) throws(APIProblem) {
        guard let unknown = object.keys.filter({ !fields.contains($0) }).sorted().first else { return }
        var detail = "\"\(unknown)\" is not a field of \(request)"
        if let suggestion = FieldNameSuggestion.closest(to: unknown, among: fields) {
            detail += "; did you mean \"\(suggestion)\"?"
        } else {
            detail += "; the fields are \(fields.joined(separator: ", "))"
        }
        throw .unknownField(unknown, detail: detail)
    }

    static func checkHost(of url: String, field: String, policy: OutboundURLPolicy) throws(APIProblem) {
        guard let host = URLComponents(string: url)?.host, let refusal = policy.refusal(host: host) else { return }
        throw .invalidField(field, "\(field) is refused: \(refusal) (an operator can allow it with --allow-url-hosts)")
    }

    private static func checkRoom(_ room: String) throws(APIProblem) {
        guard !room.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidField("room", "room must not be empty")
        }
        guard room.count <= Limits.roomLength else {
            throw .invalidField("room", "room must be at most \(Limits.roomLength) characters; it has \(room.count)")
        }
        guard !room.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidField("room", "room must not contain control characters")
        }
    }

    /// `s3://bucket` or `s3://bucket/prefix`, as `S3StorageURL` reads it.
    static func storage(_ text: String?) throws(APIProblem) -> String? {
        guard let text else { return nil }
        guard text.utf8.count <= Limits.urlBytes else {
            throw .invalidField("storage", "storage must be at most \(Limits.urlBytes) bytes long")
        }
        do {
            return try S3StorageURL(parsing: text).description
        } catch {
            throw .invalidField("storage", "\(error)")
        }
    }

    static func metadata(_ value: JSONValue?) throws(APIProblem) -> [String: String] {
        guard let value else { return [:] }
        guard case .object(let entries) = value else {
            throw .invalidField("metadata", "metadata must be an object of strings, not \(value.kind)")
        }
        guard entries.count <= Limits.metadataEntries else {
            throw .invalidField("metadata", "metadata may hold at most \(Limits.metadataEntries) entries; it has \(entries.count)")
        }
        var metadata: [String: String] = [:]
        for (key, entry) in entries.sorted(by: { $0.key < $1.key }) {
            guard (1...Limits.metadataKeyLength).contains(key.count) else {
                throw .invalidField("metadata", "metadata keys must be 1 to \(Limits.metadataKeyLength) characters long")
            }
            guard case .string(let text) = entry else {
                throw .invalidField("metadata", "metadata.\(key) must be a string, not \(entry.kind)")
            }
            guard text.count <= Limits.metadataValueLength else {
                throw .invalidField("metadata", "metadata.\(key) must be at most \(Limits.metadataValueLength) characters")
            }
            metadata[key] = text
        }
        return metadata
    }
}
