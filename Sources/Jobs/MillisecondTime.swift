import Foundation

// Stores keep every time as whole milliseconds since 1970 (SQLite: an INTEGER; PostgreSQL: a
// timestamptz, whose microseconds are then always a multiple of 1000). A `Date` is a Double, so a
// time that went through a database comes back as the nearest millisecond; rounding the times a
// store hands out in the same way, through these two functions only, is what makes a job read back
// equal (`==`) the job returned by the call that wrote it.
extension Date {
    /// Milliseconds since 1970-01-01, to the nearest one.
    var millisecondsSince1970: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    init(millisecondsSince1970 milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// The same instant to the nearest millisecond, as a store returns it.
    var roundedToMilliseconds: Date { Date(millisecondsSince1970: millisecondsSince1970) }

    /// `self + duration`, to the nearest millisecond.
    func adding(_ duration: Duration) -> Date {
        Date(millisecondsSince1970: millisecondsSince1970 + duration.wholeMilliseconds)
    }
}

extension Duration {
    /// Whole milliseconds, sub-millisecond parts dropped.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

extension RecordingJobSpec {
    /// The spec with its times to the nearest millisecond: what a store keeps, and what an
    /// idempotent retry is compared with.
    var roundedToMilliseconds: RecordingJobSpec {
        var spec = self
        spec.startAt = startAt?.roundedToMilliseconds
        spec.stopAt = stopAt?.roundedToMilliseconds
        return spec
    }
}

extension WebhookDelivery {
    var roundedToMilliseconds: WebhookDelivery {
        var delivery = self
        delivery.at = at.roundedToMilliseconds
        return delivery
    }
}
