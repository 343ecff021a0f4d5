import Foundation
import PostgresNIO

/// A `timestamptz` bound or read as whole milliseconds. postgres-nio's own `Date` coding truncates
/// a Double to microseconds, so a time bound twice could land a microsecond apart — enough to
/// break `(created_at, id) > cursor` and `lease_expires_at < now`. This writes and reads the
/// integer microseconds itself: a millisecond goes in and comes out exactly.
struct PostgresTimestamp: PostgresNonThrowingEncodable, PostgresDecodable, Sendable {
    var millisecondsSince1970: Int64

    init(_ date: Date) { millisecondsSince1970 = date.millisecondsSince1970 }

    var date: Date { Date(millisecondsSince1970: millisecondsSince1970) }

    static var psqlType: PostgresDataType { .timestamptz }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer,
                                                  context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeInteger((millisecondsSince1970 - Self.postgresEpochInMilliseconds) * 1000)
    }

    init<JSONDecoder: PostgresJSONDecoder>(from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat,
                                           context: PostgresDecodingContext<JSONDecoder>) throws {
        guard type == .timestamptz || type == .timestamp, format == .binary,
              buffer.readableBytes == 8, let microseconds = buffer.readInteger(as: Int64.self)
        else { throw PostgresDecodingError.Code.typeMismatch }
        // Floor division: a time written elsewhere with sub-millisecond digits reads as its millisecond.
        let (milliseconds, remainder) = microseconds.quotientAndRemainder(dividingBy: 1000)
        millisecondsSince1970 = milliseconds - (remainder < 0 ? 1 : 0) + Self.postgresEpochInMilliseconds
    }

    /// 2000-01-01T00:00:00Z, where PostgreSQL counts from.
    private static let postgresEpochInMilliseconds: Int64 = 946_684_800_000
}
