import Configuration
import Foundation
import SystemPackage

/// Where `TAPEDECK_…` settings come from, first match wins: the process's environment, then the
/// dotenv file `TAPEDECK_ENV_FILE` names (swift-configuration reads it). Any setting may instead
/// be read from a file: `NAME_FILE=/run/secrets/x` gives NAME the file's contents (Docker and
/// Kubernetes secrets), so that no secret needs to be on a command line or in `docker inspect`.
struct ConfigurationEnvironment {
    static let prefix = "TAPEDECK_"
    static let environmentFileVariable = "TAPEDECK_ENV_FILE"

    private let process: EnvironmentVariablesProvider
    private let file: EnvironmentVariablesProvider?

    init(process environment: [String: String] = ProcessInfo.processInfo.environment) async throws(ConfigurationError) {
        process = EnvironmentVariablesProvider(environmentVariables: environment)
        guard let path = environment[Self.environmentFileVariable], !path.isEmpty else {
            file = nil
            return
        }
        do {
            file = try await EnvironmentVariablesProvider(environmentFilePath: FilePath(path))
        } catch {
            throw ConfigurationError("\(Self.environmentFileVariable)=\(path): cannot read the file (\(error))")
        }
    }

    /// The variable's value: given directly (environment, then the dotenv file), or read from
    /// the file `NAME_FILE` names, without its trailing newline. Both at once is refused: which
    /// one is meant cannot be guessed.
    func value(_ name: String) throws(ConfigurationError) -> String? {
        let direct = valueWithoutFileIndirection(name)
        guard let path = valueWithoutFileIndirection(name + "_FILE"), !path.isEmpty else { return direct }
        guard direct == nil else {
            throw ConfigurationError("both \(name) and \(name)_FILE are set: keep one")
        }
        do {
            var contents = try String(contentsOfFile: path, encoding: .utf8)
            while contents.last == "\n" || contents.last == "\r" { contents.removeLast() }
            return contents
        } catch {
            throw ConfigurationError("\(name)_FILE=\(path): cannot read the file (\(error.localizedDescription))")
        }
    }

    /// The variable as given, environment first; `NAME_FILE` is not consulted.
    func valueWithoutFileIndirection(_ name: String) -> String? {
        (try? process.environmentValue(forName: name)) ?? file.flatMap { try? $0.environmentValue(forName: name) }
    }

    /// `TAPEDECK_` and the option's long name, upper-cased, `-` as `_`: `--rtc-udp-port` is
    /// `TAPEDECK_RTC_UDP_PORT`.
    static func variable(forOption long: String) -> String {
        prefix + long.uppercased().replacingOccurrences(of: "-", with: "_")
    }
}

/// A setting from the environment that cannot be used; says which variable and why.
struct ConfigurationError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
