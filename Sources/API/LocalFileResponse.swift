import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A file on disk as a response: streamed in chunks (never read whole; recordings can be GBs),
/// `Accept-Ranges: bytes`, one byte range (206 with `Content-Range`) or 416, and headers alone for HEAD.
enum LocalFileResponse {
    static func make(path: String, size: Int, contentType: String, request: Request,
                     context: some RequestContext) async throws -> Response {
        var headers: HTTPFields = [.contentType: contentType, .acceptRanges: "bytes"]
        // No validators are sent, so no If-Range can match: RFC 9110 says to send the whole file then.
        let range = request.headers[.ifRange] == nil ? ByteRangeRequest(header: request.headers[.range], size: size) : .whole
        let status: HTTPResponse.Status
        let bytes: ClosedRange<Int>?
        switch range {
        case .unsatisfiable(let reason):
            throw APIProblem.rangeNotSatisfiable(reason, size: size)
        case .whole:
            status = .ok
            bytes = size > 0 ? 0...(size - 1) : nil
        case .partial(let partial):
            status = .partialContent
            bytes = partial
            headers[.contentRange] = "bytes \(partial.lowerBound)-\(partial.upperBound)/\(size)"
        }
        headers[.contentLength] = String(bytes?.count ?? 0)
        guard request.method != .head, let bytes else {
            return Response(status: status, headers: headers, body: ResponseBody())
        }
        let body = try await FileIO().loadFile(path: path, range: bytes, context: context)
        return Response(status: status, headers: headers, body: body)
    }
}
