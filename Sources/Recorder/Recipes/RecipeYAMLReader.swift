import Media
import Yams

/// Reads a recipe from YAML text. The document is composed into Yams' generic node tree first,
/// so that an unknown (misspelt) key, a duplicate, a wrong type or a missing key is reported by
/// name and line before anything is mapped; then `Recipe.init` checks the combination.
struct RecipeYAMLReader {
    let name: String
    /// Where the text came from, for errors: `Recipes/webm.yaml` or the path given.
    let source: String

    func read(_ yaml: String) throws(RecipeError) -> Recipe {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
            throw failure(.duplicateKey(duplicates.first ?? "?"), at: context.mark.line)
        } catch {
            throw failure(.invalidYAML(Self.firstLine(of: "\(error)")))
        }
        guard let root else { throw failure(.notAMapping(found: "an empty document")) }
        guard case .mapping(let mapping) = root else { throw failure(.notAMapping(found: Self.describe(root)), at: root.mark?.line) }
        let fields = try self.fields(of: mapping, known: Recipe.Key.allCases.map(\.rawValue), prefix: "")
        for key in Recipe.Key.required where fields[key.rawValue] == nil {
            throw failure(.missingKey(key.rawValue))
        }
        do throws(RecipeError) {
            return try Recipe(
                name: name,
                description: try required(.description, string(.description, in: fields)),
                container: try required(.container, choice(.container, in: fields)),
                layout: try choice(.layout, in: fields) ?? .perParticipant,
                video: try required(.video, choice(.video, in: fields)),
                audio: try required(.audio, choice(.audio, in: fields)),
                fileName: try fileName(in: fields),
                h264: try h264(in: fields),
                composite: try composite(in: fields),
                cpuCost: try required(.cpuCost, number(Recipe.Key.cpuCost.rawValue, fields[Recipe.Key.cpuCost.rawValue])),
                capture: try boolean(Recipe.Key.capture.rawValue, fields[Recipe.Key.capture.rawValue]) ?? true,
                source: source)
        } catch {
            // Point at the key the combination check refused.
            var error = error
            if error.line == nil, let key = error.problem.key, let line = fields[key]?.mark?.line ?? fields[String(key.prefix { $0 != "." })]?.mark?.line {
                error.line = line
            }
            throw error
        }
    }

    // MARK: - Keys

    /// The mapping's values by key, once every key is known to be a string this recipe knows.
    private func fields(of mapping: Node.Mapping, known: [String], prefix: String) throws(RecipeError) -> [String: Node] {
        var fields: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw failure(.wrongType(key: prefix + "(key)", expected: "a plain key", found: Self.describe(keyNode)), at: keyNode.mark?.line)
            }
            let key = scalar.string
            guard known.contains(key) else {
                throw failure(.unknownKey(prefix + key, known: known), at: keyNode.mark?.line)
            }
            fields[key] = value
        }
        return fields
    }

    private func string(_ key: Recipe.Key, in fields: [String: Node]) throws(RecipeError) -> String? {
        guard let node = fields[key.rawValue] else { return nil }
        guard case .scalar(let scalar) = node, Self.tagName(node) == .str else {
            throw failure(.wrongType(key: key.rawValue, expected: "text", found: Self.describe(node)), at: node.mark?.line)
        }
        return scalar.string
    }

    /// One of an enumeration's values. Any scalar's text is compared, so `video: off` (a YAML
    /// boolean) is reported as a value that is not allowed, which is what the author needs to hear.
    private func choice<Choice: RawRepresentable & CaseIterable>(_ key: Recipe.Key, in fields: [String: Node],
                                                                 prefix: String = "") throws(RecipeError) -> Choice?
    where Choice.RawValue == String {
        try choice(key.rawValue, fields[key.rawValue], prefix: prefix)
    }

    private func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, _ node: Node?,
                                                                 prefix: String = "") throws(RecipeError) -> Choice?
    where Choice.RawValue == String {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node else {
            throw failure(.wrongType(key: prefix + key, expected: "one of " + Choice.allCases.map(\.rawValue).joined(separator: ", "),
                                     found: Self.describe(node)), at: node.mark?.line)
        }
        guard let value = Choice(rawValue: scalar.string) else {
            throw failure(.invalidValue(key: prefix + key, value: scalar.string, allowed: Choice.allCases.map(\.rawValue)),
                          at: node.mark?.line)
        }
        return value
    }

    private func number(_ key: String, _ node: Node?) throws(RecipeError) -> Double? {
        guard let node else { return nil }
        guard case .scalar = node, Self.tagName(node) == .int || Self.tagName(node) == .float, let value = node.float, value.isFinite else {
            throw failure(.wrongType(key: key, expected: "a number", found: Self.describe(node)), at: node.mark?.line)
        }
        return value
    }

    private func boolean(_ key: String, _ node: Node?) throws(RecipeError) -> Bool? {
        guard let node else { return nil }
        guard case .scalar = node, Self.tagName(node) == .bool, let value = node.bool else {
            throw failure(.wrongType(key: key, expected: "true or false", found: Self.describe(node)), at: node.mark?.line)
        }
        return value
    }

    private func integer(_ key: String, _ node: Node?) throws(RecipeError) -> Int? {
        guard let node else { return nil }
        guard case .scalar = node, Self.tagName(node) == .int, let value = node.int else {
            throw failure(.wrongType(key: key, expected: "a whole number", found: Self.describe(node)), at: node.mark?.line)
        }
        return value
    }

    private func fileName(in fields: [String: Node]) throws(RecipeError) -> FileNameTemplate? {
        guard let text = try string(.fileName, in: fields) else { return nil }
        do throws(FileNameTemplateError) {
            return try FileNameTemplate(text)
        } catch {
            throw failure(.invalid(key: Recipe.Key.fileName.rawValue, value: "\"\(text)\"", reason: error.description),
                          at: fields[Recipe.Key.fileName.rawValue]?.mark?.line)
        }
    }

    /// `h264:` as a mapping; keys left out take `H264EncoderSettings.defaults` (no rate: the default CRF).
    private func h264(in fields: [String: Node]) throws(RecipeError) -> H264EncoderSettings? {
        typealias Keys = H264EncoderSettings.CodingKeys
        guard let settings = try nested(.h264, in: fields, known: Keys.allCases.map(\.rawValue),
                                        example: "{ preset: veryfast, crf: 23, … }") else { return nil }
        let defaults = H264EncoderSettings.defaults
        return H264EncoderSettings(
            preset: try choice(Keys.preset.rawValue, settings[Keys.preset.rawValue], prefix: "h264.") ?? defaults.preset,
            crf: try number("h264.crf", settings[Keys.crf.rawValue]),
            bitrateKbps: try integer("h264.bitrate_kbps", settings[Keys.bitrateKbps.rawValue]),
            keyframeIntervalSeconds: try number("h264.keyframe_interval_s", settings[Keys.keyframeIntervalSeconds.rawValue])
                ?? defaults.keyframeIntervalSeconds)
    }

    /// `composite:` as a mapping; keys left out take `CompositeSettings.defaults`.
    private func composite(in fields: [String: Node]) throws(RecipeError) -> CompositeSettings? {
        typealias Keys = CompositeSettings.CodingKeys
        guard let settings = try nested(.composite, in: fields, known: Keys.allCases.map(\.rawValue),
                                        example: "{ width: 1280, height: 720, fps: 30, layout: grid }") else { return nil }
        let defaults = CompositeSettings.defaults
        return CompositeSettings(
            width: try integer("composite.width", settings[Keys.width.rawValue]) ?? defaults.width,
            height: try integer("composite.height", settings[Keys.height.rawValue]) ?? defaults.height,
            framesPerSecond: try integer("composite.fps", settings[Keys.framesPerSecond.rawValue]) ?? defaults.framesPerSecond,
            layout: try choice(Keys.layout.rawValue, settings[Keys.layout.rawValue], prefix: "composite.") ?? defaults.layout)
    }

    /// The fields of a key whose value is a mapping (nil: the key is not there), each known.
    private func nested(_ key: Recipe.Key, in fields: [String: Node], known: [String],
                        example: String) throws(RecipeError) -> [String: Node]? {
        guard let node = fields[key.rawValue] else { return nil }
        guard case .mapping(let mapping) = node else {
            throw failure(.wrongType(key: key.rawValue, expected: "a mapping (\(example))", found: Self.describe(node)), at: node.mark?.line)
        }
        return try self.fields(of: mapping, known: known, prefix: key.rawValue + ".")
    }

    private func required<Value>(_ key: Recipe.Key, _ value: Value?) throws(RecipeError) -> Value {
        guard let value else { throw failure(.missingKey(key.rawValue)) }
        return value
    }

    // MARK: - Errors

    private func failure(_ problem: RecipeError.Problem, at line: Int? = nil) -> RecipeError {
        RecipeError(recipe: name, source: source, line: line, problem: problem)
    }

    /// The node's resolved YAML type (`str`, `int`, `bool`…): a quoted scalar is always text.
    private static func tagName(_ node: Node) -> Tag.Name {
        Tag.Name(rawValue: node.tag.rawValue)
    }

    /// What a node is, for "must be X, not Y".
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch Self.tagName(node) {
            case .str: return "the text '\(scalar.string)'"
            case .int, .float: return "the number \(scalar.string)"
            case .bool: return "the boolean \(scalar.string)"
            case .null: return "nothing (null)"
            default: return "'\(scalar.string)'"
            }
        }
    }

    private static func firstLine(of text: String) -> String {
        String(text.prefix { $0 != "\n" })
    }
}

extension RecipeError.Problem {
    /// The key a problem is about, when it is about one.
    var key: String? {
        switch self {
        case .unknownKey(let key, _), .duplicateKey(let key), .missingKey(let key): key
        case .wrongType(let key, _, _), .invalidValue(let key, _, _), .outOfRange(let key, _, _): key
        case .invalid(let key, _, _), .unsupportedCombination(let key, _, _): key
        case .unknownRecipe, .unreadable, .invalidYAML, .notAMapping: nil
        }
    }
}
