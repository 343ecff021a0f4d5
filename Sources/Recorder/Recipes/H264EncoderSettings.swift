import Media

/// The H.264 encoder's settings for a recipe with `video: h264`, used for senders whose video
/// is not H.264 already. Keys in YAML and JSON: `preset`, `crf` or `bitrate_kbps`,
/// `keyframe_interval_s`.
public struct H264EncoderSettings: Sendable, Hashable, Codable {
    /// libx264's speed/quality presets, fastest first.
    public enum Preset: String, Sendable, Hashable, Codable, CaseIterable {
        case ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, veryslow
    }

    public var preset: Preset
    /// Constant quality (x264's CRF, lower is better): the default, because it suits whatever
    /// size the sender picks, where one bitrate would starve 720p or waste bits on 320x240.
    public var crf: Double?
    /// An average bitrate instead, for storage planned by the byte.
    public var bitrateKbps: Int?
    /// Seconds between keyframes: a file can be cut or seeked only at one.
    public var keyframeIntervalSeconds: Double

    /// What a recipe gets when it says `video: h264` and leaves a setting out.
    public static let defaults = H264EncoderSettings(preset: .veryfast, crf: defaultCRF, keyframeIntervalSeconds: 2)
    /// x264's own default: good quality at about 1–2 Mbit/s for a 720p camera.
    static let defaultCRF = 23.0

    /// The bounds each setting is checked against, so a typo (`bitrate_kbps: 15000000`) is
    /// caught when the recipe loads rather than by the encoder mid-recording.
    static let crfRange = 0.0...51.0
    static let bitrateRange = 50...50_000
    static let keyframeIntervalRange = 0.1...60.0

    public init(preset: Preset, crf: Double? = nil, bitrateKbps: Int? = nil, keyframeIntervalSeconds: Double) {
        self.preset = preset
        self.crf = crf
        self.bitrateKbps = bitrateKbps
        self.keyframeIntervalSeconds = keyframeIntervalSeconds
    }

    /// What the transcoder is given (one thread: recordings scale by running many at once).
    public var transcoderSettings: VideoTranscoder.Settings {
        VideoTranscoder.Settings(
            preset: preset.rawValue,
            rateControl: bitrateKbps.map { .bitrate(kbps: $0) } ?? .constantRateFactor(crf ?? Self.defaultCRF),
            keyframeInterval: .milliseconds(Int((keyframeIntervalSeconds * 1_000).rounded())))
    }

    /// Constant quality at the default CRF unless a rate is given.
    var withDefaultRate: H264EncoderSettings {
        var settings = self
        if settings.crf == nil && settings.bitrateKbps == nil { settings.crf = Self.defaultCRF }
        return settings
    }

    /// What is wrong with the settings, naming the key: both rates given, or a number out of bounds.
    var problem: RecipeError.Problem? {
        if let bitrateKbps, crf != nil {
            return .unsupportedCombination(key: "h264.bitrate_kbps", value: "\(bitrateKbps)",
                                           reason: "give 'crf' (constant quality) or 'bitrate_kbps', not both")
        }
        if let bitrateKbps, !Self.bitrateRange.contains(bitrateKbps) {
            return .outOfRange(key: "h264.bitrate_kbps", value: "\(bitrateKbps)", bounds: "\(Self.bitrateRange)")
        }
        if let crf, !Self.crfRange.contains(crf) {
            return .outOfRange(key: "h264.crf", value: "\(crf)", bounds: "\(Self.crfRange)")
        }
        if !Self.keyframeIntervalRange.contains(keyframeIntervalSeconds) {
            return .outOfRange(key: "h264.keyframe_interval_s", value: "\(keyframeIntervalSeconds)",
                               bounds: "\(Self.keyframeIntervalRange)")
        }
        return nil
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case preset, crf
        case bitrateKbps = "bitrate_kbps"
        case keyframeIntervalSeconds = "keyframe_interval_s"
    }

    /// Keys left out take the defaults, as in YAML.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        preset = try container.decodeIfPresent(Preset.self, forKey: .preset) ?? Self.defaults.preset
        crf = try container.decodeIfPresent(Double.self, forKey: .crf)
        bitrateKbps = try container.decodeIfPresent(Int.self, forKey: .bitrateKbps)
        keyframeIntervalSeconds = try container.decodeIfPresent(Double.self, forKey: .keyframeIntervalSeconds)
            ?? Self.defaults.keyframeIntervalSeconds
    }
}
