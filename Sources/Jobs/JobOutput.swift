/// One file of the recording, as its manifest lists it.
public struct JobOutput: Codable, Sendable, Equatable {
    /// Relative to the job's output directory.
    public var path: String
    public var kind: JobOutputKind
    /// Whose file it is, and which of their segments; nil for the room's files (its mixed
    /// audio, `speakers.vtt`), which are everyone's. A raw capture is a participant's
    /// connection's, with no segment.
    public var participant: String?
    public var segment: Int?
    public var bytes: Int
    public var finished: Bool
    /// Seconds of media in the file (the longest track).
    public var durationSeconds: Double?
    /// Where the file was uploaded, `s3://bucket/key`, once the object was checked (nil before,
    /// and when the job has no storage).
    public var location: String?

    /// `kind`: by default, as the file's name says (`JobOutputKind(path:)`).
    public init(path: String, kind: JobOutputKind? = nil, participant: String?, segment: Int?, bytes: Int, finished: Bool,
                durationSeconds: Double?, location: String? = nil) {
        self.path = path
        self.kind = kind ?? JobOutputKind(path: path)
        self.participant = participant
        self.segment = segment
        self.bytes = bytes
        self.finished = finished
        self.durationSeconds = durationSeconds
        self.location = location
    }

    enum CodingKeys: String, CodingKey {
        case path, kind, participant, segment, bytes, finished, durationSeconds = "duration_s", location
    }

    /// Jobs stored before outputs had a kind get the one their file's name says.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let path = try container.decode(String.self, forKey: .path)
        self.init(path: path, kind: try container.decodeIfPresent(JobOutputKind.self, forKey: .kind),
                  participant: try container.decodeIfPresent(String.self, forKey: .participant),
                  segment: try container.decodeIfPresent(Int.self, forKey: .segment),
                  bytes: try container.decode(Int.self, forKey: .bytes), finished: try container.decode(Bool.self, forKey: .finished),
                  durationSeconds: try container.decodeIfPresent(Double.self, forKey: .durationSeconds),
                  location: try container.decodeIfPresent(String.self, forKey: .location))
    }
}
