import Foundation

extension Date {
    /// This moment to the millisecond, as jobs' JSON writes it and the stores keep it (SQLite to
    /// the millisecond, PostgreSQL to the microsecond). A job's times are cut to it before they
    /// are stored, so a job reads the same when created and when read back, and a retried
    /// request's start_at equals the stored one.
    var wholeMilliseconds: Date {
        // To the microsecond first: a Double holds .123 s as .12299…, which is still .123.
        let microseconds = (timeIntervalSince1970 * 1_000_000).rounded()
        return Date(timeIntervalSince1970: (microseconds / 1000).rounded(.down) / 1000)
    }
}
