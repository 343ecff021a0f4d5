/// Any JSON value, as the request body was written. The body is read into this first, rather
/// than decoded straight into a model, so that unknown keys can be refused by name and each
/// field's wrong type reported in the API's own words rather than in `DecodingError`'s.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    /// A number with no fraction that fits in an `Int`.
    case integer(Int)
    /// Any other number.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // The order matters: JSONDecoder reads `1` as a Double too, but never `true` as a number
        // nor `1.5` as an Int.
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// How a message names this value's type: "a string", "a number".
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
