/// The H.264 encoder's settings for a recipe with `video: h264`, used for senders whose video
/// is not H.264 already. Keys in YAML and JSON: `preset`, `bitrate_kbps`, `keyframe_interval_s`.
public struct H264EncoderSettings: Sendable, Hashable, Codable {
    /// libx264's speed/quality presets, fastest first.
    public enum Preset: String, Sendable, Hashable, Codable, CaseIterable {
        case ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, veryslow
    }

    public var preset: Preset
    public var bitrateKbps: Int
    /// Seconds between keyframes: a file can be cut or seeked only at one.
    public var keyframeIntervalSeconds: Double

    /// What a recipe gets when it says `video: h264` and leaves a setting out.
    public static let defaults = H264EncoderSettings(preset: .veryfast, bitrateKbps: 1_500, keyframeIntervalSeconds: 2)

    /// The bounds each setting is checked against, so a typo (`bitrate_kbps: 15000000`) is
    /// caught when the recipe loads rather than by the encoder mid-recording.
    static let bitrateRange = 50...50_000
    static let keyframeIntervalRange = 0.1...60.0

    public init(preset: Preset, bitrateKbps: Int, keyframeIntervalSeconds: Double) {
        self.preset = preset
        self.bitrateKbps = bitrateKbps
        self.keyframeIntervalSeconds = keyframeIntervalSeconds
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case preset
        case bitrateKbps = "bitrate_kbps"
        case keyframeIntervalSeconds = "keyframe_interval_s"
    }
}
