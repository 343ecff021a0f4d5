import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// `tapedeck recordings`' side of the REST API: JSON requests with the bearer token, and
/// problem+json answers turned into `RecordingsAPIError`. Redirects are followed by hand, so that
/// the token goes to the server only, never to the storage a file is redirected to.
struct RecordingsAPIClient {
    let server: URL
    let token: String?
    let http: HTTPClient

    static let timeout: TimeAmount = .seconds(60)

    /// Runs `body` with a client whose connections are closed afterwards.
    static func with<Value>(server: URL, token: String?, _ body: (RecordingsAPIClient) async throws -> Value) async throws -> Value {
        try await HTTPClient.withHTTPClient(configuration: .init(redirectConfiguration: .disallow)) { http in
            try await body(RecordingsAPIClient(server: server, token: token, http: http))
        }
    }

    /// The API's answer to a JSON request: its body, which is JSON on success.
    func json(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: Data? = nil,
              headers: [(String, String)] = []) async throws -> Data {
        var request = HTTPClientRequest(url: url(path, query: query))
        request.method = method
        authorize(&request)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await execute(request)
        let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
        let data = Data(bytes.readableBytesView)
        guard (200..<300).contains(response.status.code) else {
            throw RecordingsAPIError(status: response.status, body: data, request: "\(method.rawValue) \(path)")
        }
        return data
    }

    /// Sends a GET for a file, following redirects (without the token once it leaves the server).
    func file(_ path: String, headers: [(String, String)]) async throws -> HTTPClientResponse {
        var target = url(path, query: [])
        var sendToken = true
        for _ in 0..<5 {
            var request = HTTPClientRequest(url: target)
            if sendToken { authorize(&request) }
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            let response = try await execute(request)
            guard [301, 302, 303, 307, 308].contains(response.status.code),
                  let location = response.headers.first(name: "Location"),
                  let next = URL(string: location, relativeTo: URL(string: target))?.absoluteURL
            else { return response }
            sendToken = sendToken && next.host == server.host && next.port == server.port && next.scheme == server.scheme
            target = next.absoluteString
        }
        throw RecordingsAPIError(message: "GET \(path): more than 5 redirects")
    }

    func url(_ path: String, query: [(String, String)]) -> String {
        var components = URLComponents(url: server, resolvingAgainstBaseURL: false)!
        components.percentEncodedPath = components.percentEncodedPath.trimmingSuffix("/") + path
        if !query.isEmpty {
            // `+` is escaped too, so that a time's offset is not read as a space.
            var allowed = CharacterSet.urlQueryAllowed
            allowed.remove(charactersIn: "+&=")
            components.percentEncodedQuery = query.map { name, value in
                "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
            }.joined(separator: "&")
        }
        return components.string!
    }

    private func authorize(_ request: inout HTTPClientRequest) {
        if let token, !token.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    }

    private func execute(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        do {
            return try await http.execute(request, timeout: Self.timeout)
        } catch {
            throw RecordingsAPIError(message: "cannot reach \(request.url): \(error)")
        }
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}

/// What went wrong, as the server's problem+json `detail` says it, or in the client's words.
struct RecordingsAPIError: Error, CustomStringConvertible {
    var message: String

    init(message: String) { self.message = message }

    init(status: HTTPResponseStatus, body: Data, request: String) {
        let problem = try? JSONSerialization.jsonObject(with: body) as? [String: Any]
        if let detail = problem?["detail"] as? String {
            message = "\(detail) (HTTP \(status.code))"
        } else {
            let text = String(decoding: body.prefix(500), as: UTF8.self)
            message = "\(request): HTTP \(status.code)\(text.isEmpty ? "" : ": \(text)")"
        }
    }

    var description: String { message }
}
