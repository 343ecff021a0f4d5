import Media
import RTC

/// The room's mixed audio, one file for the whole recording (a recipe of layout `room`): every
/// participant's Opus decoded, placed on the room's timeline exactly where their own files
/// would put it (their segments hand each frame over with its place, `MixSegment`), summed by
/// `AudioMixer`, encoded again (`MixedAudioEncoder`: Opus or AAC) and written like any other
/// file (`.NAME.partial` until finished, flushed every second). For a recipe with video the
/// same file holds the room's composite (`RoomComposite`), made on the same timeline with the
/// same latency, so the two are in sync by construction.
///
/// The file's time zero is the recording's start, so it lasts as long as the recording and a
/// time in it is a time in the manifest and in `speakers.vtt`. It is opened with the first
/// audio to mix, from silence up to then.
///
/// Confined to the recording's media thread: decoding, mixing, encoding and writing all happen
/// there, never on the I/O event loops.
final class RoomMix {
    struct Settings: Sendable {
        /// How long after its time a moment of the room is mixed: what a participant's audio
        /// may lag and still be in it. Their first frames wait for the lip-sync hold
        /// (`ParticipantRecorder.Waits.mixed`), later ones for the jitter buffer (up to 1 s
        /// when the sender retransmits).
        var latency: Duration = .milliseconds(1_500)
        /// How far ahead of the mix a participant's audio may be held.
        var horizon: Duration = .seconds(4)
        var bitrateKbps = 96
        /// How often the file is flushed (an MP4 fragment, an Ogg page): what a killed recorder
        /// loses beyond the latency. Shorter than a participant's file's second, because the
        /// room's file already trails real time by the latency; a quarter-second MP4 fragment
        /// costs about 13 kbit/s of boxes.
        var flushInterval: Duration = .milliseconds(250)
    }

    /// Where the mix lives on disk and what it is made of.
    struct Output {
        var directory: String
        var container: MediaContainer
        var codec: MediaCodec
        /// Claims the file's name (relative to `directory`) when it opens.
        var name: @Sendable (_ start: Double) throws -> String
    }

    /// The recorder's wall clock (Unix seconds) at the mix's time zero: the recording's start.
    let start: Double
    private let output: Output
    private let settings: Settings
    private let gate: RecordingWriteGate
    private var mixer: AudioMixer
    /// The composite video, for a room recipe with video (nil: audio only, or it failed).
    private var composite: RoomComposite?
    private var decoders: [Int: OpusPCMDecoder] = [:]
    private var nextInput = 0
    private var encoder: MixedAudioEncoder?
    private var writer: MediaFileWriter?
    private var file: RecordedFile?
    private var framesDroppedWriterBehind = 0
    private var packetsUndecodable = 0
    private var closed = false
    /// The composite's statistics when it stopped after a failure.
    private var compositeStatistics: CompositeStatistics?
    private(set) var errors: [String] = []

    init(start: Double, output: Output, settings: Settings = Settings(), gate: RecordingWriteGate = RecordingWriteGate(),
         composite: RoomComposite? = nil) {
        self.start = start
        self.output = output
        self.settings = settings
        self.gate = gate
        self.composite = composite
        mixer = AudioMixer(latency: Self.samples(settings.latency), horizon: Self.samples(settings.horizon))
    }

    /// The room's mix a recipe of layout `room` asks for (nil for any other): its file named
    /// like the recording's others (claimed once, so a later run of the same job gets the next
    /// name), Opus or AAC as the recipe says, with the composite when the recipe has video.
    static func forRecipe(_ format: Recipe, start: Double, directory: String, names: RecordingFileNames,
                          gate: RecordingWriteGate) -> RoomMix? {
        guard format.layout == .room else { return nil }
        let output = Output(directory: directory, container: format.container, codec: format.audio == .aac ? .aac : .opus) { start in
            try names.name(SegmentFileName(participant: "", segment: 1, kind: nil, track: nil, start: start,
                                           fileExtension: format.fileExtension))
        }
        let settings = Settings()
        guard let canvas = format.composite else { return RoomMix(start: start, output: output, settings: settings, gate: gate) }
        do {
            let composite = try RoomComposite(settings: .init(canvas: canvas, codec: format.video == .vp8 ? .vp8 : .h264,
                                                              encoder: format.compositeEncoderSettings, latency: settings.latency.seconds))
            return RoomMix(start: start, output: output, settings: settings, gate: gate, composite: composite)
        } catch {
            // The file still has the room's audio.
            let mix = RoomMix(start: start, output: output, settings: settings, gate: gate)
            mix.note("cannot set up the composite: \(error)")
            return mix
        }
    }

