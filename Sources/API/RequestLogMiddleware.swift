import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Logs each request once it has been answered: method, route (the API's template, so that job
/// ids do not make every line unique; the path for anything else), status, duration and request
/// id. The id is the client's `X-Request-Id` when it sends a sane one, else a new one, and is
/// echoed on the response so that a client's report can be matched to the server's line.
/// Query strings and headers are not logged: they may carry tokens or cursors.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    static var requestIDHeader: HTTPField.Name { HTTPField.Name("X-Request-Id")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let id = Self.requestID(from: request.headers[Self.requestIDHeader])
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch {
            log(request, status: 500, started: started, id: id, logger: context.logger)
            throw error
        }
        response.headers[Self.requestIDHeader] = id
        log(request, status: Int(response.status.code), started: started, id: id, logger: context.logger)
        return response
    }

    private func log(_ request: Request, status: Int, started: ContinuousClock.Instant, id: String, logger: Logger) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        let path = request.uri.path
        let route = APIRoute.allCases.first { $0.method == request.method && $0.matches(path: path) }?.path ?? path
        logger.info("request", metadata: [
            "method": "\(request.method.rawValue)", "route": "\(route)", "status": "\(status)",
            "duration_ms": "\(String(format: "%.1f", milliseconds))", "request_id": "\(id)",
        ])
    }

    /// The client's id if it is 1–128 visible ASCII characters, else a new UUID.
    static func requestID(from header: String?) -> String {
        if let header, (1...128).contains(header.utf8.count), header.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) {
            return header
        }
        return UUID().uuidString.lowercased()
    }
}
