import ArgumentParser
import Foundation

/// What every `tapedeck recordings` command takes: which server, its token, and how to print.
struct RecordingsClientOptions: ParsableArguments {
    @Option(help: "The API's URL (default: $TAPEDECK_URL, else http://127.0.0.1:8080).") var server: String?
    @Option(help: "The API's bearer token (default: $TAPEDECK_API_TOKEN).") var token: String?
    @Flag(help: "Print the API's JSON instead of a table.") var json = false

    static let defaultServer = "http://127.0.0.1:8080"

    var serverURL: URL {
        get throws {
            let text = server ?? ProcessInfo.processInfo.environment["TAPEDECK_URL"] ?? Self.defaultServer
            guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("--server: \"\(text)\" is not an http:// or https:// URL")
            }
            return url
        }
    }

    var bearerToken: String? { token ?? ProcessInfo.processInfo.environment["TAPEDECK_API_TOKEN"] }

    /// Runs `body` with a client for the server; an error is printed (the server's `detail`) and
    /// the command exits with status 1.
    func withClient(_ body: (RecordingsAPIClient) async throws -> Void) async throws {
        do {
            try await RecordingsAPIClient.with(server: try serverURL, token: bearerToken, body)
        } catch let error as RecordingsAPIError {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// Prints the API's JSON as it came, or `human` of it.
    func print(_ data: Data, human: (Data) throws -> String) throws {
        let text = json ? String(decoding: data, as: UTF8.self) : try human(data)
        Swift.print(text)
    }
}
