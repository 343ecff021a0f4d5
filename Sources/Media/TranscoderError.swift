/// Why a `VideoTranscoder` or `AudioTranscoder` could not be made or could not go on: the
/// operation, and the cause — libav's own message (av_strerror) when libav reported it.
///
/// Undecodable input is not an error: a transcoder counts it and skips it (see its
/// statistics). These are faults of the setup or of libav itself.
public struct TranscoderError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// The transcoder does not take this codec as input; `accepted` lists what it takes.
        case unsupportedInput(MediaCodec, accepted: [MediaCodec])
        /// This libav was built without the named decoder or encoder (e.g. "libx264").
        case codecUnavailable(String)
        /// A setting out of range, or one the codec did not take; the text says which.
        case invalidSettings(String)
        /// A decoder gave what the transcoder cannot take on (a pixel or sample format, a size);
        /// the text says what.
        case unexpectedDecoderOutput(String)
        /// libav failed with this AVERROR code and message.
        case libav(code: Int32, message: String)
        /// `transcode` or `flush` after `flush`.
        case finished
    }

    /// What was being done, e.g. "open libx264 encoder", "avcodec_send_frame".
    public var operation: String
    public var reason: Reason

    public init(operation: String, reason: Reason) {
        self.operation = operation
        self.reason = reason
    }

    /// A libav failure, with libav's text for the code.
    init(operation: String, code: Int32) {
        self.init(operation: operation, reason: .libav(code: code, message: LibavStatus.message(code)))
    }

    public var description: String {
        let cause: String
        switch reason {
        case .unsupportedInput(let codec, let accepted):
            cause = "\(codec.rawValue) is not an input it takes (it takes \(accepted.map(\.rawValue).joined(separator: ", ")))"
        case .codecUnavailable(let name): cause = "this libavcodec has no \(name)"
        case .invalidSettings(let why): cause = why
        case .unexpectedDecoderOutput(let what): cause = what
        case .libav(let code, let message): cause = "\(message) (AVERROR \(code))"
        case .finished: cause = "the transcoder was already flushed"
        }
        return "\(operation) failed: \(cause)"
    }
}
