import Foundation

/// A request to record one room, and everything that happened to it since. This is what the API
/// returns and what `JobStore` keeps; JSON keys are snake_case like the API's request body.
public struct RecordingJob: Codable, Sendable, Equatable {
    public var id: String
    public var state: JobState
    public var spec: RecordingJobSpec
    /// The CPU the recording's recipe costs a worker, in cores (`Recipe.cpuCost`).
    public var cpuCost: Double
    public var createdAt: Date
    public var updatedAt: Date
    /// When the job was last handed to a worker (nil before).
    public var claimedAt: Date?
    /// When files started being written (the first attempt that reached `recording`).
    public var recordingStartedAt: Date?
    public var endedAt: Date?
    /// How many times a worker has taken the job; bounded by `maxAttempts`.
    public var attempts: Int
    public var maxAttempts: Int
    /// Why the job failed, in words an operator can act on.
    public var error: String?
    /// `POST …/stop` was asked while the job was running: the worker finishes the files.
    public var stopRequested: Bool
    /// `DELETE …` was asked while the job was running: the worker ends it as `cancelled`.
    public var cancelRequested: Bool
    /// The worker holding the job, until when (nil when no worker holds it).
    public var lease: JobLease?
    /// How many times the job was claimed: each claim's fencing token. A worker writes its job's
    /// folder only while the store confirms the generation it claimed is still the job's
    /// (`JobStore.confirmLease`), so a worker presumed dead cannot write beside the one after it.
    public var leaseGeneration: Int
    /// The recording's folder, relative to the data directory (`recordings/<id>`); set when first claimed.
    public var outputDirectory: String?
    /// The files written so far, from the recording's manifest.
    public var outputs: [JobOutput]
    /// The recording is over and its files are closed: what is left is delivering them to
    /// storage. A job given back to the queue now is not recorded again, only delivered.
    public var filesFinished: Bool
    /// Where the manifest was uploaded (`s3://bucket/key`), once every output had been.
    public var manifestLocation: String?
    /// When the job's local folder was deleted (`DELETE …?purge=true` or the retention sweep);
    /// nil while its files are kept.
    public var filesPurgedAt: Date?
    public var statistics: JobStatistics?
    public var webhookDeliveries: [WebhookDelivery]
    public var idempotencyKey: String?

    public init(id: String, state: JobState, spec: RecordingJobSpec, cpuCost: Double, createdAt: Date,
                maxAttempts: Int, idempotencyKey: String?) {
        self.id = id
        self.state = state
        self.spec = spec
        self.cpuCost = cpuCost
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.attempts = 0
        self.leaseGeneration = 0
        self.maxAttempts = maxAttempts
        self.stopRequested = false
        self.cancelRequested = false
        self.outputs = []
        self.filesFinished = false
        self.webhookDeliveries = []
        self.idempotencyKey = idempotencyKey
    }

