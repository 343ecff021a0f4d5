import Foundation

/// Settings that are environment variables and not options (secrets that must stay off command
/// lines, and the AWS SDKs' conventions). The code that uses them reads the process's
/// environment, so values from the dotenv file or from `…_FILE` are placed there at start,
/// before any thread exists (setenv is not thread-safe).
enum EnvironmentOnlySettings {
    /// Ours: each may also come from `NAME_FILE`.
    static let tapedeck = [
        "TAPEDECK_API_TOKEN", "TAPEDECK_WEBHOOK_SECRET", "TAPEDECK_SIGNAL_TOKEN_SECRET", "TAPEDECK_SIGNAL_TOKEN", "TAPEDECK_URL",
    ]
    /// The AWS SDKs' names, from the environment or the dotenv file (files follow AWS's own
    /// convention instead: AWS_SHARED_CREDENTIALS_FILE).
    static let aws = [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE",
    ]

    static func export(from environment: ConfigurationEnvironment) throws(ConfigurationError) {
        for name in tapedeck {
            if let value = try environment.value(name) { setenv(name, value, 1) }
        }
        for name in aws where getenv(name) == nil {
            // No `_FILE` here: AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE are names of their own.
            if let value = environment.valueWithoutFileIndirection(name) { setenv(name, value, 1) }
        }
    }
}
