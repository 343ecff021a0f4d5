/// Small text helpers shared by the SDP parsers.
///
/// They split on the UTF-8 bytes of ASCII separators. That is exact at the Unicode-scalar level
/// (an ASCII byte never occurs inside a multi-byte sequence) and, unlike splitting on
/// `Character`s, never glues a space to a following combining mark — which would make a value
/// split differently after being written back out. They scan a pointer to the bytes rather than
/// the `String.UTF8View`: in a debug build each view access is a generic call, which made the
/// 20,000-mutation fuzz test several times slower.
enum SDPText {
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")

    static func isFieldSeparator(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    /// The lines of `text`, split at LF, each without one trailing CR.
    static func lines(of text: String) -> [String] {
        withBytes(text) { bytes, count in
            var lines: [String] = []
            var start = 0
            for index in 0...count where index == count || bytes[index] == UInt8(ascii: "\n") {
                let end = index > start && bytes[index - 1] == UInt8(ascii: "\r") ? index - 1 : index
                lines.append(string(bytes, start, end))
                start = index + 1
            }
            return lines
        }
    }

    /// The whitespace-separated fields of `text`, ignoring leading, trailing and repeated blanks.
    static func fields(_ text: String) -> [String] {
        withBytes(text) { bytes, count in
            var result: [String] = []
            var index = 0
            while index < count {
                while index < count, isFieldSeparator(bytes[index]) { index += 1 }
                guard index < count else { break }
                let start = index
                while index < count, !isFieldSeparator(bytes[index]) { index += 1 }
                result.append(string(bytes, start, index))
            }
            return result
        }
    }

    /// The first field of `text` and everything after the blanks that follow it, verbatim.
    ///
    /// Used where the remainder is free-form (fmtp parameters, rtcp-fb parameters, ssrc attribute
    /// values) and must survive a round trip unchanged.
    static func firstField(of text: String) -> (first: String, rest: String) {
        withBytes(text) { bytes, count in
            var index = 0
            while index < count, isFieldSeparator(bytes[index]) { index += 1 }
            let start = index
            while index < count, !isFieldSeparator(bytes[index]) { index += 1 }
            let end = index
            while index < count, isFieldSeparator(bytes[index]) { index += 1 }
            return (string(bytes, start, end), string(bytes, index, count))
        }
    }

    /// Splits at the first occurrence of the ASCII `separator`; `after` is nil when it does not occur.
    static func split(_ text: String, atFirst separator: Unicode.Scalar) -> (before: String, after: String?) {
        guard separator.isASCII else { return (text, nil) }
        let target = UInt8(separator.value)
        return withBytes(text) { bytes, count in
            var index = 0
            while index < count, bytes[index] != target { index += 1 }
            guard index < count else { return (text, nil) }
            return (string(bytes, 0, index), string(bytes, index + 1, count))
        }
    }

    /// All pieces between occurrences of the ASCII `separator`, empty ones included.
    static func pieces(_ text: String, separatedBy separator: Unicode.Scalar) -> [String] {
        guard separator.isASCII else { return [text] }
        let target = UInt8(separator.value)
        return withBytes(text) { bytes, count in
            var result: [String] = []
            var start = 0
            for index in 0...count where index == count || bytes[index] == target {
                result.append(string(bytes, start, index))
                start = index + 1
            }
            return result
        }
    }

    /// `text` without leading and trailing blanks.
    static func trimmed(_ text: String) -> String {
        withBytes(text) { bytes, count in
            var start = 0, end = count
            while start < end, isFieldSeparator(bytes[start]) { start += 1 }
            while end > start, isFieldSeparator(bytes[end - 1]) { end -= 1 }
            return string(bytes, start, end)
        }
    }

    /// A decimal number made of ASCII digits only.
    ///
    /// `FixedWidthInteger.init(_:)` alone would also accept a leading `+`, which SDP never allows
    /// and which would not survive a round trip.
    static func decimal<Number: FixedWidthInteger & UnsignedInteger>(_ text: String, as _: Number.Type = Number.self) -> Number? {
        decimal(text).flatMap { Number(exactly: $0) }
    }

    private static func decimal(_ text: String) -> UInt64? {
        withBytes(text) { bytes, count in
            guard count > 0 else { return nil }
            var value: UInt64 = 0
            for index in 0..<count {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
                let (sum, carry) = shifted.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                guard !overflow, !carry else { return nil }
                value = sum
            }
            return value
        }
    }

    /// A shortened excerpt of input for error messages.
    static func excerpt(_ text: String, limit: Int = 60) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > limit else { return text }
        return String(Substring(scalars.prefix(limit))) + "…"
    }

    /// Calls `body` with the UTF-8 bytes of `text` and their count. An empty string is passed as a
    /// pointer to a single zero byte with a count of 0, so `body` never sees a nil pointer.
    private static func withBytes<Result>(_ text: String, _ body: (UnsafePointer<UInt8>, Int) -> Result) -> Result {
        var text = text
        return text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return withUnsafePointer(to: UInt8(0)) { body($0, 0) } }
            return body(base, buffer.count)
        }
    }

    /// The bytes in `start..<end` as a string; the bounds are at ASCII bytes, so the slice is
    /// valid UTF-8 whenever the whole was.
    private static func string(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> String {
        end > start ? String(decoding: UnsafeBufferPointer(start: bytes + start, count: end - start), as: UTF8.self) : ""
    }
}
