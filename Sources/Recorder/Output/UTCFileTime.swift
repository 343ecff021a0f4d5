import Foundation

/// `{time}` in a file name: ISO 8601 basic format in UTC, e.g. `20261121T201500Z` — sortable,
/// and free of the `:` that some filesystems and tools reject.
enum UTCFileTime {
    private static let style = Date.ISO8601FormatStyle(
        dateSeparator: .omitted, dateTimeSeparator: .standard, timeSeparator: .omitted, timeZone: .gmt)

    static func string(from date: Date) -> String {
        date.formatted(style)
    }
}
