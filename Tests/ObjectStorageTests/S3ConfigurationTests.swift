import Foundation
import ObjectStorage
import Testing

@Suite("S3Configuration from the AWS SDKs' environment and files")
struct S3ConfigurationTests {
    /// A home directory of its own with `.aws/credentials` and `.aws/config` as given.
    struct Home {
        let directory: TemporaryDirectory
        var environment: [String: String]

        init(credentials: String? = nil, config: String? = nil) throws {
            directory = try TemporaryDirectory()
            let aws = directory.url.appendingPathComponent(".aws")
            try FileManager.default.createDirectory(at: aws, withIntermediateDirectories: true)
            if let credentials { try credentials.write(to: aws.appendingPathComponent("credentials"), atomically: true, encoding: .utf8) }
            if let config { try config.write(to: aws.appendingPathComponent("config"), atomically: true, encoding: .utf8) }
            environment = ["HOME": directory.url.path]
        }
    }

    @Test("environment variables come first, and without an endpoint AWS is addressed virtual-hosted")
    func environmentVariables() throws {
        var home = try Home(credentials: "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = filesecret\n")
        defer { home.directory.remove() }
        home.environment.merge([
            "AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "envsecret", "AWS_SESSION_TOKEN": "token",
            "AWS_REGION": "eu-central-1", "AWS_DEFAULT_REGION": "us-west-2",
        ]) { $1 }
        let configuration = try S3Configuration.fromEnvironment(home.environment)
        #expect(configuration.credentials == SigV4Credentials(accessKeyID: "ENVKEY", secretAccessKey: "envsecret", sessionToken: "token"))
        #expect(configuration.region == "eu-central-1")
        #expect(configuration.endpoint.absoluteString == "https://s3.eu-central-1.amazonaws.com")
        #expect(configuration.addressing == .virtualHosted)
    }

    @Test("AWS_ENDPOINT_URL_S3 wins over AWS_ENDPOINT_URL, and a custom endpoint is addressed path-style")
    func endpoints() throws {
        var home = try Home()
        defer { home.directory.remove() }
        home.environment.merge([
            "AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s", "AWS_DEFAULT_REGION": "auto",
            "AWS_ENDPOINT_URL": "http://general:4566", "AWS_ENDPOINT_URL_S3": "http://minio:9000",
        ]) { $1 }
        let configuration = try S3Configuration.fromEnvironment(home.environment)
        #expect(configuration.endpoint.absoluteString == "http://minio:9000")
        #expect(configuration.region == "auto")
        #expect(configuration.addressing == .pathStyle)

        home.environment["AWS_ENDPOINT_URL_S3"] = nil
        #expect(try S3Configuration.fromEnvironment(home.environment).endpoint.absoluteString == "http://general:4566")
        home.environment["AWS_ENDPOINT_URL"] = "minio:9000"
        #expect(throws: S3ConfigurationError.invalidEndpoint("minio:9000")) {
            try S3Configuration.fromEnvironment(home.environment)
        }
    }

    @Test("the shared files: a named profile, [profile name] in config, nested s3 settings, comments")
    func sharedFiles() throws {
        var home = try Home(
            credentials: """
                # ci's key
                [default]
                aws_access_key_id = DEFAULTKEY
                aws_secret_access_key = defaultsecret

                [archive]
                aws_access_key_id=ARCHIVEKEY
                aws_secret_access_key = archive/secret+key
                aws_session_token = archivetoken
                """,
            config: """
                [default]
                region = us-west-2
                [profile archive]
                ; R2
                region = auto
                s3 =
                  endpoint_url = https://account.r2.cloudflarestorage.com
                  addressing_style = virtual
                """)
        defer { home.directory.remove() }

        let standard = try S3Configuration.fromEnvironment(home.environment)
        #expect(standard.credentials.accessKeyID == "DEFAULTKEY")
        #expect(standard.region == "us-west-2")

        home.environment["AWS_PROFILE"] = "archive"
        let archive = try S3Configuration.fromEnvironment(home.environment)
        #expect(archive.credentials == SigV4Credentials(
            accessKeyID: "ARCHIVEKEY", secretAccessKey: "archive/secret+key", sessionToken: "archivetoken"))
        #expect(archive.region == "auto")
        #expect(archive.endpoint.absoluteString == "https://account.r2.cloudflarestorage.com")
        #expect(archive.addressing == .virtualHosted)
        #expect(try S3Configuration.fromEnvironment(home.environment, profile: "default").credentials.accessKeyID == "DEFAULTKEY")
    }

    @Test("AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE move the files; keys may live in config")
    func filesElsewhere() throws {
        var home = try Home()
        defer { home.directory.remove() }
        let config = home.directory.url.appendingPathComponent("elsewhere.ini")
        try "[profile x]\naws_access_key_id = CONFIGKEY\naws_secret_access_key = s\nregion = ap-south-1\n"
            .write(to: config, atomically: true, encoding: .utf8)
        home.environment["AWS_CONFIG_FILE"] = config.path
        home.environment["AWS_SHARED_CREDENTIALS_FILE"] = home.directory.url.appendingPathComponent("none").path
        let configuration = try S3Configuration.fromEnvironment(home.environment, profile: "x")
        #expect(configuration.credentials.accessKeyID == "CONFIGKEY")
        #expect(configuration.region == "ap-south-1")
    }

    @Test("no credentials anywhere: the error says where it looked")
    func missing() throws {
        let home = try Home()
        defer { home.directory.remove() }
        let error = #expect(throws: S3ConfigurationError.self) { try S3Configuration.fromEnvironment(home.environment) }
        #expect(error?.description.contains("AWS_ACCESS_KEY_ID") == true)
        #expect(error?.description.contains(home.directory.url.path + "/.aws/credentials") == true)
    }

    @Test("storage URLs", arguments: [
        ("s3://recordings", "recordings", ""),
        ("s3://recordings/", "recordings", ""),
        ("s3://recordings/team-a", "recordings", "team-a/"),
        ("s3://my.bucket-1/team a/2026/", "my.bucket-1", "team a/2026/"),
    ])
    func storageURL(text: String, bucket: String, prefix: String) throws {
        let url = try S3StorageURL(parsing: text)
        #expect(url.bucket == bucket && url.prefix == prefix)
        #expect(url.key(for: "x.webm") == prefix + "x.webm")
    }

    @Test("storage URLs refused", arguments: ["https://bucket/x", "s3://", "s3:///prefix", "s3://UPPER/x", "s3://ab", "s3://bücket"])
    func badStorageURL(text: String) {
        #expect(throws: S3ConfigurationError.self) { try S3StorageURL(parsing: text) }
    }
}
