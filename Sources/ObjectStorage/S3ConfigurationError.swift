/// Why no `S3Configuration` could be made from the environment and the shared files.
public enum S3ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingCredentials(profile: String, credentialsFile: String, configFile: String)
    case invalidEndpoint(String)
    case invalidStorageURL(String, reason: String)

    public var description: String {
        switch self {
        case let .missingCredentials(profile, credentialsFile, configFile):
            "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give profile \(profile) "
                + "aws_access_key_id and aws_secret_access_key in \(credentialsFile) or \(configFile)"
        case let .invalidEndpoint(endpoint):
            "invalid S3 endpoint URL \(endpoint): it needs a scheme (http or https) and a host"
        case let .invalidStorageURL(url, reason):
            "invalid storage URL \(url): \(reason) (expected s3://bucket or s3://bucket/prefix)"
        }
    }
}
