import NIOHTTP1

/// The canonical headers block and the signed-headers list of a SigV4 canonical request.
struct CanonicalHeaders {
    /// `name:value\n` for each name, lower-cased and sorted; repeated names joined with `,`.
    let canonical: String
    /// The same names joined with `;`.
    let signedNames: String

    init(_ headers: HTTPHeaders) {
        var valuesByName: [String: [String]] = [:]
        for (name, value) in headers {
            valuesByName[name.lowercased(), default: []].append(Self.normalized(value))
        }
        let names = valuesByName.keys.sorted()
        canonical = names.map { "\($0):\(valuesByName[$0]!.joined(separator: ","))\n" }.joined()
        signedNames = names.joined(separator: ";")
    }

    /// Trimmed, with each run of whitespace (folded lines included) made one space.
    private static func normalized(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
            .joined(separator: " ")
    }
}
