import ArgumentParser
import Foundation

/// The command line with the options the environment gives added: `TAPEDECK_RTC_UDP_PORT=7882`
/// is `--rtc-udp-port 7882` for any command that has that option, unless the command line gives
/// it (the command line wins). Repeatable options take comma-separated values, flags `true` or
/// `false`. The arguments are built in the process, so values read from `…_FILE` secrets never
/// reach `/proc/PID/cmdline`.
struct EnvironmentArguments {
    /// The arguments to parse.
    var arguments: [String]
    /// Which variables gave which options: named when the parse fails, so that a bad value is
    /// traced to its variable (values are never printed: they may be secrets).
    var sources: [(variable: String, option: String)] = []

    init(root: any ParsableCommand.Type, arguments given: [String], environment: ConfigurationEnvironment) throws(ConfigurationError) {
        let command = CommandOptionNames(root: root, arguments: given)
        let typed = given[command.insertionIndex...]
        var added: [String] = []
        for (long, kind) in command.options.sorted(by: { $0.key < $1.key }) where !command.isGiven(long, in: typed) {
            let variable = ConfigurationEnvironment.variable(forOption: long)
            // Empty is unset: compose's `${VAR:-}` and an env file's `VAR=` give empty strings.
            guard let value = try environment.value(variable), !value.isEmpty else { continue }
            switch kind {
            case .flag:
                switch value.lowercased() {
                case "true", "1", "yes", "on": added.append("--\(long)")
                case "false", "0", "no", "off": continue
                default: throw ConfigurationError("\(variable)=\(value): expected true or false (the flag --\(long))")
                }
            case .option(repeating: true):
                for item in value.split(separator: ",") {
                    added += ["--\(long)", item.trimmingCharacters(in: .whitespaces)]
                }
            case .option(repeating: false):
                added += ["--\(long)", value]
            }
            sources.append((variable, "--\(long)"))
        }
        arguments = Array(given[..<command.insertionIndex]) + added + Array(typed)
    }

    /// Said after a refused command line: which options came from where.
    var provenance: String? {
        guard !sources.isEmpty else { return nil }
        return "Options from the environment: " + sources.map { "\($0.variable) (\($0.option))" }.joined(separator: ", ")
    }
}
