import Media

/// A recording preset: which container, how tracks are split into files, what happens to video
/// and audio, how files are named, and what a recording costs. The CLI (`--recipe`) and the job
/// API name one; the built-in ones live in `Recipes/*.yaml`. A `Recipe` is always consistent:
/// the initializer (and so every loader) refuses a combination its container cannot hold.
///
/// Its JSON form has the same keys as its YAML file, plus `name`.
public struct Recipe: Sendable, Hashable {
    public let name: String
    /// What it makes, for humans and the API listing.
    public let description: String
    public let container: MediaContainer
    public let layout: RecipeLayout
    public let video: RecipeVideo
    public let audio: RecipeAudio
    /// The output files' names, without extension (the container's is added).
    public let fileName: FileNameTemplate
    /// Present exactly when `video` is `.h264`: a transcoded participant's, or a room's composite's.
    public let h264: H264EncoderSettings?
    /// Present exactly when a room recipe records video: its canvas and layout.
    public let composite: CompositeSettings?
    /// Admission cost in cores per recording: passthrough is cheap, transcoding dear.
    public let cpuCost: Double
    /// Whether each connection's decrypted packets are also kept, as a pcapng file beside the
    /// outputs (docs/capture.md): what a recording can be rendered again from.
    public let capture: Bool

    /// The keys of a recipe document, in the order the README lists them.
    enum Key: String, CaseIterable {
        case description, container, layout, video, audio
        case fileName = "file_name"
        case h264
        case composite
        case cpuCost = "cpu_cost"
        case capture

        /// Those without a default. `description` because the API lists it; `cpu_cost` because a
        /// guessed admission cost would over- or under-fill a worker.
        static let required: [Key] = [.description, .container, .video, .audio, .cpuCost]
    }

    static let cpuCostRange = 0.001...64.0

    /// - Parameters:
    ///   - layout, fileName: default to one file per participant named `{participant}`
    ///     (per track: `{participant}-{kind}-{track}`).
    ///   - h264: defaults to `H264EncoderSettings.defaults` when `video` is `.h264`; without a
    ///     rate, constant quality at the default CRF.
    ///   - composite: defaults to `CompositeSettings.defaults` for a room recipe with video.
    ///   - capture: keep the raw capture; on unless a recipe turns it off.
    ///   - source: where the recipe came from, for errors.
    /// - Throws: `RecipeError` naming the key at fault when the choices do not fit together.
    public init(name: String, description: String, container: MediaContainer, layout: RecipeLayout = .perParticipant,
                video: RecipeVideo, audio: RecipeAudio, fileName: FileNameTemplate? = nil,
                h264: H264EncoderSettings? = nil, composite: CompositeSettings? = nil, cpuCost: Double, capture: Bool = true,
                source: String? = nil) throws(RecipeError) {
        func failure(_ problem: RecipeError.Problem) -> RecipeError {
            RecipeError(recipe: name, source: source, problem: problem)
        }
        let composites = layout == .room && video != .none
        let fileName = fileName ?? (composites ? RecipeLayout.compositeFileName : layout.defaultFileName)
        guard !description.allSatisfy(\.isWhitespace) else {
            throw failure(.invalid(key: Key.description.rawValue, value: "\"\"", reason: "say what the recipe makes"))
        }
        guard Self.cpuCostRange.contains(cpuCost) else {
            throw failure(.outOfRange(key: Key.cpuCost.rawValue, value: "\(cpuCost)", bounds: "\(Self.cpuCostRange)"))
        }
        guard container.allowedVideo.contains(video) else {
            throw failure(.unsupportedCombination(key: Key.video.rawValue, value: video.rawValue, reason: container.holdsDescription))
        }
        guard container.allowedAudio.contains(audio) else {
            throw failure(.unsupportedCombination(key: Key.audio.rawValue, value: audio.rawValue, reason: container.holdsDescription))
        }
        guard video != .none || audio != .none else {
            throw failure(.unsupportedCombination(key: Key.audio.rawValue, value: audio.rawValue,
                                                  reason: "with 'video: none' as well the recipe records nothing"))
        }
        if let h264, video != .h264 {
            throw failure(.unsupportedCombination(key: Key.h264.rawValue, value: h264.yamlText,
                                                  reason: "only a recipe with 'video: h264' encodes H.264"))
        }
        let settings = video == .h264 ? (h264 ?? .defaults).withDefaultRate : nil
        if let problem = settings?.problem { throw failure(problem) }
        if let composite, !composites {
            throw failure(.unsupportedCombination(key: Key.composite.rawValue, value: composite.yamlText,
                                                  reason: "only a room recipe with video ('layout: room', 'video: h264' or 'vp8') makes a composite"))
        }
        let compositeSettings = composites ? composite ?? .defaults : nil
        if let problem = compositeSettings?.problem { throw failure(problem) }
        if let problem = Self.layoutProblem(layout: layout, video: video, audio: audio) { throw failure(problem) }
        if let reason = Self.fileNameProblem(fileName, layout: layout) {
            throw failure(.unsupportedCombination(key: Key.fileName.rawValue, value: "\"\(fileName.text)\"", reason: reason))
        }
        self.name = name
        self.description = description
        self.container = container
        self.layout = layout
        self.video = video
        self.audio = audio
        self.fileName = fileName
        self.h264 = settings
        self.composite = compositeSettings
        self.cpuCost = cpuCost
        self.capture = capture
    }

