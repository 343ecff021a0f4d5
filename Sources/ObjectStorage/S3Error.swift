import Foundation

/// What an S3-compatible server answered when it refused a request: its HTTP status and the
/// `Code` and `Message` of its XML error body, so that, say, a wrong secret key reads
/// `SignatureDoesNotMatch` instead of a bare 403.
public struct S3Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// The operation that failed, as S3's API names it (`PutObject`, `UploadPart`, …).
    public var operation: String
    public var status: Int
    /// S3's error code; for a response without a body (HEAD), a name for its status.
    public var code: String
    public var message: String?
    public var requestID: String?

    public init(operation: String, status: Int, code: String, message: String? = nil, requestID: String? = nil) {
        self.operation = operation
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
    }

    /// From a refused response's body; a body that is not S3's `<Error>` keeps the status only.
    init(operation: String, status: Int, body: Data) {
        let error = try? S3XML(body)
        self.init(
            operation: operation, status: status,
            code: error?.root.text("Code") ?? Self.name(ofStatus: status),
            message: error?.root.text("Message"), requestID: error?.root.text("RequestId"))
    }

    public var description: String {
        "S3 \(operation) failed: \(code) (HTTP \(status))" + (message.map { ": \($0)" } ?? "")
    }

    /// The server may do better on a later try: it failed (5xx), timed out (408), or asked the
    /// client to slow down (429, `SlowDown`). Every other 4xx is the request's fault and will
    /// fail the same way again.
    public var isRetryable: Bool {
        status >= 500 || status == 408 || status == 429
            || ["InternalError", "RequestTimeout", "SlowDown", "ServiceUnavailable"].contains(code)
    }

    public var isNotFound: Bool { status == 404 }

    private static func name(ofStatus status: Int) -> String {
        switch status {
        case 301: "PermanentRedirect"
        case 400: "BadRequest"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 409: "Conflict"
        case 412: "PreconditionFailed"
        default: "HTTP\(status)"
        }
    }
}