    private static func samples(_ duration: Duration) -> Int64 {
        Int64((duration.seconds * Double(AudioMixer.sampleRate)).rounded())
    }

    /// A new input: one audio track of one participant's segment. Returns its number.
    func addInput() -> Int {
        nextInput += 1
        return nextInput
    }

    /// One Opus packet of `input`, whose first sample belongs at `time` (the recorder's wall clock).
    func receive(_ input: Int, opus packet: UnsafeRawBufferPointer, at time: Double) {
        guard !closed else { return }
        guard openIfNeeded(at: time) else { return }
        let decoder: OpusPCMDecoder
        if let existing = decoders[input] {
            decoder = existing
        } else {
            do {
                decoder = try OpusPCMDecoder()
            } catch {
                note("cannot decode a participant's audio: \(error)")
                return
            }
            decoders[input] = decoder
        }
        let position = Int64(((time - start) * Double(AudioMixer.sampleRate)).rounded())
        if !decoder.decode(packet, { mixer.add(input, samples: $0, at: position) }) { packetsUndecodable += 1 }
    }

    /// `participant`'s first media belongs at `time` (the recorder's wall clock): the composite
    /// gives them a tile from then on.
    func join(_ participant: String, at time: Double) {
        composite?.join(participant, at: time - start)
    }

    /// `participant` left at `time` (the recorder's wall clock): their tile goes.
    func leave(_ participant: String, at time: Double) {
        composite?.leave(participant, at: time - start)
    }

    /// The active speaker is `participant` (nil: nobody) from `time` (the recorder's wall clock).
    func feature(_ participant: String?, at time: Double) {
        composite?.speak(participant, at: time - start)
    }

    /// One encoded video frame of `participant`'s, which belongs at `time` (the recorder's wall
    /// clock), for the composite. Returns whether the sender should be asked for a keyframe.
    func receiveVideo(_ participant: String, codec: MediaCodec, bytes: UnsafeRawBufferPointer, at time: Double, isKeyframe: Bool) -> Bool {
        guard !closed, composite != nil, openIfNeeded(at: time), let composite else { return false }
        do {
            return try composite.receive(participant, codec: codec, bytes: bytes, at: time - start, isKeyframe: isKeyframe)
        } catch {
            note("cannot decode \(participant)'s video: \(error)")
            return false
        }
    }

    /// The input gives no more audio; what it gave is still mixed.
    func endInput(_ input: Int) {
        decoders[input] = nil
        mixer.end(input)
    }

    /// Frames of a participant's audio dropped before the media thread (it was behind).
    func noteDropped(_ count: Int) {
        framesDroppedWriterBehind += count
    }

    /// Mixes and writes what is due by `now` (the recorder's wall clock): everything at least
    /// the latency old, whoever has not sent it.
    func advance(to now: Double) {
        guard !closed, writer != nil else { return }
        guard gate.isOpen else {
            abandon()
            return
        }
        mixer.mix(now: position(of: now)) { samples, _ in write(samples) }
        advanceComposite(to: now)
    }

    /// Makes the composite's frames due by `now` (the recorder's wall clock).
    private func advanceComposite(to now: Double, catchingUp: Bool = false) {
        guard let composite else { return }
        do {
            try composite.advance(now: now - start, catchingUp: catchingUp) { writeEncoded($0, track: Self.videoTrack) }
        } catch {
            stopComposite(error)
        }
    }

    /// The composite failed: the file goes on with the audio alone.
    private func stopComposite(_ error: TranscoderError) {
        note("cannot make the composite: \(error)")
        compositeStatistics = composite?.report
        composite = nil
    }

    /// Mixes everything up to `end` (the recorder's wall clock), finishes the file and renames it.
    func finish(at end: Double) {
        guard !closed else { return }
        guard gate.isOpen else {
            abandon()
            return
        }
        closed = true
        guard let writer, let encoder else { return }
        mixer.drain(to: position(of: end)) { samples, _ in write(samples) }
        do {
            for frame in try encoder.flush() { writeEncoded(frame) }
        } catch {
            note("cannot encode the mix: \(error)")
        }
        do {
            try composite?.finish(at: end - start) { writeEncoded($0, track: Self.videoTrack) }
        } catch {
            stopComposite(error)
        }
        guard self.writer != nil else { return }
        do {
            try writer.finish()
            file?.complete = true
        } catch {
            file?.error = "\(error)"
        }
        file?.tracks = trackReports(writer)
        self.writer = nil
    }

