import Foundation

/// The JSON a store keeps in a column: outputs, statistics, webhook deliveries, metadata (the
/// API's is `RecordingJobJSON`). Times are whole milliseconds since 1970 (an integer), so they
/// come back exactly as `MillisecondTime` rounds them; keys are sorted so equal values are equal text.
enum JobColumnJSON {
    static func encode(_ value: some Encodable) throws(JobStoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.millisecondsSince1970)
        }
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw .database("cannot encode \(type(of: value)) as JSON: \(error)")
        }
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from text: String, column: String) throws(JobStoreError) -> Value {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            Date(millisecondsSince1970: try decoder.singleValueContainer().decode(Int64.self))
        }
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw .database("column \(column) does not hold a valid \(type): \(error)")
        }
    }
}
