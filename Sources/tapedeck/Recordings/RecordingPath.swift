import Foundation

/// Path segments of the API's URLs, escaped so that an id or a file name is one segment's worth
/// of text (a file name's `/` stays: the files route takes the rest of the path).
enum RecordingPath {
    static func escaped(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: unreserved) ?? segment
    }

    static func escapedFileName(_ name: String) -> String {
        name.split(separator: "/", omittingEmptySubsequences: false).map { escaped(String($0)) }.joined(separator: "/")
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
