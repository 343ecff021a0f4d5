import ArgumentParser

/// `tapedeck recordings …`: a client of the REST API, for people and scripts.
struct RecordingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recordings",
        abstract: "Start, list, inspect, stop, cancel and download recordings through a `tapedeck serve` API.",
        discussion: """
            The server is --server or $TAPEDECK_URL (default http://127.0.0.1:8080); the token is \
            --token or $TAPEDECK_API_TOKEN. --json prints the API's JSON; otherwise a short table. \
            An error prints the server's explanation and exits with status 1.
            """,
        subcommands: [RecordingsStartCommand.self, RecordingsListCommand.self, RecordingsGetCommand.self,
                      RecordingsStopCommand.self, RecordingsCancelCommand.self, RecordingsDownloadCommand.self])
}
