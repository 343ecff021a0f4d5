import Foundation
import JSON

/// A request body that must be one JSON object. Anything else — nothing, invalid JSON, an array —
/// is a malformed request (400), refused before any field is looked at.
enum JSONObjectBody {
    static func read(_ bytes: Data) throws(APIProblem) -> [String: JSONValue] {
        guard !bytes.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) else {
            throw .malformedJSON("the request body is empty; send a JSON object")
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: bytes)
        } catch {
            throw .malformedJSON("the request body is not valid JSON: \(syntaxError(in: bytes))")
        }
        guard case .object(let object) = value else {
            throw .malformedJSON("the request body is \(value.kind), not a JSON object")
        }
        return object
    }

    /// Where the JSON goes wrong. JSONDecoder only says that it does; JSONSerialization, reading
    /// the same bytes again, says where ("Invalid value around character 12.").
    private static func syntaxError(in bytes: Data) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: bytes, options: .fragmentsAllowed)
        } catch {
            if let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String { return reason }
        }
        return "it cannot be parsed"
    }
}
