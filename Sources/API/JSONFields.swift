import Foundation
import JSON

/// Reads typed fields out of a request's JSON object, turning each wrong one into a 422 problem
/// that names the field. A field set to `null` reads as absent.
struct JSONFields {
    let object: [String: JSONValue]

    func value(_ key: String) -> JSONValue? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws(APIProblem) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else {
            throw .invalidField(key, "\(key) must be a string, not \(value.kind)")
        }
        return text
    }

    func requiredString(_ key: String) throws(APIProblem) -> String {
        guard let text = try string(key) else { throw .missingField(key) }
        return text
    }

    func bool(_ key: String) throws(APIProblem) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else {
            throw .invalidField(key, "\(key) must be true or false, not \(value.kind)")
        }
        return flag
    }

    /// A whole number in `range`; `30.0` counts as whole, `30.5` and `"30"` do not.
    func integer(_ key: String, in range: ClosedRange<Int>) throws(APIProblem) -> Int? {
        guard let value = value(key) else { return nil }
        let integer: Int
        switch value {
        case .integer(let number): integer = number
        case .number(let number) where number.rounded() == number && abs(number) < 1e15: integer = Int(number)
        case .number: throw .invalidField(key, "\(key) must be a whole number of seconds")
        default: throw .invalidField(key, "\(key) must be a number, not \(value.kind)")
        }
        guard range.contains(integer) else {
            throw .invalidField(key, "\(key) must be between \(range.lowerBound) and \(range.upperBound); it is \(integer)")
        }
        return integer
    }

    /// An RFC 3339 date-time with a time zone, with or without fractional seconds; kept to the
    /// millisecond.
    func date(_ key: String) throws(APIProblem) -> Date? {
        guard let text = try string(key) else { return nil }
        guard let date = RFC3339.date(from: text) else {
            throw .invalidField(key, "\(key) must be an RFC 3339 date-time with a time zone, such as 2026-05-04T09:30:00Z; it is \"\(text)\"")
        }
        return date.wholeMilliseconds
    }

    /// A URL of one of `schemes` that names a host.
    func url(_ key: String, schemes: [String], maxLength: Int) throws(APIProblem) -> String? {
        guard let text = try string(key) else { return nil }
        let expected = schemes.map { "\($0)://" }.joined(separator: " or ")
        guard text.utf8.count <= maxLength else {
            throw .invalidField(key, "\(key) must be at most \(maxLength) bytes long")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              schemes.contains(scheme)
        else {
            throw .invalidField(key, "\(key) must be a \(expected) URL; it is \"\(text)\"")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidField(key, "\(key) must name a host: \"\(text)\" has none")
        }
        return text
    }
}
