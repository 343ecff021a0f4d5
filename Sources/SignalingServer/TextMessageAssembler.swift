import NIOCore
import WSCore

/// Joins WebSocket frames into text messages, refusing any message over the size limit without
/// closing the connection: the client gets an error and can carry on.
struct TextMessageAssembler {
    enum Outcome: Equatable {
        case message(String)
        case tooLarge(bytes: Int)
        case binary
        case invalidUTF8
        /// A continuation frame with no message started.
        case strayContinuation
        case pending
    }

    let limit: Int
    private var buffer: ByteBuffer?
    private var size = 0
    private var isBinary = false
    private var inMessage = false

    init(limit: Int) {
        self.limit = limit
    }

    mutating func consume(_ opcode: WebSocketDataFrame.Opcode, _ data: ByteBuffer, fin: Bool) -> Outcome {
        if opcode == .continuation {
            guard inMessage else { return .strayContinuation }
        } else {
            buffer = nil
            size = 0
            isBinary = opcode == .binary
            inMessage = true
        }
        size += data.readableBytes
        if size <= limit, !isBinary {
            var data = data
            if buffer == nil { buffer = data } else { buffer!.writeBuffer(&data) }
        } else {
            buffer = nil
        }
        guard fin else { return .pending }
        defer {
            buffer = nil
            size = 0
            inMessage = false
        }
        if isBinary { return .binary }
        if size > limit { return .tooLarge(bytes: size) }
        guard let buffer, let text = String(validatingUTF8Bytes: buffer.readableBytesView) else {
            return size == 0 ? .message("") : .invalidUTF8
        }
        return .message(text)
    }
}

extension String {
    fileprivate init?(validatingUTF8Bytes bytes: ByteBufferView) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        self = text
    }
}
