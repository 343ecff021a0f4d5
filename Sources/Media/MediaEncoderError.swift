/// Why an encoder could not be set up or could not encode: the library call and its message.
public struct MediaEncoderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The call that failed, e.g. "vpx_codec_enc_init", or "configure" for a bad setting.
    public var operation: String
    public var message: String

    public init(operation: String, message: String) {
        self.operation = operation
        self.message = message
    }

    public var description: String { "\(operation) failed: \(message)" }
}
