/// Makes text from outside safe as (part of) one path component: nothing in a value can add a
/// directory level, climb out of one, hide a file or overflow the filesystem's name limit.
enum PathComponentSanitizer {
    static let replacement: Character = "_"
    /// One placeholder's value at most: long enough for any sensible id, short enough that
    /// several fit in a component.
    static let maximumValueBytes = 96
    /// A component at most, in UTF-8 bytes. NAME_MAX is 255; the rest is left for a segment
    /// number, the extension and the writer's temporary name (`.NAME.partial`).
    static let maximumComponentBytes = 200

    /// Replaces every character that is unsafe in a file name with `_`: path separators,
    /// control and format characters (bidirectional overrides, zero-width), whitespace,
    /// characters Windows and some tools reject (`:*?"<>|`), unassigned and private-use code
    /// points. Letters, digits, marks and other symbols of any script stay. Longer than
    /// `maximumBytes`, it is cut and given a hash of the whole value, so two long ids that
    /// share a prefix still get different names.
    static func clean(_ text: String, maximumBytes: Int = .max) -> String {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            cleaned.append(isSafe(scalar) ? scalar : "_")
        }
        return truncated(String(cleaned), original: text, maximumBytes: maximumBytes)
    }

    /// The last step for a whole component: no leading dot (no hidden files, and so never `.`
    /// or `..`), no leading `-` (a participant called `-rf` must not become an option to
    /// `rm *`), no leading combining mark (it would join the `/` before it into one character,
    /// and a path would no longer start with its directory to code that compares characters),
    /// and no longer than `maximumComponentBytes`.
    static func finishComponent(_ component: String) -> String {
        var scalars = Array(component.unicodeScalars)
        if let first = scalars.first, first == "-" || isCombiningMark(first) { scalars[0] = "_" }
        let leadingDots = scalars.prefix { $0 == "." }.count
        scalars.replaceSubrange(0..<leadingDots, with: repeatElement("_", count: leadingDots))
        let visible = String(String.UnicodeScalarView(scalars))
        return truncated(visible, original: component, maximumBytes: maximumComponentBytes)
    }

    private static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }

    private static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "/" || scalar == "\\" || "#:*?\"<>|".unicodeScalars.contains(scalar) { return false }
        if scalar.properties.isWhitespace { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .surrogate,
             .privateUse, .unassigned:
            return false
        default:
            return true
        }
    }

    private static func truncated(_ text: String, original: String, maximumBytes: Int) -> String {
        guard text.utf8.count > maximumBytes else { return text }
        let suffix = "~" + StableHash.hex(of: original)
        var kept = ""
        var bytes = suffix.utf8.count
        for character in text {
            let size = character.utf8.count
            guard bytes + size <= maximumBytes else { break }
            kept.append(character)
            bytes += size
        }
        return kept + suffix
    }
}

/// FNV-1a (32 bits): the same text gives the same hash in every process, unlike `Hasher`.
enum StableHash {
    static func hex(of text: String) -> String {
        var hash: UInt32 = 0x811C_9DC5
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash &*= 0x0100_0193
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
