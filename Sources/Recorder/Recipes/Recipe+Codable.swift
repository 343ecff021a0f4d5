import Media

/// The JSON form, for the job API: the YAML file's keys plus `name`. Decoding checks what the
/// YAML loader checks — unknown keys included — so a recipe sent as JSON is held to the same
/// rules as one in a file.
extension Recipe: Codable {
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private enum CodingKeys: String, CodingKey {
        case name, description, container, layout, video, audio
        case fileName = "file_name"
        case h264
        case composite
        case cpuCost = "cpu_cost"
        case capture
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .name)
        let known = ["name"] + Key.allCases.map(\.rawValue)
        try Self.rejectUnknownKeys(in: decoder, known: known, recipe: name, prefix: "")
        if container.contains(.h264) {
            let h264Decoder = try container.superDecoder(forKey: .h264)
            try Self.rejectUnknownKeys(in: h264Decoder, known: H264EncoderSettings.CodingKeys.allCases.map(\.rawValue),
                                       recipe: name, prefix: "h264.")
        }
        if container.contains(.composite) {
            let compositeDecoder = try container.superDecoder(forKey: .composite)
            try Self.rejectUnknownKeys(in: compositeDecoder, known: CompositeSettings.CodingKeys.allCases.map(\.rawValue),
                                       recipe: name, prefix: "composite.")
        }
        do {
            try self.init(
                name: name,
                description: try container.decode(String.self, forKey: .description),
                container: try container.decode(MediaContainer.self, forKey: .container),
                layout: try container.decodeIfPresent(RecipeLayout.self, forKey: .layout) ?? .perParticipant,
                video: try container.decode(RecipeVideo.self, forKey: .video),
                audio: try container.decode(RecipeAudio.self, forKey: .audio),
                fileName: try container.decodeIfPresent(FileNameTemplate.self, forKey: .fileName),
                h264: try container.decodeIfPresent(H264EncoderSettings.self, forKey: .h264),
                composite: try container.decodeIfPresent(CompositeSettings.self, forKey: .composite),
                cpuCost: try container.decode(Double.self, forKey: .cpuCost),
                capture: try container.decodeIfPresent(Bool.self, forKey: .capture) ?? true)
        } catch let error as RecipeError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description,
                                                    underlyingError: error))
        }
    }

    private static func rejectUnknownKeys(in decoder: any Decoder, known: [String], recipe: String, prefix: String) throws {
        let keys = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        if let unknown = keys.sorted().first(where: { !known.contains($0) }) {
            let error = RecipeError(recipe: recipe, source: nil, problem: .unknownKey(prefix + unknown, known: known))
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description,
                                                    underlyingError: error))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(description, forKey: .description)
        try container.encode(self.container, forKey: .container)
        try container.encode(layout, forKey: .layout)
        try container.encode(video, forKey: .video)
        try container.encode(audio, forKey: .audio)
        try container.encode(fileName, forKey: .fileName)
        try container.encodeIfPresent(h264, forKey: .h264)
        try container.encodeIfPresent(composite, forKey: .composite)
        try container.encode(cpuCost, forKey: .cpuCost)
        try container.encode(capture, forKey: .capture)
    }
}
