internal import CFFmpeg

extension MediaWriterError {
    /// A libav failure, with libav's text for the code.
    init(operation: String, path: String, code: Int32) {
        self.init(operation: operation, path: path, reason: .libav(code: code, message: Self.libavMessage(code)))
    }

    static func libavMessage(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        guard av_strerror(code, &buffer, buffer.count) == 0 else { return "unknown libav error" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
