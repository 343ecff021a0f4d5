import ArgumentParser
import Foundation

@main
struct Tapedeck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tapedeck",
        abstract: "A headless WebRTC recording bot: joins rooms as a peer and writes playable files.",
        discussion: """
            Every option can also be set from the environment: TAPEDECK_ and its long name upper-cased, \
            with _ for - (--rtc-udp-port is TAPEDECK_RTC_UDP_PORT; repeatable options comma-separated, \
            flags true or false); the command line wins. NAME_FILE=path reads any of them, or a secret \
            such as TAPEDECK_API_TOKEN, from a file; TAPEDECK_ENV_FILE=path reads KEY=value lines.
            """,
        version: TapedeckVersion.current,
        subcommands: [SignalCommand.self, JoinCommand.self, RecordCommand.self, RenderCommand.self, PublishCommand.self, RecipesCommand.self,
                      ServeCommand.self, WorkerCommand.self, RecordingsCommand.self])

    /// argument-parser's `main`, with the environment's settings added first (see
    /// `EnvironmentArguments`); a refused command line also names the variables it came from.
    static func main() async {
        let expanded: EnvironmentArguments
        do throws(ConfigurationError) {
            let environment = try await ConfigurationEnvironment()
            try EnvironmentOnlySettings.export(from: environment)
            expanded = try EnvironmentArguments(root: self, arguments: Array(CommandLine.arguments.dropFirst()),
                                                environment: environment)
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            Foundation.exit(64)  // EX_USAGE, as argument-parser exits for a bad command line
        }
        var command: any ParsableCommand
        do {
            command = try await asyncParseAsRoot(expanded.arguments)
        } catch {
            let code = exitCode(for: error)
            if let provenance = expanded.provenance, code != .success {
                FileHandle.standardError.write(Data("\(fullMessage(for: error))\n\(provenance)\n".utf8))
                Foundation.exit(code.rawValue)
            }
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
