#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a `MediaFileWriter` could not do something: the operation, the file, and the cause —
/// libavformat's own message (av_strerror) when libav reported it.
public struct MediaWriterError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// The container cannot carry this codec (see `MediaContainer.supportedCodecs`).
        case unsupportedCodec(MediaCodec, MediaContainer)
        /// The track description is incomplete or inconsistent; the text says what is missing.
        case invalidTrack(String)
        /// `write` named a track index that was not declared.
        case unknownTrack(Int)
        /// The output or its temporary file already exists; a recorder never overwrites one.
        case fileExists(String)
        /// libav failed with this AVERROR code and message.
        case libav(code: Int32, message: String)
        /// `write` or `finish` after `finish`.
        case finished
        /// `write` or `finish` after `abandon`: the file was closed as it was.
        case abandoned
    }

    /// What was being done, e.g. "avio_open", "av_interleaved_write_frame", "rename".
    public var operation: String
    /// The file being written (its final name).
    public var path: String
    public var reason: Reason

    public init(operation: String, path: String, reason: Reason) {
        self.operation = operation
        self.path = path
        self.reason = reason
    }

    /// The errno behind a libav I/O failure (libav reports them as AVERROR(e) = -e on POSIX).
    public var posixErrorCode: Int32? {
        guard case .libav(let code, _) = reason, code < 0, code > -4_096 else { return nil }
        return -code
    }

    /// The disk (or quota) is full.
    public var isNoSpace: Bool { posixErrorCode == ENOSPC || posixErrorCode == EDQUOT }

    public var description: String {
        let cause: String
        switch reason {
        case .unsupportedCodec(let codec, let container):
            let supported = container.supportedCodecs.map(\.rawValue).sorted().joined(separator: ", ")
            cause = "\(container.rawValue) cannot carry \(codec.rawValue) (it takes \(supported))"
        case .invalidTrack(let why): cause = why
        case .unknownTrack(let index): cause = "no track \(index) was declared"
        case .fileExists(let existing): cause = "\(existing) already exists"
        case .libav(let code, let message): cause = "\(message) (AVERROR \(code))"
        case .finished: cause = "the writer is already finished"
        case .abandoned: cause = "the file was closed as it was, unfinished"
        }
        return "\(operation) failed for \(path): \(cause)"
    }
}