    /// A room's mix and composite are what the recorder decodes and encodes again, so they need
    /// encoded codecs (`opus` or `aac`; `h264` or `vp8`); `opus` and `vp8` re-encode only a
    /// room's file (a participant's Opus and VP8 are written as sent).
    private static func layoutProblem(layout: RecipeLayout, video: RecipeVideo, audio: RecipeAudio) -> RecipeError.Problem? {
        switch layout {
        case .room where video == .passthrough:
            return .unsupportedCombination(key: Key.video.rawValue, value: video.rawValue,
                                           reason: "a room's composite is encoded by the recorder: 'video: h264' (mp4), 'vp8' (webm) or 'none'")
        case .room where audio != .opus && audio != .aac:
            return .unsupportedCombination(key: Key.audio.rawValue, value: audio.rawValue,
                                           reason: "a room's mix is encoded by the recorder: 'audio: opus' (ogg, webm) or 'aac' (mp4)")
        case .perParticipant where audio == .opus, .perTrack where audio == .opus:
            return .unsupportedCombination(key: Key.audio.rawValue, value: audio.rawValue,
                                           reason: "only a room's mix is encoded as Opus; a participant's Opus is written as sent ('audio: passthrough')")
        case .perParticipant where video == .vp8, .perTrack where video == .vp8:
            return .unsupportedCombination(key: Key.video.rawValue, value: video.rawValue,
                                           reason: "only a room's composite is encoded as VP8; a participant's VP8 is written as sent ('video: passthrough')")
        default:
            return nil
        }
    }

    /// A per-track file needs `{track}`, or a participant's tracks would fight over one name;
    /// a per-participant file holds several tracks, so `{track}` and `{kind}` mean nothing there.
    private static func fileNameProblem(_ template: FileNameTemplate, layout: RecipeLayout) -> String? {
        switch layout {
        case .perTrack where !template.placeholders.contains(.track):
            return "a per-track recipe's file names need {track}, or a participant's tracks would share one name"
        case .perParticipant where !template.placeholders.isDisjoint(with: [.track, .kind]):
            return "a per-participant file holds all of a participant's tracks, so it cannot be named by {track} or {kind}"
        case .room where !template.placeholders.isDisjoint(with: [.participant, .track, .kind]):
            return "a room's file holds everyone, so it cannot be named by {participant}, {track} or {kind}"
        default:
            return nil
        }
    }

    /// Whether some senders' media must be decoded and encoded again.
    public var mayTranscode: Bool { video.mayTranscode || audio.mayTranscode }

    /// The extension of the recipe's files: the container's, except that a room's mix alone in
    /// MP4 is `.m4a`, the name audio players expect of MPEG-4 audio.
    public var fileExtension: String {
        layout == .room && container == .mp4 && video == .none ? "m4a" : container.fileExtension
    }
}

extension H264EncoderSettings {
    /// For error messages: the settings as a recipe writes them.
    var yamlText: String {
        let rate = bitrateKbps.map { "bitrate_kbps: \($0)" } ?? crf.map { "crf: \($0)" }
        return "{ " + ["preset: \(preset.rawValue)", rate, "keyframe_interval_s: \(keyframeIntervalSeconds)"].compactMap { $0 }
            .joined(separator: ", ") + " }"
    }
}