    /// Closes the file as it is, under its temporary name: the recording may no longer write its folder.
    func abandon() {
        closed = true
        guard let writer else { return }
        writer.abandon()
        file?.error = "abandoned as it was: the recording may no longer write its folder"
        file?.tracks = trackReports(writer)
        self.writer = nil
    }

    /// The mix as it stands, for the manifest.
    var report: RoomMixReport {
        var current = file
        if let writer { current?.tracks = trackReports(writer) }
        let statistics = mixer.statistics
        let rate = Double(AudioMixer.sampleRate)
        return RoomMixReport(file: current, composite: composite?.report ?? compositeStatistics,
                             participantTracksHeard: statistics.inputsHeard,
                             lateSeconds: Double(statistics.lateSamples) / rate,
                             beyondHorizonSeconds: Double(statistics.samplesBeyondHorizon) / rate,
                             limitedSeconds: Double(statistics.framesLimited * AudioMixer.frameSamples) / rate,
                             clippedSamples: statistics.clippedSamples, packetsUndecodable: packetsUndecodable,
                             framesDroppedWriterBehind: framesDroppedWriterBehind, errors: errors)
    }

    private func position(of time: Double) -> Int64 {
        Int64(((time - start) * Double(AudioMixer.sampleRate)).rounded(.down))
    }

    /// Opens the encoder and the file at the first audio, which belongs at `time` (about now),
    /// and writes the silence from the recording's start up to the latency before it: the mix
    /// is then where its clock says, ready for that audio. False when they cannot be opened.
    private func openIfNeeded(at time: Double) -> Bool {
        if writer != nil { return true }
        guard file == nil, gate.isOpen else { return false }
        do {
            let encoder = try MixedAudioEncoder(codec: output.codec, bitrateKbps: settings.bitrateKbps)
            let path = try output.name(start)
            let tracks = [encoder.track] + (composite.map { [$0.track] } ?? [])
            let writer = try MediaFileWriter(path: output.directory + "/" + path, container: output.container, tracks: tracks,
                                             options: MediaFileWriter.Options(flushInterval: settings.flushInterval))
            self.encoder = encoder
            self.writer = writer
            file = RecordedFile(path: path, container: output.container, tracks: [], complete: false,
                                temporaryPath: String(writer.temporaryPath.dropFirst(output.directory.count + 1)))
            mixer.mix(now: position(of: time)) { samples, _ in write(samples) }
            advanceComposite(to: time, catchingUp: true)
            return self.writer != nil
        } catch {
            note("cannot open the mix: \(error)")
            closed = true
            return false
        }
    }

    private func write(_ samples: UnsafeBufferPointer<Float>) {
        guard let encoder else { return }
        do {
            for frame in try encoder.encode(samples) { writeEncoded(frame) }
        } catch {
            note("cannot encode the mix: \(error)")
            abandonAfterFailure()
        }
    }

    /// Writes one encoded frame of the mix (track 0) or the composite (`videoTrack`).
    private func writeEncoded(_ frame: TranscodedFrame, track: Int = 0) {
        guard let writer else { return }
        do {
            try writer.write(track: track, data: frame.data, pts: frame.pts, isKeyframe: frame.isKeyframe, duration: frame.duration)
        } catch {
            // A full disk: the file keeps what it had (cut back to its last whole page or fragment).
            file?.error = "\(error)"
            file?.tracks = trackReports(writer)
            self.writer = nil
            closed = true
        }
    }

    private func abandonAfterFailure() {
        guard let writer else { return }
        writer.abandon()
        file?.tracks = trackReports(writer)
        self.writer = nil
        closed = true
    }

    private func trackReports(_ writer: MediaFileWriter) -> [RecordedTrack] {
        writer.recordedTracks(framesDroppedWriterBehind: framesDroppedWriterBehind)
    }

    /// The composite's track in the file, after the mix's.
    private static let videoTrack = 1

    private func note(_ error: String) {
        if !errors.contains(error) { errors.append(error) }
    }
}
