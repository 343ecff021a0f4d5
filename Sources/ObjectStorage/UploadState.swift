/// Where a multipart upload of a file stands: what a job store persists so that a process
/// starting after a crash can finish the same upload (`FileUploader.upload(…, resuming:)`)
/// instead of starting over.
public struct UploadState: Sendable, Codable, Equatable {
    public var bucket: String
    public var key: String
    public var uploadID: String
    public var partSize: Int64
    /// The file's size when the upload started; parts of a file that has changed since are useless.
    public var fileSize: Int64
    /// The parts known to be uploaded, by part number. A resume asks the server anyway: a part
    /// may have landed after the last save.
    public var parts: [UploadedPart]

    public init(bucket: String, key: String, uploadID: String, partSize: Int64, fileSize: Int64, parts: [UploadedPart] = []) {
        self.bucket = bucket
        self.key = key
        self.uploadID = uploadID
        self.partSize = partSize
        self.fileSize = fileSize
        self.parts = parts
    }

    /// At least one part: an empty file is one empty part.
    public var partCount: Int { max(1, Int((fileSize + partSize - 1) / partSize)) }

    /// Part numbers start at 1; every part is `partSize` long but the last.
    func byteRange(ofPart partNumber: Int) -> Range<Int64> {
        let start = Int64(partNumber - 1) * partSize
        return start..<min(start + partSize, fileSize)
    }

    var missingPartNumbers: [Int] {
        let done = Set(parts.map(\.partNumber))
        return (1...partCount).filter { !done.contains($0) }
    }

    mutating func record(_ part: UploadedPart) {
        parts.removeAll { $0.partNumber == part.partNumber }
        parts.append(part)
        parts.sort { $0.partNumber < $1.partNumber }
    }
}
