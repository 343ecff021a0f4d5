import Foundation
import Hummingbird
import Jobs
import Logging
import NIOCore

/// Tapedeck's REST API: recordings (`/v1/recordings…`) over a `JobStore`, the probes
/// (`/healthz`, `/readyz`), `/metrics` and the OpenAPI document. `APIRoute` lists the routes.
///
/// It decides nothing about running jobs: it validates requests, asks the store, and says what
/// happened. Whoever runs it supplies the recipes, the clock, readiness and the metrics text.
public struct RecordingsAPI: Sendable {
    public let store: any JobStore
    public let recipes: RecipeCosts
    /// nil: no authentication.
    public let token: BearerToken?
    /// How many times a worker may take a new job (`RecordingJob.maxAttempts`).
    public let maxAttempts: Int
    /// Where recordings' files are, for the files routes and purging; nil: none are served.
    public let files: RecordingFileAccess?
    /// Which hosts a job's `signaling_url` and `webhook_url` may name.
    public let urlPolicy: OutboundURLPolicy
    let clock: @Sendable () -> Date
    let readiness: @Sendable () async throws -> Void
    let metricsText: @Sendable () async -> String

    /// The largest request body read, in bytes.
    public static let maxBodyBytes = 64 * 1024

    /// - Parameters:
    ///   - bearerToken: `TAPEDECK_API_TOKEN`; when set (and not empty), every `/v1` route and
    ///     `/metrics` require `Authorization: Bearer <token>`.
    ///   - now: the wall clock; tests pass their own.
    ///   - readiness: throws, saying why, while the server should not be sent traffic (`/readyz` 503).
    ///   - metricsText: the Prometheus text exposition served at `/metrics`.
    ///   - files: the data directory and the delivered copies, for the files routes and purging.
    public init(store: any JobStore, recipes: RecipeCosts, bearerToken: String?, maxAttempts: Int = 3,
                files: RecordingFileAccess? = nil, urlPolicy: OutboundURLPolicy = .standard,
                now: @escaping @Sendable () -> Date = { Date() },
                readiness: @escaping @Sendable () async throws -> Void,
                metricsText: @escaping @Sendable () async -> String) {
        self.store = store
        self.recipes = recipes
        self.token = bearerToken.flatMap(BearerToken.init)
        self.maxAttempts = maxAttempts
        self.files = files
        self.urlPolicy = urlPolicy
        self.clock = now
        self.readiness = readiness
        self.metricsText = metricsText
    }

    /// A router serving the API, where unknown paths and wrong methods are problem+json too.
    /// Routes added to it afterwards get the same treatment of Hummingbird's `HTTPError`s.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: ProblemMiddleware())
        addRoutes(to: router)
        return router
    }

    /// Adds every `APIRoute` to `router`. Their errors are problem+json whatever the router's
    /// middleware.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        for route in APIRoute.allCases {
            router.on(RouterPath(route.routerPath), method: route.method) { request, context in
                try await respond(to: route, request, context)
            }
        }
    }

    /// The clock, to the millisecond (see `Date.wholeMilliseconds`).
    func now() -> Date { clock().wholeMilliseconds }

    private func respond(to route: APIRoute, _ request: Request, _ context: some RequestContext) async throws -> Response {
        do {
            if route.requiresToken, let token {
                try token.accepts(authorization: request.headers[.authorization])
            }
            switch route {
            case .createRecording: return try await createRecording(request)
            case .listRecordings: return try await listRecordings(request)
            case .getRecording: return try await getRecording(context.parameters.require("id"))
            case .stopRecording: return try await stopRecording(context.parameters.require("id"))
            case .createRender: return try await createRender(context.parameters.require("id"), request)
            case .cancelRecording: return try await deleteRecording(context.parameters.require("id"), request)
            case .getRecordingManifest: return try await getManifest(context.parameters.require("id"), request, context)
            case .getRecordingFile, .headRecordingFile: return try await getFile(context.parameters.require("id"), request, context)
            case .health: return try APIResponse.json(["status": "ok"])
            case .readiness: return try await checkReadiness(context.logger)
            case .metrics: return APIResponse.text(await metricsText(), contentType: "text/plain; version=0.0.4; charset=utf-8")
            case .openAPIDocument: return APIResponse.text(OpenAPIDocument.yaml, contentType: "application/yaml")
            }
        } catch let problem as APIProblem {
            throw problem
        } catch let error as JobStoreError {
            let problem = APIProblem(error)
            if problem.status.code >= 500 { context.logger.error("\(request.method) \(request.uri.path): \(error)") }
            throw problem
        } catch is NIOTooManyBytesError {
            throw APIProblem.bodyTooLarge(limit: Self.maxBodyBytes)
        } catch let error as JobFilesPurgeError {
            context.logger.error("\(request.method) \(request.uri.path): \(error)")
            throw APIProblem.purgeFailed("\(error)")
        } catch {
            context.logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            throw APIProblem.internalError()
        }
    }

    private func checkReadiness(_ logger: Logger) async throws -> Response {
        do {
            try await readiness()
        } catch {
            // The reason goes to the log, not to whoever asked: the probe is unauthenticated,
            // and database errors name hosts, users and paths.
            logger.warning("not ready: \(error)")
            throw APIProblem.notReady("the service cannot reach its job database; its log says why")
        }
        return try APIResponse.json(["status": "ready"])
    }
}
