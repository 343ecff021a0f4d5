import ArgumentParser

struct SignalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signal",
        abstract: "Run the reference WebSocket room signaling server, or mint room tokens for it.",
        subcommands: [SignalServeCommand.self, SignalTokenCommand.self],
        defaultSubcommand: SignalServeCommand.self)
}