    // The spec's fields sit at the top level of the job's JSON, beside the job's own: a job reads
    // as the request that made it plus what happened since.
    public init(from decoder: any Decoder) throws {
        spec = try RecordingJobSpec(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        state = try container.decode(JobState.self, forKey: .state)
        cpuCost = try container.decode(Double.self, forKey: .cpuCost)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        updatedAt = try container.decode(Date.self, forKey: .updatedAt)
        claimedAt = try container.decodeIfPresent(Date.self, forKey: .claimedAt)
        recordingStartedAt = try container.decodeIfPresent(Date.self, forKey: .recordingStartedAt)
        endedAt = try container.decodeIfPresent(Date.self, forKey: .endedAt)
        attempts = try container.decode(Int.self, forKey: .attempts)
        maxAttempts = try container.decode(Int.self, forKey: .maxAttempts)
        error = try container.decodeIfPresent(String.self, forKey: .error)
        stopRequested = try container.decode(Bool.self, forKey: .stopRequested)
        cancelRequested = try container.decode(Bool.self, forKey: .cancelRequested)
        lease = try container.decodeIfPresent(JobLease.self, forKey: .lease)
        leaseGeneration = try container.decodeIfPresent(Int.self, forKey: .leaseGeneration) ?? 0
        outputDirectory = try container.decodeIfPresent(String.self, forKey: .outputDirectory)
        outputs = try container.decode([JobOutput].self, forKey: .outputs)
        filesFinished = try container.decodeIfPresent(Bool.self, forKey: .filesFinished) ?? false
        manifestLocation = try container.decodeIfPresent(String.self, forKey: .manifestLocation)
        filesPurgedAt = try container.decodeIfPresent(Date.self, forKey: .filesPurgedAt)
        statistics = try container.decodeIfPresent(JobStatistics.self, forKey: .statistics)
        webhookDeliveries = try container.decode([WebhookDelivery].self, forKey: .webhookDeliveries)
        idempotencyKey = try container.decodeIfPresent(String.self, forKey: .idempotencyKey)
    }

    public func encode(to encoder: any Encoder) throws {
        try spec.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(state, forKey: .state)
        try container.encode(cpuCost, forKey: .cpuCost)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(claimedAt, forKey: .claimedAt)
        try container.encodeIfPresent(recordingStartedAt, forKey: .recordingStartedAt)
        try container.encodeIfPresent(endedAt, forKey: .endedAt)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(maxAttempts, forKey: .maxAttempts)
        try container.encodeIfPresent(error, forKey: .error)
        try container.encode(stopRequested, forKey: .stopRequested)
        try container.encode(cancelRequested, forKey: .cancelRequested)
        try container.encodeIfPresent(lease, forKey: .lease)
        try container.encode(leaseGeneration, forKey: .leaseGeneration)
        try container.encodeIfPresent(outputDirectory, forKey: .outputDirectory)
        try container.encode(outputs, forKey: .outputs)
        try container.encode(filesFinished, forKey: .filesFinished)
        try container.encodeIfPresent(manifestLocation, forKey: .manifestLocation)
        try container.encodeIfPresent(filesPurgedAt, forKey: .filesPurgedAt)
        try container.encodeIfPresent(statistics, forKey: .statistics)
        try container.encode(webhookDeliveries, forKey: .webhookDeliveries)
        try container.encodeIfPresent(idempotencyKey, forKey: .idempotencyKey)
    }

    enum CodingKeys: String, CodingKey {
        case id, state, cpuCost = "cpu_cost", createdAt = "created_at", updatedAt = "updated_at",
             claimedAt = "claimed_at", recordingStartedAt = "recording_started_at", endedAt = "ended_at",
             attempts, maxAttempts = "max_attempts", error, stopRequested = "stop_requested",
             cancelRequested = "cancel_requested", lease, leaseGeneration = "lease_generation", outputDirectory = "output_directory", outputs,
             filesFinished = "files_finished", manifestLocation = "manifest_location",
             filesPurgedAt = "files_purged_at", statistics,
             webhookDeliveries = "webhook_deliveries", idempotencyKey = "idempotency_key"
    }
}

/// What was asked for: the validated request body of `POST /v1/recordings`.
public struct RecordingJobSpec: Codable, Sendable, Equatable {
    public var room: String
    /// A ws:// or wss:// URL.
    public var signalingURL: String
    public var recipe: String
    /// Join at this time (nil: as soon as a worker is free).
    public var startAt: Date?
    /// Stop at this time.
    public var stopAt: Date?
    public var maxDurationSeconds: Int?
    /// End once the room has been empty this long after someone was there.
    public var stopWhenEmptySeconds: Int?
    public var webhookURL: String?
    /// The caller's own labels, returned unchanged.
    public var metadata: [String: String]
    /// Where the outputs go, `s3://bucket/prefix`, instead of the server's `--storage` (nil: the
    /// server's, if it has one; else the files stay in the worker's data directory).
    public var storage: String?
    /// Whether the local copies stay after a verified upload (nil: the server's `--keep-local`).
    public var keepLocal: Bool?
    /// The room's token, sent as `token` in the signaling join. Write-only: the job's JSON says
    /// only `signaling_token_set`.
    public var signalingToken: SecretText?
    /// STUN and TURN servers for this room, used besides the worker's own.
    public var iceServers: [RoomIceServer]
    /// The name the bot joins with (nil: `tapedeck-recorder`).
    public var botName: String?
    /// A render job: the recording (by id) whose raw captures are made again with `recipe`,
    /// instead of joining `room` (`POST /v1/recordings/{id}/renders`). Nil: a recording of the room.
    public var renderOf: String?

    public init(room: String, signalingURL: String, recipe: String, startAt: Date? = nil, stopAt: Date? = nil,
                maxDurationSeconds: Int? = nil, stopWhenEmptySeconds: Int? = nil, webhookURL: String? = nil,
                metadata: [String: String] = [:], storage: String? = nil, keepLocal: Bool? = nil,
                signalingToken: SecretText? = nil, iceServers: [RoomIceServer] = [], botName: String? = nil,
                renderOf: String? = nil) {
        self.room = room
        self.signalingURL = signalingURL
        self.recipe = recipe
        self.startAt = startAt
        self.stopAt = stopAt
        self.maxDurationSeconds = maxDurationSeconds
        self.stopWhenEmptySeconds = stopWhenEmptySeconds
        self.webhookURL = webhookURL
        self.metadata = metadata
        self.storage = storage
        self.keepLocal = keepLocal
        self.signalingToken = signalingToken
        self.iceServers = iceServers
        self.botName = botName
        self.renderOf = renderOf
    }

