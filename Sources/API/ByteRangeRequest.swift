import Foundation

/// What a `Range` request header asks of a file of `size` bytes (RFC 9110 §14): one range of
/// bytes, `bytes=a-b`, `bytes=a-` or `bytes=-n`. A header that asks for something else is
/// ignored, as the RFC allows, and the whole file is served: no header, another unit, or several
/// ranges (multipart/byteranges is not supported).
enum ByteRangeRequest: Equatable {
    case whole
    /// Offsets of the first and last byte, inclusive, within the file.
    case partial(ClosedRange<Int>)
    /// 416: why, in words.
    case unsatisfiable(String)

    init(header: String?, size: Int) {
        guard let header else { self = .whole; return }
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard let equals = trimmed.firstIndex(of: "="),
              trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased() == "bytes"
        else { self = .whole; return }
        let set = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard !set.contains(",") else { self = .whole; return }
        self = Self.single(set, size: size, header: header)
    }

    private static func single(_ spec: String, size: Int, header: String) -> ByteRangeRequest {
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !(parts[0].isEmpty && parts[1].isEmpty),
              let first = offset(parts[0]), let last = offset(parts[1])
        else { return .unsatisfiable("Range \"\(header)\" is not bytes=FIRST-LAST, bytes=FIRST- or bytes=-SUFFIX") }
        switch (first, last) {
        case (nil, let suffix?):
            guard suffix > 0 else { return .unsatisfiable("Range \"\(header)\" asks for the last 0 bytes") }
            guard size > 0 else { return .unsatisfiable("Range \"\(header)\" asks for bytes of an empty file") }
            return .partial(max(size - suffix, 0)...(size - 1))
        case (let start?, let end):
            if let end, end < start {
                return .unsatisfiable("Range \"\(header)\" ends before it starts")
            }
            guard start < size else { return .unsatisfiable("Range \"\(header)\" starts at or after the end of the file") }
            return .partial(start...min(end ?? Int.max, size - 1))
        case (nil, nil):
            return .unsatisfiable("Range \"\(header)\" is empty")
        }
    }

    /// nil for an empty part (`.some(nil)`), a number made only of digits (too large a number is
    /// `Int.max`: past any file's end), or nil for anything else (outer nil).
    private static func offset(_ text: Substring) -> Int?? {
        if text.isEmpty { return .some(nil) }
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return .some(Int(text) ?? Int.max)
    }
}
