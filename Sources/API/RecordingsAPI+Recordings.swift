import Foundation
import HTTPTypes
import Hummingbird
import Jobs
import NIOCore

/// The `/v1/recordings` handlers.
extension RecordingsAPI {
    /// The header set on the answer to a request whose Idempotency-Key had already created the job.
    public static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!

    func createRecording(_ request: Request) async throws -> Response {
        let key = try IdempotencyKey.parse(request.headers[HTTPField.Name(IdempotencyKey.header)!])
        try Self.checkContentType(request.headers[.contentType])
        let body = try await request.body.collect(upTo: Self.maxBodyBytes)
        let parsed = try CreateRecordingRequest.parse(Data(body.readableBytesView), recipes: recipes, urlPolicy: urlPolicy)
        let now = now()
        do {
            try parsed.checkTiming(now: now)
        } catch {
            // A retry can arrive after its own start_at has gone by; the key still names the job
            // the first attempt created, and that is the answer.
            guard let key, let earlier = try await IdempotentReplayLookup.job(key: key, room: parsed.spec.room, in: store) else {
                throw error
            }
            guard earlier.spec == parsed.spec else { throw APIProblem.idempotencyConflict(key: key, recordingID: earlier.id) }
            return try created(earlier, replayed: true)
        }
        switch try await store.create(parsed.spec, cpuCost: parsed.cpuCost, maxAttempts: maxAttempts, idempotencyKey: key, now: now) {
        case .created(let job): return try created(job, replayed: false)
        case .existing(let job): return try created(job, replayed: true)
        }
    }

    /// A render job of recording `id`: its raw captures made again with another recipe. Refused
    /// (and nothing queued) for an unknown recording, one still running, a render (which keeps
    /// no capture), and one whose files were purged.
    func createRender(_ id: String, _ request: Request) async throws -> Response {
        try Self.checkContentType(request.headers[.contentType])
        let body = try await request.body.collect(upTo: Self.maxBodyBytes)
        let parsed = try CreateRenderRequest.parse(Data(body.readableBytesView), recipes: recipes, urlPolicy: urlPolicy)
        guard let source = try await store.job(id: id) else { throw APIProblem.recordingNotFound(id) }
        guard source.state.isTerminal else {
            throw APIProblem.notRenderable(id, state: source.state, why: "it has not ended; render it once it has")
        }
        if let original = source.spec.renderOf {
            throw APIProblem.notRenderable(id, state: source.state,
                                           why: "it is a render, which keeps no raw capture; render recording \(original) instead")
        }
        if source.filesPurgedAt != nil {
            throw APIProblem.notRenderable(id, state: source.state, why: "its files, raw captures included, were purged")
        }
        let job = try await store.create(parsed.spec(renderOf: source), cpuCost: CreateRenderRequest.cpuCost,
                                         maxAttempts: maxAttempts, idempotencyKey: nil, now: now())
        switch job {
        case .created(let job), .existing(let job): return try created(job, replayed: false)
        }
    }

    func listRecordings(_ request: Request) async throws -> Response {
        let items = request.uri.queryParameters.map { (name: String($0.key), value: String($0.value)) }
        let page = try await store.list(RecordingListQuery.parse(items))
        return try APIResponse.json(RecordingPage(recordings: page.jobs, nextCursor: page.nextCursor))
    }

    func getRecording(_ id: String) async throws -> Response {
        guard let job = try await store.job(id: id) else { throw APIProblem.recordingNotFound(id) }
        return try APIResponse.json(job)
    }

    func stopRecording(_ id: String) async throws -> Response {
        guard let job = try await store.requestStop(id: id, now: now()) else { throw APIProblem.recordingNotFound(id) }
        return try APIResponse.json(job)
    }

    /// `DELETE`: cancels; with `?purge=true`, deletes the files of a recording that has ended
    /// (or that had not started: it is cancelled first). A running recording is refused (409)
    /// and left as it was: the client cancels it and purges once it has ended.
    func deleteRecording(_ id: String, _ request: Request) async throws -> Response {
        let items = request.uri.queryParameters.map { (name: String($0.key), value: String($0.value)) }
        guard try RecordingDeleteQuery.parse(items).purge else {
            guard let job = try await store.cancel(id: id, now: now()) else { throw APIProblem.recordingNotFound(id) }
            return try APIResponse.json(job)
        }
        guard var job = try await store.job(id: id) else { throw APIProblem.recordingNotFound(id) }
        if job.state.isRunning { throw APIProblem.recordingRunning(id, state: job.state) }
        if !job.state.isTerminal {
            guard let cancelled = try await store.cancel(id: id, now: now()) else { throw APIProblem.recordingNotFound(id) }
            job = cancelled
        }
        guard let files else {
            throw APIProblem.fileUnavailable(id, why: "this server was started without a data directory, so it purges no files")
        }
        return try APIResponse.json(try await files.purger.purge(job, in: store, now: now()))
    }

    /// 201 with the job and its Location, for a new job and for a replay alike: a scheduler that
    /// retries gets the answer it would have had (the job as it is now), flagged as a replay.
    private func created(_ job: RecordingJob, replayed: Bool) throws -> Response {
        var headers: HTTPFields = [.location: "/v1/recordings/\(job.id)"]
        if replayed { headers[Self.replayedHeader] = "true" }
        return try APIResponse.json(job, status: .created, headers: headers)
    }

    /// JSON, or no Content-Type at all; a form or plain text is a client that meant something else.
    static func checkContentType(_ value: String?) throws(APIProblem) {
        guard let value else { return }
        let mediaType = value.split(separator: ";", maxSplits: 1)[0].trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/json" || mediaType.hasSuffix("+json") else {
            throw .unsupportedMediaType(value)
        }
    }
}

/// A page of `GET /v1/recordings`.
struct RecordingPage: Codable {
    var recordings: [RecordingJob]
    /// Pass as `cursor` for the next page; null on the last.
    var nextCursor: String?

    enum CodingKeys: String, CodingKey { case recordings, nextCursor = "next_cursor" }

    // `next_cursor` is always present, null on the last page, so a client can loop on it.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(recordings, forKey: .recordings)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
