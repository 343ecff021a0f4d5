import Foundation
import HTTPTypes
import Hummingbird
import Jobs
import NIOCore

/// The files routes: a recording's manifest and outputs, streamed from the data directory with
/// Range support, or a redirect to where they were delivered once the local copy is gone.
extension RecordingsAPI {
    func getManifest(_ id: String, _ request: Request, _ context: some RequestContext) async throws -> Response {
        let (job, files) = try await jobAndFiles(id)
        return try await serve(.manifest, of: job, from: files, request, context)
    }

    func getFile(_ id: String, _ request: Request, _ context: some RequestContext) async throws -> Response {
        let name = try Self.fileName(in: request.uri.path, id: id)
        let (job, files) = try await jobAndFiles(id)
        guard let output = job.outputs.first(where: { $0.path == name }) else {
            throw APIProblem.fileNotFound(id, name: name, outputs: job.outputs.map(\.path))
        }
        return try await serve(.output(output), of: job, from: files, request, context)
    }

    /// The output's name from the request path (everything after `/files/`), percent-decoded, so
    /// `alice/camera.webm` and `alice%2Fcamera.webm` name the same file. Only a path that stays
    /// inside the recording's folder can be a name; which names exist, the job's outputs say.
    static func fileName(in path: String, id: String) throws(APIProblem) -> String {
        let prefix = "/v1/recordings/\(id)/files/"
        let raw = path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : ""
        guard let name = raw.removingPercentEncoding else {
            throw .invalidFileName(raw, "its percent-encoding does not decode to UTF-8")
        }
        guard JobFilesPurger.isContained(relativePath: name) else {
            throw .invalidFileName(name, "a file is named by its path in the recording's folder, as the recording's "
                                   + "outputs list it: not absolute, and without empty, . or .. components")
        }
        return name
    }

    private func jobAndFiles(_ id: String) async throws -> (RecordingJob, RecordingFileAccess) {
        guard let job = try await store.job(id: id) else { throw APIProblem.recordingNotFound(id) }
        guard let files else {
            throw APIProblem.fileUnavailable(id, why: "this server was started without a data directory, so it serves no files")
        }
        return (job, files)
    }

    /// The local copy if there is one; else a redirect to the delivered copy; else why neither.
    private func serve(_ file: RecordingFile, of job: RecordingJob, from files: RecordingFileAccess, _ request: Request,
                       _ context: some RequestContext) async throws -> Response {
        if let folder = files.purger.localFolder(of: job) {
            let path = (folder as NSString).appendingPathComponent(file.path)
            if let size = Self.regularFileSize(path) {
                return try await LocalFileResponse.make(path: path, size: size, contentType: MediaContentType.of(path: file.path),
                                                        request: request, context: context)
            }
        }
        if Self.mayBeStoredElsewhere(file), let url = try await files.presignedURL(job, file) {
            return Response(status: .temporaryRedirect,
                            headers: [.location: url.absoluteString, .cacheControl: "no-store", .contentLength: "0"])
        }
        throw Self.whyUnavailable(file, of: job, dataDirectory: files.dataDirectory)
    }

    /// The manifest is delivered with every recording; an output only once it has a `location`.
    private static func mayBeStoredElsewhere(_ file: RecordingFile) -> Bool {
        switch file {
        case .manifest: true
        case .output(let output): output.location != nil
        }
    }

    private static func whyUnavailable(_ file: RecordingFile, of job: RecordingJob, dataDirectory: String) -> APIProblem {
        if let purgedAt = job.filesPurgedAt { return .filesPurged(job.id, at: purgedAt) }
        let what = file == .manifest ? "the manifest of recording \(job.id)" : "file \"\(file.path)\" of recording \(job.id)"
        if job.outputDirectory == nil {
            return .fileUnavailable(job.id, why: "recording \(job.id) has not written any files yet (it is \(job.state.rawValue))")
        }
        if case .output(let output) = file, !output.finished, !job.state.isTerminal {
            return .fileUnavailable(job.id, why: "\(what) is still being written; it can be fetched once its segment ends")
        }
        return .fileUnavailable(job.id, why: "\(what) is not on this server's disk (under \(dataDirectory)) and was not "
                                + "delivered anywhere it can be fetched from: it may be on another worker's disk")
    }

    /// The size of a regular file at `path` (following symbolic links), nil when there is none.
    private static func regularFileSize(_ path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(status.st_size)
    }
}