    // The secrets stay out of JSON both ways: encoding shows only that they were given, and
    // decoding (a job read back from the API) cannot bring them back.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        room = try container.decode(String.self, forKey: .room)
        signalingURL = try container.decode(String.self, forKey: .signalingURL)
        recipe = try container.decode(String.self, forKey: .recipe)
        startAt = try container.decodeIfPresent(Date.self, forKey: .startAt)
        stopAt = try container.decodeIfPresent(Date.self, forKey: .stopAt)
        maxDurationSeconds = try container.decodeIfPresent(Int.self, forKey: .maxDurationSeconds)
        stopWhenEmptySeconds = try container.decodeIfPresent(Int.self, forKey: .stopWhenEmptySeconds)
        webhookURL = try container.decodeIfPresent(String.self, forKey: .webhookURL)
        metadata = try container.decodeIfPresent([String: String].self, forKey: .metadata) ?? [:]
        storage = try container.decodeIfPresent(String.self, forKey: .storage)
        keepLocal = try container.decodeIfPresent(Bool.self, forKey: .keepLocal)
        signalingToken = nil
        iceServers = try container.decodeIfPresent([RoomIceServer.PublicView].self, forKey: .iceServers)?
            .map { RoomIceServer(urls: $0.urls) } ?? []
        botName = try container.decodeIfPresent(String.self, forKey: .botName)
        renderOf = try container.decodeIfPresent(String.self, forKey: .renderOf)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(room, forKey: .room)
        try container.encode(signalingURL, forKey: .signalingURL)
        try container.encode(recipe, forKey: .recipe)
        try container.encodeIfPresent(startAt, forKey: .startAt)
        try container.encodeIfPresent(stopAt, forKey: .stopAt)
        try container.encodeIfPresent(maxDurationSeconds, forKey: .maxDurationSeconds)
        try container.encodeIfPresent(stopWhenEmptySeconds, forKey: .stopWhenEmptySeconds)
        try container.encodeIfPresent(webhookURL, forKey: .webhookURL)
        try container.encode(metadata, forKey: .metadata)
        try container.encodeIfPresent(storage, forKey: .storage)
        try container.encodeIfPresent(keepLocal, forKey: .keepLocal)
        try container.encode(signalingToken != nil, forKey: .signalingTokenSet)
        if !iceServers.isEmpty { try container.encode(iceServers.map(\.publicView), forKey: .iceServers) }
        try container.encodeIfPresent(botName, forKey: .botName)
        try container.encodeIfPresent(renderOf, forKey: .renderOf)
    }

    enum CodingKeys: String, CodingKey {
        case room, signalingURL = "signaling_url", recipe, startAt = "start_at", stopAt = "stop_at",
             maxDurationSeconds = "max_duration_s", stopWhenEmptySeconds = "stop_when_empty_s",
             webhookURL = "webhook_url", metadata, storage, keepLocal = "keep_local",
             signalingTokenSet = "signaling_token_set", iceServers = "ice_servers", botName = "bot_name",
             renderOf = "render_of"
    }
}

/// A worker's hold on a running job. It renews `expiresAt` by heartbeat; once it has passed, the
/// worker is presumed dead and the job goes back to the queue.
public struct JobLease: Codable, Sendable, Equatable {
    public var worker: String
    public var expiresAt: Date

    public init(worker: String, expiresAt: Date) {
        self.worker = worker
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey { case worker, expiresAt = "expires_at" }
}

/// Totals over the recording's tracks, from its manifest.
public struct JobStatistics: Codable, Sendable, Equatable {
    public var participants: Int
    public var packetsReceived: Int
    public var packetsLost: Int
    public var packetsRecovered: Int
    public var bytesWritten: Int

    public init(participants: Int, packetsReceived: Int, packetsLost: Int, packetsRecovered: Int, bytesWritten: Int) {
        self.participants = participants
        self.packetsReceived = packetsReceived
        self.packetsLost = packetsLost
        self.packetsRecovered = packetsRecovered
        self.bytesWritten = bytesWritten
    }

    enum CodingKeys: String, CodingKey {
        case participants, packetsReceived = "packets_received", packetsLost = "packets_lost",
             packetsRecovered = "packets_recovered", bytesWritten = "bytes_written"
    }
}

/// One attempt to deliver a webhook event.
public struct WebhookDelivery: Codable, Sendable, Equatable {
    public var event: String
    public var attempt: Int
    public var at: Date
    /// The receiver's HTTP status (nil when it could not be reached).
    public var status: Int?
    public var error: String?

    public init(event: String, attempt: Int, at: Date, status: Int?, error: String?) {
        self.event = event
        self.attempt = attempt
        self.at = at
        self.status = status
        self.error = error
    }

    public var succeeded: Bool { status.map { (200..<300).contains($0) } ?? false }
}
