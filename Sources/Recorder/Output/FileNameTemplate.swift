import Foundation
import Media

/// A recipe's `file_name`: text with placeholders (`{room}`, `{participant}`, `{track}`,
/// `{kind}`, `{time}`) that renders to a path relative to the recording's output directory,
/// without the extension (the container gives that). A `/` in the template makes
/// subdirectories; a `/` in a value never does.
///
/// Values come from outside (a hostile participant id, a room name), so every rendered path
/// component is sanitized by `PathComponentSanitizer`: whatever the values, the result stays
/// inside the output directory.
public struct FileNameTemplate: Sendable, Hashable, CustomStringConvertible {
    public enum Placeholder: String, Sendable, Hashable, CaseIterable {
        case room, participant, track, kind, time
    }

    enum Piece: Sendable, Hashable {
        case literal(String)
        case placeholder(Placeholder)
    }

    /// The template as written.
    public let text: String
    /// The pieces of each path component (split at the template's own `/`).
    let components: [[Piece]]

    public init(_ text: String) throws(FileNameTemplateError) {
        guard !text.isEmpty else { throw .empty }
        guard !text.hasPrefix("/") else { throw .invalidPath("must be relative, not start with '/'") }
        self.text = text
        components = try Self.parse(text)
    }

    public var description: String { text }

    public var placeholders: Set<Placeholder> {
        Set(components.joined().compactMap { piece in
            if case .placeholder(let placeholder) = piece { placeholder } else { nil }
        })
    }

    /// The relative path (without extension) for one file.
    /// - Throws: `missingValue` when the template uses `{track}` or `{kind}` and `values` has
    ///   none; `emptyName` when a path component comes out empty.
    public func render(_ values: FileNameValues) throws(FileNameTemplateError) -> String {
        var rendered: [String] = []
        for pieces in components {
            var component = ""
            var lastPlaceholder: Placeholder?
            for piece in pieces {
                switch piece {
                case .literal(let literal):
                    component += PathComponentSanitizer.clean(literal)
                case .placeholder(let placeholder):
                    component += PathComponentSanitizer.clean(try Self.value(of: placeholder, in: values),
                                                              maximumBytes: PathComponentSanitizer.maximumValueBytes)
                    lastPlaceholder = placeholder
                }
            }
            guard !component.isEmpty else { throw .emptyName(lastPlaceholder) }
            rendered.append(PathComponentSanitizer.finishComponent(component))
        }
        return rendered.joined(separator: "/")
    }

    private static func value(of placeholder: Placeholder, in values: FileNameValues) throws(FileNameTemplateError) -> String {
        switch placeholder {
        case .room: return values.room
        case .participant: return values.participant
        case .track:
            guard let track = values.track else { throw .missingValue(.track) }
            return track
        case .kind:
            guard let kind = values.kind else { throw .missingValue(.kind) }
            return kind.rawValue
        case .time: return UTCFileTime.string(from: values.time)
        }
    }

    private static func parse(_ text: String) throws(FileNameTemplateError) -> [[Piece]] {
        var components: [[Piece]] = [[]]
        var literal = ""
        var placeholderStart: Int?
        var name = ""
        func endLiteral() {
            if !literal.isEmpty { components[components.count - 1].append(.literal(literal)) }
            literal = ""
        }
        for (offset, character) in text.enumerated() {
            switch (character, placeholderStart) {
            case ("{", nil):
                endLiteral()
                placeholderStart = offset
            case ("{", .some(let start)):
                throw .unbalancedBrace("{", offset: start)
            case ("}", nil):
                throw .unbalancedBrace("}", offset: offset)
            case ("}", .some):
                guard let placeholder = Placeholder(rawValue: name) else { throw .unknownPlaceholder(name) }
                components[components.count - 1].append(.placeholder(placeholder))
                name = ""
                placeholderStart = nil
            case (_, .some):
                name.append(character)
            case ("/", nil):
                endLiteral()
                components.append([])
            default:
                literal.append(character)
            }
        }
        if let start = placeholderStart { throw .unbalancedBrace("{", offset: start) }
        endLiteral()
        for pieces in components {
            if pieces.isEmpty { throw .invalidPath("has an empty path component ('//' or a trailing '/')") }
            if pieces == [.literal(".")] || pieces == [.literal("..")] {
                throw .invalidPath("has a '\(pieces == [.literal(".")] ? "." : "..")' path component")
            }
        }
        return components
    }
}

extension FileNameTemplate: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do throws(FileNameTemplateError) {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
