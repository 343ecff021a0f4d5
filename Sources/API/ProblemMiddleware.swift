import HTTPTypes
import Hummingbird

/// Turns Hummingbird's own errors into problem+json: no route (404), a route that does not take
/// this method (405, with `Allow`, which the router itself reports as 404), and any other
/// `HTTPError` thrown below it.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.uri.path
            let allowed = APIRoute.allCases.filter { $0.matches(path: path) }.map(\.method)
            guard allowed.isEmpty else { throw APIProblem.methodNotAllowed(request.method, path: path, allowed: allowed) }
            throw APIProblem.routeNotFound(path)
        } catch let error as HTTPError {
            let title = error.status.reasonPhrase
            throw APIProblem(status: error.status, slug: "http-\(error.status.code)", title: title,
                             detail: error.body ?? title, headers: error.headers)
        }
    }
}
