import Foundation
import NIOHTTP1
import ObjectStorage

/// One directory of AWS's SigV4 test suite (Fixtures/aws4_testsuite; see its README): the
/// request, parsed from its `.req`, and the expected canonical request, string to sign and
/// `Authorization` header.
struct SigV4TestVector: CustomStringConvertible {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/aws4_testsuite")
    static let credentials = SigV4Credentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let region = "us-east-1"
    static let service = "service"
    static let instant = Date(timeIntervalSince1970: 1_440_938_160)  // 20150830T123600Z

    /// Every directory of the suite that holds a request, by its path under the suite's root.
    static var all: [String] {
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var names: [String] = []
        for case let url as URL in enumerator where url.pathExtension == "req" {
            names.append(url.deletingLastPathComponent().path.replacingOccurrences(of: root.path + "/", with: ""))
        }
        return names.sorted()
    }

    let name: String
    var description: String { name }
    let request: SigV4Request
    let payloadHash: String
    /// The suite's session-token vectors give the token only in the expected canonical request.
    let sessionToken: String?
    let canonicalRequest: String
    let stringToSign: String
    let authorization: String

    init(_ name: String) throws {
        self.name = name
        let base = Self.root.appendingPathComponent(name).appendingPathComponent((name as NSString).lastPathComponent)
        func read(_ suffix: String) throws -> String {
            try String(contentsOf: base.appendingPathExtension(suffix), encoding: .utf8)
        }
        canonicalRequest = try read("creq")
        stringToSign = try read("sts")
        authorization = try read("authz")
        sessionToken = canonicalRequest.split(separator: "\n")
            .first { $0.hasPrefix("x-amz-security-token:") }
            .map { String($0.dropFirst("x-amz-security-token:".count)) }
        (request, payloadHash) = try Self.parse(read("req"))
    }

    /// `METHOD PATH HTTP/1.1`, header lines (a line starting with white space continues the one
    /// before), an empty line and the body. The path may hold spaces and raw UTF-8.
    private static func parse(_ text: String) throws -> (SigV4Request, payloadHash: String) {
        let parts = text.components(separatedBy: "\n\n")
        var lines = parts[0].components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        guard let methodEnd = requestLine.firstIndex(of: " "), let versionStart = requestLine.range(of: " HTTP/", options: .backwards)
        else { throw VectorError.malformed(requestLine) }
        let method = String(requestLine[..<methodEnd])
        let target = requestLine[requestLine.index(after: methodEnd)..<versionStart.lowerBound]
        let pathAndQuery = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)

        var headers: [(String, String)] = []
        // Some files end their last header line with a newline, some do not.
        for line in lines where !line.isEmpty {
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].1 += "\n" + line
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            } else {
                throw VectorError.malformed(line)
            }
        }
        let query = pathAndQuery.count > 1 ? pathAndQuery[1].split(separator: "&").map { pair -> URLQueryItem in
            let nameAndValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return URLQueryItem(
                name: String(nameAndValue[0]).removingPercentEncoding ?? String(nameAndValue[0]),
                value: nameAndValue.count > 1 ? String(nameAndValue[1]).removingPercentEncoding : "")
        } : []
        let body = parts.count > 1 ? parts.dropFirst().joined(separator: "\n\n") : ""
        let request = SigV4Request(
            method: method, path: String(pathAndQuery[0]), query: query, headers: HTTPHeaders(headers))
        return (request, SHA256Hex.of(body))
    }

    enum VectorError: Error { case malformed(String) }
}
