import Foundation
import Media

/// What a file name template's placeholders stand for, for one output file. The strings come
/// from outside (room names, participant ids from the signaling server, track ids from SDP), so
/// `FileNameTemplate` sanitizes each before it becomes part of a path.
public struct FileNameValues: Sendable, Hashable {
    public var room: String
    public var participant: String
    /// The track's id (its MID or track identifier); only per-track files have one.
    public var track: String?
    /// Only per-track files have one.
    public var kind: MediaKind?
    /// When the recording (or the segment) started; rendered in UTC.
    public var time: Date

    public init(room: String, participant: String, track: String? = nil, kind: MediaKind? = nil, time: Date) {
        self.room = room
        self.participant = participant
        self.track = track
        self.kind = kind
        self.time = time
    }
}
