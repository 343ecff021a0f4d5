import ArgumentParser

@main
struct Tapedeck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tapedeck",
        abstract: "A headless WebRTC recording bot: joins rooms as a peer and writes playable files.",
        version: TapedeckVersion.current,
        subcommands: [SignalCommand.self, JoinCommand.self, RecordCommand.self, PublishCommand.self, RecipesCommand.self,
                      ServeCommand.self, WorkerCommand.self, RecordingsCommand.self])
}
