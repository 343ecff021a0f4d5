import Foundation

extension S3Configuration {
    /// The configuration an AWS SDK would use, by the SDKs' rules, so that deployments' existing
    /// secrets just work:
    /// - profile: `profile`, else `AWS_PROFILE`, else `default`;
    /// - credentials: `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`), else
    ///   the profile's `aws_access_key_id` / `aws_secret_access_key` / `aws_session_token` in the
    ///   credentials file (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`), else in
    ///   the config file (`AWS_CONFIG_FILE`, default `~/.aws/config`);
    /// - region: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, else `us-east-1`;
    /// - endpoint: `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, the profile's `s3.endpoint_url`
    ///   or `endpoint_url`, else AWS's;
    /// - addressing: the profile's `s3.addressing_style` (`path` or `virtual`), else the default
    ///   for the endpoint (see `init`).
    /// Neither instance metadata nor SSO nor `credential_process` is consulted.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, profile: String? = nil
    ) throws -> S3Configuration {
        func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let home = variable("HOME") ?? NSHomeDirectory()
        func path(_ variableName: String, default relative: String) -> String {
            let path = variable(variableName) ?? "~/\(relative)"
            return path.hasPrefix("~/") ? home + path.dropFirst() : path
        }
        let profileName = profile ?? variable("AWS_PROFILE") ?? "default"
        let credentialsPath = path("AWS_SHARED_CREDENTIALS_FILE", default: ".aws/credentials")
        let configPath = path("AWS_CONFIG_FILE", default: ".aws/config")
        let fromCredentialsFile = try AWSSharedConfigFile(contentsOf: credentialsPath).profile(profileName, isConfigFile: false) ?? [:]
        let fromConfigFile = try AWSSharedConfigFile(contentsOf: configPath).profile(profileName, isConfigFile: true) ?? [:]

        let credentials: SigV4Credentials
        if let key = variable("AWS_ACCESS_KEY_ID"), let secret = variable("AWS_SECRET_ACCESS_KEY") {
            credentials = SigV4Credentials(accessKeyID: key, secretAccessKey: secret, sessionToken: variable("AWS_SESSION_TOKEN"))
        } else if let found = [fromCredentialsFile, fromConfigFile].lazy.compactMap(Self.credentials(in:)).first {
            credentials = found
        } else {
            throw S3ConfigurationError.missingCredentials(
                profile: profileName, credentialsFile: credentialsPath, configFile: configPath)
        }

        let region = variable("AWS_REGION") ?? variable("AWS_DEFAULT_REGION") ?? fromConfigFile["region"] ?? "us-east-1"
        var endpoint: URL?
        if let text = variable("AWS_ENDPOINT_URL_S3") ?? variable("AWS_ENDPOINT_URL")
            ?? fromConfigFile["s3.endpoint_url"] ?? fromConfigFile["endpoint_url"] {
            guard let url = URL(string: text), ["http", "https"].contains(url.scheme), url.host?.isEmpty == false else {
                throw S3ConfigurationError.invalidEndpoint(text)
            }
            endpoint = url
        }
        let addressing: S3Addressing? = switch fromConfigFile["s3.addressing_style"] {
        case "path": .pathStyle
        case "virtual": .virtualHosted
        default: nil
        }
        return S3Configuration(region: region, credentials: credentials, endpoint: endpoint, addressing: addressing)
    }

    private static func credentials(in profile: [String: String]) -> SigV4Credentials? {
        guard let key = profile["aws_access_key_id"], let secret = profile["aws_secret_access_key"] else { return nil }
        return SigV4Credentials(accessKeyID: key, secretAccessKey: secret, sessionToken: profile["aws_session_token"])
    }
}
