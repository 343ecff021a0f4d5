internal import CFFmpeg
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libav's error codes: their text, and the two that are not failures. AVERROR(EAGAIN) and
/// AVERROR_EOF are function-like macros, which Swift cannot import.
enum LibavStatus {
    /// AVERROR(EAGAIN): the codec wants the other side (more input, or its output taken) first.
    static let tryAgain: Int32 = -EAGAIN
    /// AVERROR_EOF, FFERRTAG('E','O','F',' '): a drained codec has nothing more.
    static let endOfFile: Int32 = -Int32(0x45 | 0x4F << 8 | 0x46 << 16 | 0x20 << 24)

    static func message(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        guard av_strerror(code, &buffer, buffer.count) == 0 else { return "unknown libav error" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension MediaWriterError {
    /// A libav failure, with libav's text for the code.
    init(operation: String, path: String, code: Int32) {
        self.init(operation: operation, path: path, reason: .libav(code: code, message: LibavStatus.message(code)))
    }
}
