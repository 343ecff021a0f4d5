/// How a room recipe with video composites everyone onto one canvas. Keys in YAML and JSON:
/// `width`, `height`, `fps`, `layout`; those left out take `defaults`.
public struct CompositeSettings: Sendable, Hashable, Codable {
    /// How the tiles are arranged.
    public enum Layout: String, Sendable, Hashable, Codable, CaseIterable {
        /// Everyone in equal tiles, ceil(sqrt(n)) columns, re-laid as people join and leave.
        case grid
        /// The active speaker (from the speaker timeline) large, everyone else in a strip below.
        case speaker
    }

    public var width: Int
    public var height: Int
    public var framesPerSecond: Int
    public var layout: Layout

    public static let defaults = CompositeSettings(width: 1_280, height: 720, framesPerSecond: 30, layout: .grid)

    /// Bounds checked when a recipe loads: even sizes (4:2:0), a canvas an encoder takes.
    static let sizeRange = 64...3_840
    static let framesPerSecondRange = 1...60

    public init(width: Int, height: Int, framesPerSecond: Int, layout: Layout) {
        self.width = width
        self.height = height
        self.framesPerSecond = framesPerSecond
        self.layout = layout
    }

    /// What is wrong with the settings, naming the key.
    var problem: RecipeError.Problem? {
        for (key, value) in [("composite.width", width), ("composite.height", height)] {
            if !Self.sizeRange.contains(value) { return .outOfRange(key: key, value: "\(value)", bounds: "\(Self.sizeRange)") }
            if value % 2 != 0 { return .invalid(key: key, value: "\(value)", reason: "4:2:0 video needs an even size") }
        }
        if !Self.framesPerSecondRange.contains(framesPerSecond) {
            return .outOfRange(key: "composite.fps", value: "\(framesPerSecond)", bounds: "\(Self.framesPerSecondRange)")
        }
        return nil
    }

    /// For error messages: the settings as a recipe writes them.
    var yamlText: String { "{ width: \(width), height: \(height), fps: \(framesPerSecond), layout: \(layout.rawValue) }" }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case width, height
        case framesPerSecond = "fps"
        case layout
    }

    /// Keys left out take the defaults, as in YAML.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self.defaults
        width = try container.decodeIfPresent(Int.self, forKey: .width) ?? defaults.width
        height = try container.decodeIfPresent(Int.self, forKey: .height) ?? defaults.height
        framesPerSecond = try container.decodeIfPresent(Int.self, forKey: .framesPerSecond) ?? defaults.framesPerSecond
        layout = try container.decodeIfPresent(Layout.self, forKey: .layout) ?? defaults.layout
    }
}
