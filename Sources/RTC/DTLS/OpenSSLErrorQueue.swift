internal import COpenSSL

/// OpenSSL reports failures through a per-thread error queue. Clear it before a call whose errors
/// we want to read, and drain it after, so one connection's errors never surface in another's.
enum OpenSSLErrorQueue {
    static func clear() {
        ERR_clear_error()
    }

    /// The queued errors as one line, oldest first ("" if none), leaving the queue empty.
    static func drain() -> String {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            let text = buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
            messages.append(String(decoding: text, as: UTF8.self))
        }
        return messages.joined(separator: "; ")
    }
}
