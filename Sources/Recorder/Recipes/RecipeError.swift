/// Why a recipe could not be found, read or used. The description names the recipe, where it
/// came from (file and line, when known) and the key at fault.
public struct RecipeError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Problem: Sendable, Hashable {
        /// No built-in recipe has this name.
        case unknownRecipe(available: [String])
        /// The file could not be read.
        case unreadable(String)
        /// Not YAML at all; the parser's message.
        case invalidYAML(String)
        /// YAML, but not a mapping of keys; what it is instead.
        case notAMapping(found: String)
        case unknownKey(String, known: [String])
        case duplicateKey(String)
        case missingKey(String)
        /// The value has the wrong type: `expected` ("a number"), `found` ("the string 'cheap'").
        case wrongType(key: String, expected: String, found: String)
        /// The value is not one of those allowed.
        case invalidValue(key: String, value: String, allowed: [String])
        /// A number outside its bounds, e.g. "0.1...60.0".
        case outOfRange(key: String, value: String, bounds: String)
        /// The value cannot be used; `reason` says why (an unusable file name template, say).
        case invalid(key: String, value: String, reason: String)
        /// The value is fine alone but not with the rest of the recipe; `reason` says why.
        case unsupportedCombination(key: String, value: String, reason: String)
    }

    /// The recipe's name (a file's is its name without `.yaml`).
    public var recipe: String
    /// Where it came from: `Recipes/webm.yaml` for a built-in one, the path given for a file.
    public var source: String?
    /// The line of the key at fault, when known.
    public var line: Int?
    public var problem: Problem

    public init(recipe: String, source: String?, line: Int? = nil, problem: Problem) {
        self.recipe = recipe
        self.source = source
        self.line = line
        self.problem = problem
    }

    /// "recipe 'webm' (Recipes/webm.yaml:3)"
    private var location: String {
        guard let source else { return "recipe '\(recipe)'" }
        return "recipe '\(recipe)' (\(source)\(line.map { ":\($0)" } ?? ""))"
    }

    public var description: String {
        switch problem {
        case .unknownRecipe(let available):
            return "no recipe named '\(recipe)'; available: \(available.joined(separator: ", ")) "
                + "(or a recipe file: a path ending in .yaml or .yml, or containing a '/')"
        case .unreadable(let reason):
            return "cannot read \(location): \(reason)"
        case .invalidYAML(let message):
            return "\(location) is not valid YAML: \(message)"
        case .notAMapping(let found):
            return "\(location) must be a mapping of keys (container: webm, …), not \(found)"
        case .unknownKey(let key, let known):
            return "unknown key '\(key)' in \(location); known keys: \(known.joined(separator: ", "))"
        case .duplicateKey(let key):
            return "key '\(key)' appears more than once in \(location)"
        case .missingKey(let key):
            return "\(location) lacks the required key '\(key)'"
        case .wrongType(let key, let expected, let found):
            return "'\(key)' in \(location) must be \(expected), not \(found)"
        case .invalidValue(let key, let value, let allowed):
            return "'\(key): \(value)' in \(location) is not one of \(allowed.joined(separator: ", "))"
        case .outOfRange(let key, let value, let bounds):
            return "'\(key): \(value)' in \(location) is out of range (\(bounds))"
        case .invalid(let key, let value, let reason):
            return "'\(key): \(value)' in \(location) is invalid: \(reason)"
        case .unsupportedCombination(let key, let value, let reason):
            return "'\(key): \(value)' in \(location) cannot be used: \(reason)"
        }
    }
}
