import Media
import RTC

/// A participant's segment in a room-layout recording: no files of their own; each audio
/// track is an input of the room's mix (`RoomMix`) and each video track goes to the room's
/// composite, their frames handed over with their place on the recorder's clock — the place a
/// `RecordingSegment` would give them in a file (the same origin, the same slewing when sender
/// reports move a track).
///
/// Confined to the recording's media thread, like the recorder that owns it.
final class MixSegment: ParticipantSegment {
    let number: Int
    let start: Double
    private let participant: String
    private var tracks: [SegmentTrack]
    /// Per track, its input of the mix (nil: video, for the composite).
    private var inputs: [Int?]
    private let mix: RoomMix
    private var ended = false

    /// `tracks`: the segment's audio tracks, and its video tracks when the recipe composites.
    init(number: Int, start: Double, participant: String, tracks planned: [RecordingSegment.PlannedTrack], mix: RoomMix) {
        self.number = number
        self.start = start
        self.participant = participant
        self.mix = mix
        tracks = planned.enumerated().map { index, track in
            let offset = RecordingSegment.ticks(track.origin - start, rate: SegmentTrack.ticksPerSecond(track.description))
            return SegmentTrack(key: track.key, description: track.description, sourceCodec: track.sourceCodec, transcoder: nil,
                                writer: 0, index: index, tickOffset: offset, targetTickOffset: offset)
        }
        inputs = planned.map { $0.description.kind == .audio ? mix.addInput() : nil }
        mix.join(participant, at: start)
    }

    var trackKeys: [TrackKey] { tracks.map(\.key) }

    func trackIndex(of key: TrackKey) -> Int? { tracks.firstIndex { $0.key == key } }

    func retarget(track: Int, origin: Double) {
        tracks[track].targetTickOffset = RecordingSegment.ticks(origin - start, rate: tracks[track].ticksPerSecond)
    }

    func noteDropped(_ count: Int, track: Int) {
        mix.noteDropped(count)
    }

    @discardableResult
    func write(track: Int, bytes: UnsafeRawBufferPointer, timestamp: Int64, isKeyframe: Bool) -> Bool {
        guard !ended else { return false }
        tracks[track].slew(to: timestamp)
        let ticks = timestamp + tracks[track].tickOffset
        let time = start + Double(ticks) / tracks[track].ticksPerSecond
        guard let input = inputs[track] else {
            return mix.receiveVideo(participant, codec: tracks[track].description.codec, bytes: bytes, at: time, isKeyframe: isKeyframe)
        }
        mix.receive(input, opus: bytes, at: time)
        return false
    }

    /// The segment's media is in the room's file, which the manifest lists on its own.
    func report(timing: (TrackKey) -> SenderReportTiming?) -> [RecordedFile] { [] }

    func finish(timing: (TrackKey) -> SenderReportTiming?) -> [RecordedFile] {
        end()
        return []
    }

    func abandon(timing: (TrackKey) -> SenderReportTiming?) -> [RecordedFile] {
        end()
        return []
    }

    private func end() {
        guard !ended else { return }
        ended = true
        for case let input? in inputs { mix.endInput(input) }
    }
}
