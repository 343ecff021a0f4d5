import HTTPTypes
import Jobs

/// Every problem the API answers with. Status codes: 400 when the request cannot be read at all
/// (malformed JSON, a bad query parameter or header), 422 when it was read but a field is wrong,
/// 401 without the bearer token, 404 for no such recording or route, 405 for a route that does
/// not take that method, 409 for a request that conflicts with what is stored, 413 for a body
/// over the limit, 415 for a body that is not JSON, 503 when the database cannot be reached.
extension APIProblem {
    static func malformedJSON(_ detail: String) -> APIProblem {
        APIProblem(status: .badRequest, slug: "malformed-json", title: "Malformed JSON", detail: detail)
    }

    static func unsupportedMediaType(_ contentType: String) -> APIProblem {
        APIProblem(status: .unsupportedMediaType, slug: "unsupported-media-type", title: "Unsupported media type",
                   detail: "the request body must be application/json, not \(contentType)", field: "Content-Type")
    }

    static func bodyTooLarge(limit: Int) -> APIProblem {
        APIProblem(status: .contentTooLarge, slug: "body-too-large", title: "Request body too large",
                   detail: "the request body must be at most \(limit) bytes")
    }

    static func unknownField(_ key: String, detail: String) -> APIProblem {
        APIProblem(status: .unprocessableContent, slug: "unknown-field", title: "Unknown field", detail: detail, field: key)
    }

    static func missingField(_ key: String) -> APIProblem {
        APIProblem(status: .unprocessableContent, slug: "missing-field", title: "Missing field",
                   detail: "\(key) is required", field: key)
    }

    static func invalidField(_ key: String, _ detail: String) -> APIProblem {
        APIProblem(status: .unprocessableContent, slug: "invalid-field", title: "Invalid field", detail: detail, field: key)
    }

    static func unknownRecipe(_ name: String, known: [String]) -> APIProblem {
        APIProblem(status: .unprocessableContent, slug: "unknown-recipe", title: "Unknown recipe",
                   detail: "recipe \"\(name)\" is not one of this server's: \(known.joined(separator: ", "))",
                   field: "recipe", knownRecipes: known)
    }

    static func invalidQueryParameter(_ name: String, _ detail: String) -> APIProblem {
        APIProblem(status: .badRequest, slug: "invalid-query-parameter", title: "Invalid query parameter",
                   detail: detail, field: name)
    }

    static func invalidHeader(_ name: String, _ detail: String) -> APIProblem {
        APIProblem(status: .badRequest, slug: "invalid-header", title: "Invalid header", detail: detail, field: name)
    }

    static func unauthorized(_ detail: String) -> APIProblem {
        APIProblem(status: .unauthorized, slug: "unauthorized", title: "Unauthorized", detail: detail,
                   headers: [.wwwAuthenticate: "Bearer realm=\"tapedeck\""])
    }

    static func recordingNotFound(_ id: String) -> APIProblem {
        APIProblem(status: .notFound, slug: "recording-not-found", title: "Recording not found",
                   detail: "there is no recording \(id)", recordingID: id)
    }

    static func recordingEnded(_ id: String, state: JobState) -> APIProblem {
        APIProblem(status: .conflict, slug: "recording-ended", title: "Recording already ended",
                   detail: "recording \(id) already ended (\(state.rawValue)); it cannot be stopped or cancelled",
                   recordingID: id, state: state)
    }

    static func idempotencyConflict(key: String, recordingID: String) -> APIProblem {
        APIProblem(status: .conflict, slug: "idempotency-key-reused", title: "Idempotency-Key reused for a different request",
                   detail: "Idempotency-Key \"\(key)\" already created recording \(recordingID) from a different request body",
                   field: "Idempotency-Key", recordingID: recordingID)
    }

    static func routeNotFound(_ path: String) -> APIProblem {
        APIProblem(status: .notFound, slug: "not-found", title: "Not found", detail: "nothing is served at \(path)")
    }

    static func methodNotAllowed(_ method: HTTPRequest.Method, path: String, allowed: [HTTPRequest.Method]) -> APIProblem {
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        return APIProblem(status: .methodNotAllowed, slug: "method-not-allowed", title: "Method not allowed",
                          detail: "\(path) takes \(allow), not \(method.rawValue)", headers: [.allow: allow])
    }

    static func notReady(_ detail: String) -> APIProblem {
        APIProblem(status: .serviceUnavailable, slug: "not-ready", title: "Not ready", detail: detail)
    }

    static func databaseUnavailable(_ detail: String) -> APIProblem {
        APIProblem(status: .serviceUnavailable, slug: "database-unavailable", title: "Database unavailable", detail: detail)
    }

    static func internalError() -> APIProblem {
        APIProblem(status: .internalServerError, slug: "internal-error", title: "Internal error",
                   detail: "the server failed to handle the request; its log says why")
    }
}
