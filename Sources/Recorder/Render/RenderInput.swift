import RTC

/// What a render replays into one participant's recorder, a packet or frame at a time in the
/// order things arrived: a connection's raw capture (`CaptureReplay`), or, for a folder without
/// one, a participant's recorded files (`RecordedFilesReplay`). `RecordingRender` interleaves a
/// recording's inputs by arrival on one timeline.
protocol RenderInput: AnyObject {
    /// The capture's or the files' names, for progress and errors.
    var label: String { get }
    /// When what is due next arrived (Unix nanoseconds); nil once replayed to the end.
    var due: Int64? { get }
    /// Packets or frames replayed so far.
    var replayed: Int { get }
    /// What `replayed` counts: "packets" (a capture) or "frames" (files).
    var unit: String { get }
    /// Of the call: from the first thing replayed to the last.
    var seconds: Double { get }
    /// When the last thing replayed arrived (Unix nanoseconds).
    var lastNanoseconds: Int64? { get }
    /// Where reading stopped before the end, if it did.
    var stoppedEarly: String? { get }

    /// Replays what is due and reads on. The first call makes the recorder
    /// (`makeRecorder(participant)`), to which every frame goes through `frames`.
    func replayNext(timeline: ReplayTimeline, makeRecorder: (String) -> ParticipantRecorder,
                    frames: @escaping (ParticipantRecorder, MediaFrame, UnsafeRawBufferPointer) -> Void)
    /// Runs what was due by `now` while the others' packets are replayed.
    func advance(to now: ContinuousClock.Instant)
    /// Stops reading: the render was interrupted.
    func interrupt()
    /// Replayed to the end (or interrupted): the recorder finishes its files.
    func finish(timeline: ReplayTimeline) -> ParticipantRecording?
    /// What the manifest says of it, with what its recorder wrote, and what went wrong.
    func report(_ recording: ParticipantRecording?) -> (report: ParticipantReport, errors: [String])
}
