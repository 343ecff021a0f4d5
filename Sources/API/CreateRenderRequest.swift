import Foundation
import JSON
import Jobs

/// The body of `POST /v1/recordings/{id}/renders`, validated: the recipe to make the recording
/// again with, and where the render's files and events go. Strict like a recording request.
public struct CreateRenderRequest: Sendable, Equatable {
    public var recipe: String
    public var webhookURL: String?
    public var metadata: [String: String]
    public var storage: String?
    public var keepLocal: Bool?

    /// The body's keys, as the OpenAPI document's `RenderRequest` lists them.
    public static let fields = ["recipe", "webhook_url", "metadata", "storage", "keep_local"]

    /// A render runs as fast as the CPU allows: it takes a whole core while it runs, whatever
    /// the recipe costs live.
    public static let cpuCost = 1.0

    public static func parse(_ body: Data, recipes: RecipeCosts,
                             urlPolicy: OutboundURLPolicy = .standard) throws(APIProblem) -> CreateRenderRequest {
        let object = try JSONObjectBody.read(body)
        try CreateRecordingRequest.refuseUnknownKeys(object, fields: fields, of: "a render request")
        let fields = JSONFields(object: object)
        let recipe = try fields.requiredString("recipe")
        guard recipes.cost(of: recipe) != nil else { throw .unknownRecipe(recipe, known: recipes.names) }
        let webhookURL = try fields.url("webhook_url", schemes: ["http", "https"], maxLength: CreateRecordingRequest.Limits.urlBytes)
        if let webhookURL { try CreateRecordingRequest.checkHost(of: webhookURL, field: "webhook_url", policy: urlPolicy) }
        return CreateRenderRequest(recipe: recipe, webhookURL: webhookURL,
                                   metadata: try CreateRecordingRequest.metadata(fields.value("metadata")),
                                   storage: try CreateRecordingRequest.storage(fields.string("storage")),
                                   keepLocal: try fields.bool("keep_local"))
    }

    /// The render job's spec: the source's room (so a listing by room shows it), its recipe,
    /// and where its outputs and events go.
    public func spec(renderOf source: RecordingJob) -> RecordingJobSpec {
        RecordingJobSpec(room: source.spec.room, signalingURL: source.spec.signalingURL, recipe: recipe, webhookURL: webhookURL,
                         metadata: metadata, storage: storage, keepLocal: keepLocal, renderOf: source.id)
    }
}
