@testable import Media
@testable import Recorder
import Testing

/// The compositor on synthetic video: participants' solid-colour streams, encoded as a sender
/// would (VP8 by libvpx, H.264 by libx264 with its parameter sets in the keyframe), decoded,
/// scaled into their tiles and encoded again. What a tile shows is read off the canvas.
@Suite("Room composite")
struct RoomCompositeTests {
    static let red = PlanarPicture.Colour(red: 1, green: 0, blue: 0)
    static let blue = PlanarPicture.Colour(red: 0, green: 0, blue: 1)
    static let green = PlanarPicture.Colour(red: 0, green: 1, blue: 0)

    /// `count` frames of one colour at 10 fps, as a sender encodes them.
    static func stream(_ codec: MediaCodec, _ colour: PlanarPicture.Colour, width: Int, height: Int,
                       count: Int) throws -> [TranscodedFrame] {
        let picture = try CompositeCanvas(width: width, height: height)
        picture.frame.picture.fill(x: 0, y: 0, width: width, height: height, with: colour)
        let encoder = try CompositeVideoEncoder(codec: codec, width: width, height: height, framesPerSecond: 10,
                                                settings: .init(preset: "ultrafast", rateControl: .bitrate(kbps: 300),
                                                                keyframeInterval: .seconds(60)))
        var frames: [TranscodedFrame] = []
        for index in 0..<count { frames += try encoder.encode(picture, pts: Int64(index) * 9_000) }
        frames += try encoder.flush()
        // RTP carries H.264's parameter sets in its keyframes; the writer's track has them apart.
        if codec == .h264, let sets = encoder.track.extradata { frames[0].data = sets + frames[0].data }
        return frames
    }

    static func composite(latency: Double = 0.5, layout: CompositeSettings.Layout = .grid) throws -> RoomComposite {
        try RoomComposite(settings: .init(canvas: CompositeSettings(width: 320, height: 180, framesPerSecond: 10, layout: layout),
                                          codec: .h264, encoder: .init(preset: "ultrafast", rateControl: .bitrate(kbps: 300),
                                                                       keyframeInterval: .seconds(1)),
                                          latency: latency))
    }

    /// Hands `frames` over as `participant`'s, the n-th at `start + n / 10` seconds.
    static func send(_ frames: [TranscodedFrame], as participant: String, codec: MediaCodec, from start: Double,
                     to composite: RoomComposite) throws {
        for (index, frame) in frames.enumerated() {
            _ = try frame.data.withUnsafeBytes { bytes in
                try Result { () throws(TranscoderError) in
                    try composite.receive(participant, codec: codec, bytes: bytes, at: start + Double(index) / 10,
                                          isKeyframe: frame.isKeyframe)
                }.get()
            }
        }
    }

    /// Advances the composite to `end` a frame at a time, as a media thread keeping up does.
    static func run(_ composite: RoomComposite, from start: Double, to end: Double,
                    write: (TranscodedFrame) -> Void = { _ in }) throws {
        var now = start
        while now <= end + 1e-9 {
            try composite.advance(now: now, write: write)
            now += 0.1
        }
    }

    /// Whether the middle of `area` on the canvas is `colour`, within what two encodings change.
    static func shows(_ composite: RoomComposite, _ colour: PlanarPicture.Colour, in area: CanvasArea) -> Bool {
        let middle = CanvasArea(x: area.x + area.width / 4 & ~1, y: area.y + area.height / 4 & ~1,
                                width: area.width / 2 & ~1, height: area.height / 2 & ~1)
        let mean = composite.canvas.meanColour(in: middle)
        return abs(mean.y - Double(colour.y)) < 12 && abs(mean.cb - Double(colour.cb)) < 12 && abs(mean.cr - Double(colour.cr)) < 12
    }

    @Test("Each participant's picture is in their tile, whatever its codec and shape; a stalled one holds its last picture")
    func tilesShowTheirParticipants() throws {
        let composite = try Self.composite()
        var written: [TranscodedFrame] = []
        composite.join("red", at: 0)
        composite.join("blue", at: 0)
        try Self.send(Self.stream(.vp8, Self.red, width: 320, height: 240, count: 20), as: "red", codec: .vp8, from: 0, to: composite)
        // Blue stalls after one second: its tile keeps the last picture.
        try Self.send(Self.stream(.h264, Self.blue, width: 640, height: 360, count: 10), as: "blue", codec: .h264, from: 0, to: composite)
        try Self.run(composite, from: 0, to: 2.4) { written.append($0) }
        let tiles = GridLayout.areas(count: 2, width: 320, height: 180)
        #expect(Self.shows(composite, Self.red, in: tiles[0]), "\(composite.canvas.meanColour(in: tiles[0]))")
        #expect(Self.shows(composite, Self.blue, in: tiles[1]), "\(composite.canvas.meanColour(in: tiles[1]))")
        // 4:3 into a 160x180 tile: bars above and below, black.
        let bar = CanvasArea(x: tiles[0].x, y: 0, width: tiles[0].width, height: 10)
        #expect(Self.shows(composite, .black, in: bar), "\(composite.canvas.meanColour(in: bar))")
        let statistics = composite.report
        #expect(statistics.framesMade == 20 && statistics.framesDropped == 0 && statistics.videoTracks == 2)
        #expect(statistics.framesUndecodable == 0 && statistics.layoutChanges == 1)
        #expect(!written.isEmpty && written[0].isKeyframe)
        #expect(written.allSatisfy { $0.pts % 9_000 == 0 })
    }

