import Foundation

/// The instant a request is signed, in the two forms SigV4 uses: `20150830T123600Z` for
/// `x-amz-date` and `20150830` for the credential scope. Always UTC.
struct SigV4Timestamp: Sendable, Equatable {
    let dateTime: String
    var date: Substring { dateTime.prefix(8) }

    init(_ instant: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
        func two(_ value: Int?) -> String { let v = value ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        dateTime = "\(parts.year ?? 1970)\(two(parts.month))\(two(parts.day))T"
            + "\(two(parts.hour))\(two(parts.minute))\(two(parts.second))Z"
    }
}
