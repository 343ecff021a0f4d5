import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Jobs
import NIOCore
import Testing

@testable import API

/// Requests and readings of responses, shared by the route tests.
extension TestClientProtocol {
    /// Sends `body` as JSON (`Content-Type: application/json`) with the given extra headers.
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ uri: String, json body: String? = nil, token: String? = nil,
              headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await executeRequest(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func job(sourceLocation: SourceLocation = #_sourceLocation) throws -> RecordingJob {
        #expect(headers[.contentType] == "application/json", sourceLocation: sourceLocation)
        return try RecordingJobJSON.decoder().decode(RecordingJob.self, from: Data(text.utf8))
    }

    func page() throws -> RecordingPage {
        try RecordingJobJSON.decoder().decode(RecordingPage.self, from: Data(text.utf8))
    }

    /// The problem+json body, checked to be one.
    func problem(sourceLocation: SourceLocation = #_sourceLocation) throws -> ProblemBody {
        #expect(headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        let problem = try RecordingJobJSON.decoder().decode(ProblemBody.self, from: Data(text.utf8))
        #expect(problem.status == Int(status.code), sourceLocation: sourceLocation)
        #expect(problem.type.hasPrefix("urn:tapedeck:problem:") && !problem.title.isEmpty, sourceLocation: sourceLocation)
        return problem
    }
}
