import Jobs

enum JobOutputFixture {
    static func output(_ path: String, bytes: Int, finished: Bool) -> JobOutput {
        JobOutput(path: path, participant: "speaker", segment: 1, bytes: bytes, finished: finished, durationSeconds: nil)
    }
}
