import ArgumentParser
import Foundation

/// The long option names and kinds of the command an argument list runs, read from
/// argument-parser's own description of it (`--experimental-dump-help`'s JSON), so that every
/// option — today's and tomorrow's — can be given from the environment without a list kept by hand.
struct CommandOptionNames {
    enum Kind: Equatable {
        case option(repeating: Bool)
        case flag
    }

    /// The subcommand's position in the arguments: options taken from the environment go right
    /// after it, before anything the user typed (which may end in `--` or positional values).
    let insertionIndex: Int
    /// Long name (without `--`) → kind, for every option of the leaf command except help and version.
    let options: [String: Kind]
    /// Every name, short and long, of each option (`-p`, `--port`), to see whether the user gave it.
    let spellings: [String: [String]]

    init(root: any ParsableCommand.Type, arguments: [String]) {
        var command = root
        var index = 0
        // Walk the subcommand names at the front; a parent with a default subcommand runs it
        // when the next word is not one of its subcommands.
        while true {
            let subcommands = command.configuration.subcommands
            if index < arguments.count, let next = subcommands.first(where: { Self.names(of: $0).contains(arguments[index]) }) {
                command = next
                index += 1
            } else if let fallback = command.configuration.defaultSubcommand {
                command = fallback
            } else {
                break
            }
        }
        insertionIndex = index
        var options: [String: Kind] = [:]
        var spellings: [String: [String]] = [:]
        let description = (try? JSONDecoder().decode(DumpedCommand.self, from: Data(command._dumpHelp().utf8)))?.command
        for argument in description?.arguments ?? [] {
            let names = argument.names ?? []
            guard let long = names.first(where: { $0.kind == "long" })?.name, !Self.builtIn.contains(long) else { continue }
            switch argument.kind {
            case "option": options[long] = .option(repeating: argument.isRepeating)
            case "flag": options[long] = .flag
            default: continue
            }
            spellings[long] = names.map { $0.kind == "short" ? "-\($0.name)" : "--\($0.name)" }
        }
        self.options = options
        self.spellings = spellings
    }

    /// Whether the user's own arguments (after the subcommand) already give this option.
    func isGiven(_ long: String, in arguments: ArraySlice<String>) -> Bool {
        let forms = spellings[long] ?? ["--\(long)"]
        return arguments.contains { argument in
            forms.contains { argument == $0 || argument.hasPrefix($0 + "=") } || argument == "--no-\(long)"
        }
    }

    private static let builtIn: Set<String> = ["help", "version", "experimental-dump-help"]

    private static func names(of command: any ParsableCommand.Type) -> [String] {
        [command._commandName] + command.configuration.aliases
    }
}

/// The part of argument-parser's ToolInfoV0 JSON read here (its own decoder is not a public product).
private struct DumpedCommand: Decodable {
    struct Command: Decodable {
        var arguments: [Argument]?
    }
    struct Argument: Decodable {
        var kind: String
        var names: [Name]?
        var isRepeating: Bool
    }
    struct Name: Decodable {
        var kind: String
        var name: String
    }
    var command: Command
}
