import Foundation
import HTTPTypes
import Hummingbird
import Jobs
import NIOCore

/// An error the API answers with, as `application/problem+json` (RFC 9457): a `type` naming the
/// kind of problem (`urn:tapedeck:problem:<slug>`), a `title` that reads on its own, and a
/// `detail` about this occurrence that names the field, parameter or header at fault.
///
/// Handlers throw it; Hummingbird's router turns any `HTTPResponseError` into its response.
public struct APIProblem: Error, Equatable, Sendable, HTTPResponseError {
    public var status: HTTPResponse.Status
    public var type: String
    public var title: String
    public var detail: String
    /// The JSON key, query parameter or header at fault.
    public var field: String?
    /// For an unknown recipe: the ones this server has.
    public var knownRecipes: [String]?
    /// For a conflict: the recording concerned.
    public var recordingID: String?
    /// For a conflict over a recording that already ended: its state.
    public var state: JobState?
    /// Sent with the problem (`WWW-Authenticate` on 401, `Allow` on 405); not part of the body.
    public var headers: HTTPFields

    public init(status: HTTPResponse.Status, slug: String, title: String, detail: String, field: String? = nil,
                knownRecipes: [String]? = nil, recordingID: String? = nil, state: JobState? = nil,
                headers: HTTPFields = [:]) {
        self.status = status
        self.type = "urn:tapedeck:problem:\(slug)"
        self.title = title
        self.detail = detail
        self.field = field
        self.knownRecipes = knownRecipes
        self.recordingID = recordingID
        self.state = state
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = ProblemBody(problem: self, instance: request.uri.path)
        let bytes = try RecordingJobJSON.encoder().encode(body)
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        headers[.contentLength] = String(bytes.count)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// The problem's JSON members.
struct ProblemBody: Codable, Equatable {
    var type: String
    var title: String
    var status: Int
    var detail: String
    /// The request path the problem arose on.
    var instance: String?
    var field: String?
    var knownRecipes: [String]?
    var recordingID: String?
    var state: JobState?

    init(problem: APIProblem, instance: String?) {
        type = problem.type
        title = problem.title
        status = problem.status.code
        detail = problem.detail
        self.instance = instance
        field = problem.field
        knownRecipes = problem.knownRecipes
        recordingID = problem.recordingID
        state = problem.state
    }

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, instance, field, knownRecipes = "known_recipes",
             recordingID = "recording_id", state
    }
}
