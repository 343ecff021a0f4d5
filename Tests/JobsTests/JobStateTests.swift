import Foundation
import Testing

@testable import Jobs

@Suite struct JobStateTests {
    @Test func jobsMoveForwardOnly() {
        #expect(JobState.scheduled.canMove(to: .queued))
        #expect(JobState.queued.canMove(to: .joining))
        #expect(JobState.joining.canMove(to: .recording))
        #expect(JobState.recording.canMove(to: .finalizing))
        #expect(JobState.finalizing.canMove(to: .completed))
        #expect(!JobState.recording.canMove(to: .joining))
        #expect(!JobState.recording.canMove(to: .completed), "a recording is finalized before it completes")
        #expect(!JobState.queued.canMove(to: .scheduled))
    }

    @Test func aRunningJobWhoseWorkerDiedGoesBackToTheQueue() {
        for state in [JobState.joining, .recording, .finalizing] {
            #expect(state.isRunning && state.canMove(to: .queued))
        }
    }

    @Test func terminalJobsNeverChange() {
        for terminal in JobState.allCases where terminal.isTerminal {
            for next in JobState.allCases {
                #expect(!terminal.canMove(to: next), "\(terminal) → \(next)")
            }
        }
    }

    @Test func aJobReadsAsItsRequestPlusWhatHappenedSince() throws {
        let spec = RecordingJobSpec(room: "standup", signalingURL: "ws://127.0.0.1:8090/ws", recipe: "webm",
                                    stopWhenEmptySeconds: 10, metadata: ["meeting": "42"])
        let job = RecordingJob(id: "j1", state: .queued, spec: spec, cpuCost: 0.05,
                               createdAt: Date(timeIntervalSince1970: 1_800_000_000), maxAttempts: 3, idempotencyKey: nil)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(job)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["room"] as? String == "standup")
        #expect(object["signaling_url"] as? String == "ws://127.0.0.1:8090/ws")
        #expect(object["stop_when_empty_s"] as? Int == 10)
        #expect(object["state"] as? String == "queued")
        #expect(object["created_at"] as? String == "2027-01-15T08:00:00Z")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(RecordingJob.self, from: data) == job)
    }
}

@Suite struct RecordingJobJSONTests {
    @Test func timesKeepTheirMilliseconds() throws {
        let date = Date(timeIntervalSince1970: 1_800_000_000.125)
        let data = try RecordingJobJSON.encoder().encode(["at": date])
        #expect(String(decoding: data, as: UTF8.self) == #"{"at":"2027-01-15T08:00:00.125Z"}"#)
        let back = try RecordingJobJSON.decoder().decode([String: Date].self, from: data)
        #expect(abs(try #require(back["at"]).timeIntervalSince1970 - date.timeIntervalSince1970) < 0.0005)
    }

    @Test func timesAreReadWithOrWithoutFractionsAndOffsets() throws {
        #expect(RecordingJobJSON.parseTime("2027-01-15T08:00:00Z")?.timeIntervalSince1970 == 1_800_000_000)
        #expect(RecordingJobJSON.parseTime("2027-01-15T09:00:00.5+01:00")?.timeIntervalSince1970 == 1_800_000_000.5)
        #expect(RecordingJobJSON.parseTime("tomorrow") == nil)
        #expect(RecordingJobJSON.parseTime("2027-01-15") == nil)
    }
}
