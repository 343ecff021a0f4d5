/// Why a file of a job could not be put where the job asked: the job fails with this, and its
/// local files stay where they are.
struct OutputDeliveryError: Error, CustomStringConvertible {
    /// The file, relative to the job's folder.
    var file: String
    /// `s3://bucket/key`.
    var destination: String
    var reason: String

    var description: String { "cannot upload \(file) to \(destination): \(reason)" }
}
