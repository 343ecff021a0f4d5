/// Why a file name template cannot be used, or could not make a name from given values.
public enum FileNameTemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    /// `{name}` is not one of `FileNameTemplate.Placeholder`.
    case unknownPlaceholder(String)
    /// A `{` never closed (or opened again before closing), or a `}` that closes nothing;
    /// the offset is in characters from the start.
    case unbalancedBrace(Character, offset: Int)
    /// The template would leave the output directory or make an unusable path: it starts with
    /// `/`, has an empty component (`a//b`, a trailing `/`) or a `.`/`..` component.
    case invalidPath(String)
    /// The template uses a placeholder that has no value for this file, e.g. `{track}` for a
    /// per-participant file.
    case missingValue(FileNameTemplate.Placeholder)
    /// The values made an empty name for a path component (an empty participant id, say).
    case emptyName(FileNameTemplate.Placeholder?)

    public var description: String {
        switch self {
        case .empty:
            return "the file name template is empty"
        case .unknownPlaceholder(let name):
            let known = FileNameTemplate.Placeholder.allCases.map { "{\($0.rawValue)}" }.joined(separator: ", ")
            return "unknown placeholder {\(name)} in the file name template; known: \(known)"
        case .unbalancedBrace(let brace, let offset):
            return brace == "{"
                ? "unbalanced brace: the '{' at offset \(offset) of the file name template is never closed"
                : "unbalanced brace: the '}' at offset \(offset) of the file name template closes nothing"
        case .invalidPath(let why):
            return "the file name template \(why)"
        case .missingValue(let placeholder):
            return "the file name template uses {\(placeholder.rawValue)}, which has no value for this file"
        case .emptyName(let placeholder):
            let cause = placeholder.map { " ({\($0.rawValue)} is empty)" } ?? ""
            return "the file name template makes an empty name\(cause)"
        }
    }
}
