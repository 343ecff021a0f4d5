import Media

/// The room's composite video, for a room recipe with video: every participant's pictures
/// decoded (`VideoTileDecoder`), drawn into their tile of one canvas (`GridLayout`,
/// `CompositeCanvas`) at a fixed frame rate, and encoded (`CompositeVideoEncoder`). The room's
/// file (`RoomMix`) writes what it encodes beside the mixed audio.
///
/// Frame n shows the room at n / fps on the recording's timeline and is made `latency` later
/// (`CompositeFrameClock`), so each participant's frames are queued, still encoded, until the
/// frame that shows their moment decodes them: memory holds compressed video, not pictures.
/// A participant's tile shows their newest picture up to that moment; one who stalls keeps
/// their last picture, one without video (yet) their name.
///
/// Times are seconds since the recording's start. Confined to the recording's media thread.
final class RoomComposite {
    struct Settings {
        var canvas: CompositeSettings
        /// `.h264` (MP4) or `.vp8` (WebM).
        var codec: MediaCodec
        var encoder: VideoTranscoder.Settings
        /// Seconds between a moment of the room and the frame that shows it (the mix's latency).
        var latency: Double
        /// Encoded frames a participant may have queued (their time not shown yet): about ten
        /// seconds of a camera. Past it the queue is let go and the decoder waits for a keyframe.
        var queuedFramesPerParticipant = 300
    }

    /// One participant's tile: their decoder and the frames waiting for their moment.
    private struct Tile {
        var decoder: VideoTileDecoder?
        var queue: [(time: Double, bytes: [UInt8], isKeyframe: Bool)] = []
        /// What the canvas shows in their area: a picture's number, or nil (nothing drawn yet,
        /// or their name: drawn once, it stays until the layout changes).
        var drawnPicture: Int?
        var nameDrawn = false
    }

    let track: TrackDescription
    private let settings: Settings
    /// Internal for tests, which read what a frame showed.
    let canvas: CompositeCanvas
    private let encoder: CompositeVideoEncoder
    private var clock: CompositeFrameClock
    private var roster = CompositeRoster()
    private var tiles: [String: Tile] = [:]
    /// The participants on the canvas now, in tile order, the one in the large tile (speaker
    /// layout), and their areas.
    private var shown: [String] = []
    private var featured: String?
    private var areas: [CanvasArea] = []
    private var undecodableOfGone = 0
    private(set) var statistics = CompositeStatistics()

    init(settings: Settings) throws(TranscoderError) {
        self.settings = settings
        let canvasSettings = settings.canvas
        canvas = try CompositeCanvas(width: canvasSettings.width, height: canvasSettings.height)
        encoder = try CompositeVideoEncoder(codec: settings.codec, width: canvasSettings.width, height: canvasSettings.height,
                                            framesPerSecond: canvasSettings.framesPerSecond, settings: settings.encoder)
        track = encoder.track
        clock = CompositeFrameClock(framesPerSecond: canvasSettings.framesPerSecond, latency: settings.latency)
    }

    /// `participant` is in the room from `time` (their first media's place): they get a tile.
    func join(_ participant: String, at time: Double) {
        roster.join(participant, at: time)
        if tiles[participant] == nil { tiles[participant] = Tile() }
    }

    /// `participant` left at `time`: their tile goes from the frame that shows that moment.
    func leave(_ participant: String, at time: Double) {
        roster.leave(participant, at: time)
    }

    /// The active speaker is `participant` from `time` on (nil: nobody): the speaker layout's large tile.
    func speak(_ participant: String?, at time: Double) {
        roster.speak(participant, at: time)
    }

    /// One encoded video frame of `participant`'s, which belongs at `time`. Returns whether the
    /// sender should be asked for a keyframe (their decoder waits for one).
    func receive(_ participant: String, codec: MediaCodec, bytes: UnsafeRawBufferPointer, at time: Double,
                 isKeyframe: Bool) throws(TranscoderError) -> Bool {
        var tile = tiles.removeValue(forKey: participant) ?? Tile()
        defer { tiles[participant] = tile }
        if tile.decoder?.codec != codec {
            if let old = tile.decoder { undecodableOfGone += old.framesUndecodable }
            tile.decoder = try VideoTileDecoder(codec: codec)
            tile.queue.removeAll()
            statistics.videoTracks += 1
            statistics.videoCodecs[codec.rawValue, default: 0] += 1
        }
        if tile.queue.count >= settings.queuedFramesPerParticipant {
            statistics.framesOverflowed += tile.queue.count
            tile.queue.removeAll()
            tile.decoder?.waitForKeyframe()
        }
        tile.queue.append((time, Array(bytes), isKeyframe))
        // The decoder waits for a keyframe and none is on its way (frames are decoded only when
        // their moment is shown, so a keyframe may be queued already).
        return tile.decoder?.needsKeyframe == true && !tile.queue.contains { $0.isKeyframe }
    }

