import Foundation
import Testing

@testable import API

@Suite struct RFC3339Tests {
    let epoch2026 = Date(timeIntervalSince1970: 1_777_887_000)  // 2026-05-04T09:30:00Z

    @Test func readsUTCOffsetsAndFractions() throws {
        #expect(RFC3339.date(from: "2026-05-04T09:30:00Z") == epoch2026)
        #expect(RFC3339.date(from: "2026-05-04t09:30:00z") == epoch2026)
        #expect(RFC3339.date(from: "2026-05-04T11:30:00+02:00") == epoch2026)
        #expect(RFC3339.date(from: "2026-05-04T04:00:00-05:30") == epoch2026)
        #expect(RFC3339.date(from: "2026-05-04T09:30:00.250Z") == epoch2026.addingTimeInterval(0.25))
        #expect(RFC3339.date(from: "2026-05-04T09:30:00.5+00:00") == epoch2026.addingTimeInterval(0.5))
        let nanos = try #require(RFC3339.date(from: "2026-05-04T09:30:00.123456789Z"))
        #expect(abs(nanos.timeIntervalSince(epoch2026) - 0.123456789) < 1e-6)
        #expect(RFC3339.date(from: "1970-01-01T00:00:00Z") == Date(timeIntervalSince1970: 0))
        #expect(RFC3339.date(from: "1969-12-31T23:59:59Z") == Date(timeIntervalSince1970: -1))
        #expect(RFC3339.date(from: "2024-02-29T00:00:00Z") == Date(timeIntervalSince1970: 1_709_164_800))
    }

    @Test(arguments: [
        "", "2026-05-04", "2026-05-04T09:30:00", "2026-05-04 09:30:00Z", "2026-05-04T09:30Z", "2026-5-4T09:30:00Z",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-04-31T00:00:00Z", "2025-02-29T00:00:00Z",
        "2026-05-04T24:00:00Z", "2026-05-04T09:60:00Z", "2026-05-04T09:30:60Z", "2026-05-04T09:30:00.Z",
        "2026-05-04T09:30:00.1234567890Z", "2026-05-04T09:30:00+0200", "2026-05-04T09:30:00+24:00",
        "2026-05-04T09:30:00Zjunk", " 2026-05-04T09:30:00Z", "tomorrow", "１９７０-01-01T00:00:00Z",
    ])
    func refusesWhatIsNotADateTime(_ text: String) {
        #expect(RFC3339.date(from: text) == nil, "\(text)")
    }

    @Test func writesUTCWithMilliseconds() {
        #expect(RFC3339.string(from: epoch2026) == "2026-05-04T09:30:00.000Z")
        #expect(RFC3339.string(from: epoch2026.addingTimeInterval(0.2509)) == "2026-05-04T09:30:00.250Z")
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: 1_709_164_800)) == "2024-02-29T00:00:00.000Z")
        // A millisecond that Double cannot hold exactly still reads as itself.
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: 1_777_887_000.123)) == "2026-05-04T09:30:00.123Z")
    }

    @Test func readsBackWhatItWrites() {
        // Until about 2240, when a Double's seconds since 1970 stop holding microseconds.
        for seconds in stride(from: -86_400.0 * 400, through: 86_400.0 * 365 * 270, by: 86_400.0 * 37.3 + 0.017) {
            let date = Date(timeIntervalSince1970: seconds)
            let text = RFC3339.string(from: date)
            #expect(RFC3339.string(from: RFC3339.date(from: text)!) == text)
        }
    }
}