    @Test("Someone without video gets a tile with their name; the grid is laid out again as people join and leave")
    func joinAndLeave() throws {
        let composite = try Self.composite()
        composite.join("red", at: 0)
        try Self.send(Self.stream(.vp8, Self.red, width: 320, height: 240, count: 40), as: "red", codec: .vp8, from: 0, to: composite)
        composite.join("listener", at: 1)
        composite.leave("listener", at: 2)
        try Self.run(composite, from: 0, to: 0.5 + 1.5)
        // Two tiles: red, and the listener's name on a plain tile (its corner has no text).
        let two = GridLayout.areas(count: 2, width: 320, height: 180)
        #expect(Self.shows(composite, Self.red, in: two[0]))
        let corner = CanvasArea(x: two[1].x + 4, y: two[1].y + 4, width: 20, height: 20)
        #expect(Self.shows(composite, CompositeCanvas.nameTile, in: corner), "\(composite.canvas.meanColour(in: corner))")
        // The name is written: white in the tile's middle row.
        let text = CanvasArea(x: two[1].x, y: two[1].y + two[1].height / 2 - 4, width: two[1].width, height: 8)
        #expect(composite.canvas.meanColour(in: text).y > composite.canvas.meanColour(in: corner).y + 10)
        try Self.run(composite, from: 2.1, to: 0.5 + 2.5)
        // The listener left: red has the whole canvas again.
        #expect(Self.shows(composite, Self.red, in: CanvasArea(x: 0, y: 0, width: 320, height: 180)))
        #expect(composite.report.layoutChanges == 3)
    }

    @Test("A keyframe is asked for only while the decoder waits for one and none is queued")
    func asksForKeyframes() throws {
        let composite = try Self.composite()
        composite.join("red", at: 0)
        let frames = try Self.stream(.vp8, Self.red, width: 160, height: 120, count: 3)
        func receive(_ frame: TranscodedFrame, at time: Double) throws -> Bool {
            try frame.data.withUnsafeBytes { bytes in
                try Result { () throws(TranscoderError) in
                    try composite.receive("red", codec: .vp8, bytes: bytes, at: time, isKeyframe: frame.isKeyframe)
                }.get()
            }
        }
        // A stream joined mid-way: delta frames first, the decoder has nothing to start from.
        #expect(try receive(frames[1], at: 0))
        // Its keyframe is queued: no more asking, though it is decoded only when its moment is shown.
        #expect(try !receive(frames[0], at: 0.1))
        #expect(try !receive(frames[2], at: 0.2))
    }

    @Test("Speaker layout: the first to arrive is large until someone speaks; the large tile follows the active speaker")
    func speakerLayout() throws {
        let composite = try Self.composite(layout: .speaker)
        composite.join("red", at: 0)
        composite.join("blue", at: 0.05)
        try Self.send(Self.stream(.vp8, Self.red, width: 320, height: 240, count: 40), as: "red", codec: .vp8, from: 0, to: composite)
        try Self.send(Self.stream(.vp8, Self.blue, width: 320, height: 240, count: 40), as: "blue", codec: .vp8, from: 0, to: composite)
        composite.speak("blue", at: 2)
        composite.speak(nil, at: 3)
        let large = CanvasArea(x: 0, y: 0, width: 320, height: 134)
        try Self.run(composite, from: 0, to: 0.5 + 1.5)
        #expect(Self.shows(composite, Self.red, in: large), "\(composite.canvas.meanColour(in: large))")
        try Self.run(composite, from: 2.1, to: 0.5 + 2.5)
        #expect(Self.shows(composite, Self.blue, in: large), "\(composite.canvas.meanColour(in: large))")
        // Nobody speaks: the last speaker stays up.
        try Self.run(composite, from: 2.6, to: 0.5 + 3.5)
        #expect(Self.shows(composite, Self.blue, in: large), "\(composite.canvas.meanColour(in: large))")
        let strip = SpeakerLayout.areas(count: 2, speaker: 1, width: 320, height: 180)[0]
        #expect(Self.shows(composite, Self.red, in: strip), "\(composite.canvas.meanColour(in: strip))")
    }

    @Test("A media thread far behind drops output frames and counts them")
    func dropsWhenBehind() throws {
        let composite = try Self.composite()
        composite.join("green", at: 0)
        try Self.send(Self.stream(.vp8, Self.green, width: 160, height: 120, count: 50), as: "green", codec: .vp8, from: 0, to: composite)
        var written = 0
        try composite.advance(now: 0.5) { _ in written += 1 }
        try composite.advance(now: 5.5) { _ in written += 1 }
        let statistics = composite.report
        #expect(statistics.framesMade == 2 && statistics.framesDropped == 49)
        // The frame made is the newest: green, every decoded frame before it decoded.
        #expect(Self.shows(composite, Self.green, in: CanvasArea(x: 0, y: 0, width: 320, height: 180)))
        var finished = 0
        try composite.finish(at: 6) { _ in finished += 1 }
        // Frames 51 to 59: the rest up to the end.
        #expect(composite.report.framesMade == 11 && finished > 0)
    }
}