    /// Makes and encodes the frames due at `now` (the latency after their moment). `catchingUp`:
    /// the file just opened, and the frames before are of an empty room: none is dropped.
    func advance(now: Double, catchingUp: Bool = false, write: (TranscodedFrame) -> Void) throws(TranscoderError) {
        for index in clock.due(now: now, mayDrop: !catchingUp) { try make(index, write: write) }
        statistics.framesDropped = clock.dropped
    }

    /// Makes the frames up to `end` whatever the latency, and drains the encoder: the recording is over.
    func finish(at end: Double, write: (TranscodedFrame) -> Void) throws(TranscoderError) {
        for index in clock.drain(to: end) { try make(index, write: write) }
        for frame in try encoder.flush() { write(frame) }
    }

    /// The undecodable frames of every decoder so far.
    var report: CompositeStatistics {
        var statistics = self.statistics
        statistics.framesUndecodable = undecodableOfGone + tiles.values.reduce(0) { $0 + ($1.decoder?.framesUndecodable ?? 0) }
        return statistics
    }

    private func make(_ index: Int, write: (TranscodedFrame) -> Void) throws(TranscoderError) {
        let time = clock.time(of: index)
        decodeQueued(upTo: time)
        try canvas.prepareForDrawing()
        let present = roster.present(at: time)
        let speaker = self.speaker(among: present, at: time)
        let relaid = present != shown || speaker != featured
        if relaid {
            if !shown.isEmpty || !present.isEmpty { statistics.layoutChanges += 1 }
            shown = present
            featured = speaker
            switch settings.canvas.layout {
            case .grid:
                areas = GridLayout.areas(count: present.count, width: canvas.width, height: canvas.height)
            case .speaker:
                areas = SpeakerLayout.areas(count: present.count, speaker: speaker.flatMap(present.firstIndex(of:)) ?? 0,
                                            width: canvas.width, height: canvas.height)
            }
            canvas.clear()
        }
        for (participant, area) in zip(shown, areas) {
            guard var tile = tiles[participant] else { continue }
            if relaid {
                tile.drawnPicture = nil
                tile.nameDrawn = false
            }
            if let decoder = tile.decoder, decoder.hasPicture {
                if tile.drawnPicture != decoder.pictureNumber {
                    try canvas.draw(decoder, in: area, paintBars: tile.drawnPicture == nil)
                    tile.drawnPicture = decoder.pictureNumber
                }
            } else if !tile.nameDrawn {
                canvas.drawName(participant, in: area)
                tile.nameDrawn = true
            }
            tiles[participant] = tile
        }
        let pts = Int64(index) * Int64(TimeBase.rtpVideo.denominator) / Int64(clock.framesPerSecond)
        for frame in try encoder.encode(canvas, pts: pts) { write(frame) }
        statistics.framesMade += 1
        forgetGone(at: time)
    }

    /// Who has the large tile of the speaker layout: the active speaker; while nobody on the
    /// canvas speaks, whoever had it (the last speaker stays up), at first the first to arrive.
    private func speaker(among present: [String], at time: Double) -> String? {
        guard settings.canvas.layout == .speaker else { return nil }
        if let speaking = roster.speaker(at: time), present.contains(speaking) { return speaking }
        if let featured, present.contains(featured) { return featured }
        return present.first
    }

    /// Decodes every participant's queued frames whose moment has come (late ones too: a
    /// picture is still the reference for the next).
    private func decodeQueued(upTo time: Double) {
        for participant in Array(tiles.keys) {
            guard var tile = tiles[participant], let decoder = tile.decoder, let first = tile.queue.first, first.time <= time else { continue }
            let due = tile.queue.prefix { $0.time <= time }.count
            for frame in tile.queue.prefix(due) {
                frame.bytes.withUnsafeBytes { decoder.decode($0, isKeyframe: frame.isKeyframe) }
            }
            tile.queue.removeFirst(due)
            tiles[participant] = tile
        }
    }

    /// Lets go of the tiles of participants who left before `time` and are not coming back.
    private func forgetGone(at time: Double) {
        roster.forget(before: time)
        for participant in Array(tiles.keys) where !roster.stays(participant, after: time) && !shown.contains(participant) {
            undecodableOfGone += tiles[participant]?.decoder?.framesUndecodable ?? 0
            tiles[participant] = nil
        }
    }
}
