import Foundation
import HTTPTypes
import Jobs

/// The problems of the files routes and of purging: 400 for a file name that could never be an
/// output, 404 for a file the recording does not list or that is not here, 410 for files deleted
/// on purpose, 409 for purging a recording still running, 416 for a range outside the file.
extension APIProblem {
    static func invalidFileName(_ name: String, _ reason: String) -> APIProblem {
        APIProblem(status: .badRequest, slug: "invalid-file-name", title: "Invalid file name",
                   detail: "\"\(name)\" cannot name a recording's file: \(reason)", field: "name")
    }

    static func fileNotFound(_ id: String, name: String, outputs: [String]) -> APIProblem {
        let listed = outputs.isEmpty ? "it lists no files yet" : "its files are \(outputs.joined(separator: ", "))"
        return APIProblem(status: .notFound, slug: "file-not-found", title: "File not found",
                          detail: "recording \(id) has no file \"\(name)\"; \(listed)", field: "name", recordingID: id)
    }

    /// The file is listed but neither here nor anywhere it can be redirected to; `why` says what is known.
    static func fileUnavailable(_ id: String, why: String) -> APIProblem {
        APIProblem(status: .notFound, slug: "file-unavailable", title: "File not available here", detail: why, recordingID: id)
    }

    static func filesPurged(_ id: String, at: Date) -> APIProblem {
        APIProblem(status: .gone, slug: "files-purged", title: "Files deleted",
                   detail: "the files of recording \(id) were deleted at \(RFC3339.string(from: at)), by DELETE ?purge=true "
                       + "or by the --retention-days sweep; the recording's record is kept",
                   recordingID: id)
    }

    static func recordingRunning(_ id: String, state: JobState) -> APIProblem {
        APIProblem(status: .conflict, slug: "recording-running", title: "Recording still running",
                   detail: "recording \(id) is still running (\(state.rawValue)), so its files cannot be purged: "
                       + "cancel it (DELETE without purge), then purge it once it has ended",
                   recordingID: id, state: state)
    }

    static func purgeFailed(_ detail: String) -> APIProblem {
        APIProblem(status: .internalServerError, slug: "purge-failed", title: "Files could not be deleted", detail: detail)
    }

    /// 416, with `Content-Range: bytes */size` as RFC 9110 asks.
    static func rangeNotSatisfiable(_ reason: String, size: Int) -> APIProblem {
        APIProblem(status: .rangeNotSatisfiable, slug: "range-not-satisfiable", title: "Range not satisfiable",
                   detail: "\(reason); the file has \(size) bytes", field: "Range",
                   headers: [.contentRange: "bytes */\(size)"])
    }
}

extension APIProblem {
    /// A render asked of a recording that has nothing to render (yet, or any more).
    static func notRenderable(_ id: String, state: JobState, why: String) -> APIProblem {
        APIProblem(status: .conflict, slug: "recording-not-renderable", title: "Recording cannot be rendered",
                   detail: "recording \(id) cannot be rendered: \(why)", recordingID: id, state: state)
    }
}
