import Foundation
import HTTPTypes
import Hummingbird
import Jobs
import NIOCore

/// Responses with a body and its length: JSON as `RecordingJobJSON` writes it, or text.
enum APIResponse {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        try bytes(RecordingJobJSON.encoder().encode(value), contentType: "application/json", status: status, headers: headers)
    }

    static func text(_ text: String, contentType: String) -> Response {
        bytes(Data(text.utf8), contentType: contentType, status: .ok, headers: [:])
    }

    private static func bytes(_ data: Data, contentType: String, status: HTTPResponse.Status, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = contentType
        headers[.contentLength] = String(data.count)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
