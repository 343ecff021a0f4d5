import Foundation
import Testing

@testable import Jobs

@Suite struct JobCursorTests {
    @Test func aCursorIsOpaqueURLSafeTextThatReadsBack() throws {
        var job = RecordingJob(id: "0f7e3c1a-5b2d-4e8f-9a6b-3c2d1e0f9a8b", state: .queued, spec: recordingSpec(),
                               cpuCost: 0.5, createdAt: Date(timeIntervalSince1970: 1_800_000_000.123), maxAttempts: 3,
                               idempotencyKey: nil)
        for order in JobListOrder.allCases + JobListOrder.allCases {
            let cursor = JobCursor(after: job, order: order)
            #expect(cursor.text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }, "\(cursor.text)")
            #expect(try JobCursor(parsing: cursor.text) == cursor)
            #expect(cursor.createdAt == 1_800_000_000_123 && cursor.id == job.id && cursor.order == order)
            job.id += "?>~"  // bytes that base64 encodes as + and /
        }
    }

    @Test func timesRoundToTheNearestMillisecondAndStayThere() {
        for seconds in [1_800_000_000.000_4, 1_800_000_000.000_6, 1_799_999_999.999_5, 0.001, -1.5] {
            let rounded = Date(timeIntervalSince1970: seconds).roundedToMilliseconds
            #expect(rounded.roundedToMilliseconds == rounded)
            #expect(abs(rounded.timeIntervalSince1970 - seconds) <= 0.000_5 + 1e-9)
        }
        #expect(Duration.seconds(1.5).wholeMilliseconds == 1500)
        #expect(Duration.microseconds(2_999).wholeMilliseconds == 2)
    }
}
