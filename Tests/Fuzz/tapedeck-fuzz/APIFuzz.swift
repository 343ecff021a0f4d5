import API
import Foundation
import Hummingbird
import HummingbirdCore
import Jobs

/// The body of `POST /v1/recordings`, read and validated as the API does: every refusal must be
/// a problem with a status below 500 (a client error), and what is accepted must be in range.
enum CreateRecordingFuzz {
    static let recipes = RecipeCosts(costs: ["webm": 1, "mp4": 2, "ogg": 0.25])
    /// Fixed, so that `start_at`/`stop_at` are judged the same way on every run.
    static let now = Date(timeIntervalSince1970: 1_767_225_600)

    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        do throws(APIProblem) {
            let request = try CreateRecordingRequest.parse(Data(input), recipes: recipes, now: now)
            fuzzCheck(!request.spec.room.isEmpty && request.spec.room.count <= CreateRecordingRequest.Limits.roomLength,
                      "accepted room \(request.spec.room.debugDescription)")
            fuzzCheck(request.cpuCost > 0, "accepted a recipe of cost \(request.cpuCost)")
        } catch {
            fuzzCheck((400..<500).contains(error.status.code), "refused with status \(error.status.code): \(error)")
        }
    }
}

/// The query string of `GET /v1/recordings`, split by Hummingbird as the route does, then read.
enum ListQueryFuzz {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        let query = String(decoding: input, as: UTF8.self)
        let uri = URI("/v1/recordings?" + query)
        let items = uri.queryParameters.map { (name: String($0.key), value: String($0.value)) }
        do throws(APIProblem) {
            let parsed = try RecordingListQuery.parse(items)
            fuzzCheck(RecordingListQuery.limits.contains(parsed.limit), "accepted limit \(parsed.limit)")
        } catch {
            fuzzCheck((400..<500).contains(error.status.code), "refused with status \(error.status.code): \(error)")
        }
    }
}
