import HTTPTypes

/// Every route the API serves, as data: the router is built from this table and the tests check
/// the OpenAPI document against it, both ways, so neither can list a route the other lacks.
public enum APIRoute: String, CaseIterable, Sendable {
    case createRecording
    case listRecordings
    case getRecording
    case stopRecording
    case createRender
    case cancelRecording
    case getRecordingManifest
    case getRecordingFile
    case headRecordingFile
    case health
    case readiness
    case metrics
    case openAPIDocument

    public var method: HTTPRequest.Method {
        switch self {
        case .createRecording, .stopRecording, .createRender: .post
        case .cancelRecording: .delete
        case .headRecordingFile: .head
        case .listRecordings, .getRecording, .getRecordingManifest, .getRecordingFile, .health, .readiness, .metrics,
             .openAPIDocument: .get
        }
    }

    /// The path as OpenAPI writes it: `/v1/recordings/{id}`.
    public var path: String {
        switch self {
        case .createRecording, .listRecordings: "/v1/recordings"
        case .getRecording, .cancelRecording: "/v1/recordings/{id}"
        case .stopRecording: "/v1/recordings/{id}/stop"
        case .createRender: "/v1/recordings/{id}/renders"
        case .getRecordingManifest: "/v1/recordings/{id}/manifest"
        case .getRecordingFile, .headRecordingFile: "/v1/recordings/{id}/files/{name}"
        case .health: "/healthz"
        case .readiness: "/readyz"
        case .metrics: "/metrics"
        case .openAPIDocument: "/openapi.yaml"
        }
    }

    /// The document's `operationId` for this route.
    public var operationID: String { rawValue }

    /// Whether the bearer token (when one is set) guards this route. Probes and the document are
    /// open: a load balancer or a client generator has no token.
    public var requiresToken: Bool {
        switch self {
        case .health, .readiness, .openAPIDocument: false
        default: true
        }
    }

    /// The path parameter that may span several segments: an output's path, such as
    /// `alice/camera.webm`, is its name, written as it is (or with its `/` as `%2F`).
    static let multiSegmentParameter = "{name}"

    /// The path as Hummingbird's router writes it: `/v1/recordings/:id`, and `**` (the rest of
    /// the path) for the multi-segment parameter.
    var routerPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            if segment == Self.multiSegmentParameter { return "**" }
            return segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : String(segment)
        }.joined(separator: "/")
    }

    /// Whether a request path falls on this route's path, whatever the method.
    func matches(path requestPath: String) -> Bool {
        let template = path.split(separator: "/", omittingEmptySubsequences: false)
        var actual = requestPath.split(separator: "/", omittingEmptySubsequences: false)
        if template.last.map(String.init) == Self.multiSegmentParameter, actual.count > template.count {
            actual = actual.prefix(template.count - 1) + [actual[(template.count - 1)...].joined(separator: "/")[...]]
        }
        guard template.count == actual.count else { return false }
        return zip(template, actual).allSatisfy { expected, segment in
            expected.hasPrefix("{") ? !segment.isEmpty : expected == segment
        }
    }
}
