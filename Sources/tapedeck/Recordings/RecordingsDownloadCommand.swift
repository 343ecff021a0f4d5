import ArgumentParser
import Foundation
import Jobs
import NIOHTTP1

/// `tapedeck recordings download ID`: every output and the manifest, through the files routes.
struct RecordingsDownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download a recording's files and manifest.",
        discussion: """
            Files go to --output (default ./ID), under the names the recording lists. A file is \
            written as NAME.partial and renamed when complete; run again after an interruption and \
            each .partial file is resumed with a Range request where it stopped.
            """)

    @OptionGroup var client: RecordingsClientOptions
    @Argument(help: "The recording's id.") var id: String
    @Option(help: "The directory to write to (default: ./ID).") var output: String?

    func run() async throws {
        let directory = URL(fileURLWithPath: output ?? id)
        try await client.withClient { api in
            let job = try RecordingTable.decodeJob(try await api.json(.GET, "/v1/recordings/\(RecordingPath.escaped(id))"))
            let base = "/v1/recordings/\(RecordingPath.escaped(id))"
            var downloaded: [(name: String, bytes: Int64)] = []
            for output in job.outputs {
                guard JobFilesPurger.isContained(relativePath: output.path) else {
                    throw RecordingsAPIError(message: "the server lists a file named \"\(output.path)\", which would be written "
                                             + "outside \(directory.path); not downloading it")
                }
                let bytes = try await ResumableDownload(api: api, path: "\(base)/files/\(RecordingPath.escapedFileName(output.path))",
                                                        destination: directory.appendingPathComponent(output.path)).run()
                downloaded.append((output.path, bytes))
            }
            // The manifest last, and whole: it is small, and it describes the files as they now are.
            let manifest = try await ResumableDownload(api: api, path: "\(base)/manifest",
                                                       destination: directory.appendingPathComponent("manifest.json"),
                                                       resume: false).run()
            downloaded.append(("manifest.json", manifest))
            if client.json {
                let listed = downloaded.map { ["name": $0.name, "bytes": $0.bytes, "path": directory.appendingPathComponent($0.name).path] as [String: Any] }
                let data = try JSONSerialization.data(withJSONObject: ["id": id, "directory": directory.path, "files": listed],
                                                      options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                for file in downloaded { print("\(directory.appendingPathComponent(file.name).path)  \(file.bytes) bytes") }
            }
        }
    }
}
