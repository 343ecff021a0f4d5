import Foundation

/// One of the AWS SDKs' shared files (`~/.aws/credentials`, `~/.aws/config`): INI sections of
/// `key = value` lines, where a key with no value opens a nested block of indented lines
/// (`s3 =` then `  endpoint_url = …`), kept here as `s3.endpoint_url`.
struct AWSSharedConfigFile: Equatable {
    /// By section name as written (`default`, `profile ci`, `ci`); keys lower-cased.
    var sections: [String: [String: String]]

    /// A missing file is an empty one, as for the SDKs.
    init(contentsOf path: String) throws {
        let text = FileManager.default.fileExists(atPath: path) ? try String(contentsOfFile: path, encoding: .utf8) : ""
        self.init(parsing: text)
    }

    init(parsing text: String) {
        var sections: [String: [String: String]] = [:]
        var section: String?
        var nestedKey: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().split(separator: " ").joined(separator: " ")
                sections[name] = sections[name] ?? [:]
                section = name
                nestedKey = nil
                continue
            }
            guard let section, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            let indented = rawLine.first == " " || rawLine.first == "\t"
            if indented, let nestedKey {
                sections[section]?["\(nestedKey).\(key)"] = value
            } else if value.isEmpty {
                nestedKey = key
            } else {
                nestedKey = nil
                sections[section]?[key] = value
            }
        }
        self.sections = sections
    }

    /// The credentials file names a profile `[name]`; the config file `[profile name]`, except `[default]`.
    func profile(_ name: String, isConfigFile: Bool) -> [String: String]? {
        isConfigFile && name != "default" ? sections["profile \(name)"] : sections[name]
    }
}
