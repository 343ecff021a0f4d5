// swift-tools-version:6.2
import PackageDescription

// Every Tapedeck target builds in the Swift 6 language mode with complete concurrency checking,
// and a warning fails the build: the tree stays warning-free because nothing else keeps it so.
//
// A release build also optimizes across our modules and drops the run-time exclusivity checks.
// The per-packet path crosses four modules (RTCNIO's drivers, RTC's connection, Recorder's feed,
// Media's writers); without cross-module optimization each generic (`DriverState<PeerConnection>`)
// runs unspecialized and each small accessor is a call. The debug build, which every test runs,
// keeps the exclusivity checks, so an overlapping access still fails a test. Together about a
// fifth less CPU per recorded participant at 100 (docs/benchmarks.md).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .treatAllWarnings(as: .error),
    .unsafeFlags(["-cross-module-optimization", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "Tapedeck",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tapedeck", targets: ["tapedeck"]),
        .library(name: "Signaling", targets: ["Signaling"]),
        .library(name: "SignalingServer", targets: ["SignalingServer"]),
        .library(name: "RTC", targets: ["RTC"]),
        .library(name: "Media", targets: ["Media"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.29.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.20.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.6.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.0.0"),
        // Signed room tokens on `tapedeck signal` (JWT, HS256/ES256); needs swift-crypto 4.1 or later.
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        // Settings from the environment and dotenv files (tapedeck's Environment/); no traits needed.
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: []),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.4.0"),
    ],
    targets: [
        // C libraries, imported as system modules. They hold no logic: see Sources/<name>/shim.h.
        .systemLibrary(name: "CSRTP", pkgConfig: "libsrtp2", providers: [.apt(["libsrtp2-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CFFmpeg", pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev",
                              "libswresample-dev", "libavfilter-dev"])]),
        .systemLibrary(name: "COpus", pkgConfig: "opus", providers: [.apt(["libopus-dev"])]),
        .systemLibrary(name: "CVPX", pkgConfig: "vpx", providers: [.apt(["libvpx-dev"])]),
        // What Swift cannot import from those libraries: function-like macros and inline helpers.
        // Apart, so that RTC links OpenSSL alone and no media library.
        .target(name: "CDTLSShims", dependencies: ["COpenSSL"]),
        .target(name: "CMediaShims", dependencies: ["CFFmpeg", "COpus", "CVPX"]),
        // recvmmsg(2), a GNU extension Swift's Glibc does not import, for the shared media port.
        .target(name: "CDatagramBatch"),

        // The WebRTC core, sans-IO: wire formats, SDP, ICE, DTLS, SRTP, the RTP receive pipeline.
        .target(name: "RTC", dependencies: ["COpenSSL", "CSRTP", "CDTLSShims"], swiftSettings: strictSettings),
        // libavformat/libavcodec wrappers: file writers (WebM, fragmented MP4, Ogg), the MP4
        // recipe's transcoders (VP8/VP9 → H.264, Opus → AAC), and the test signal's encoders
        // (libvpx VP8, libopus) for the synthetic publisher. Takes timed frames; knows nothing about RTP.
        .target(name: "Media", dependencies: ["CFFmpeg", "COpus", "CVPX", "CMediaShims"], swiftSettings: strictSettings),
        // The UDP driver: runs sans-IO endpoints on NIO sockets and timers, with TURN over TCP and TLS.
        .target(
            name: "RTCNIO",
            dependencies: [
                "RTC",
                "CDatagramBatch",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // TURN over TLS (`turns:`).
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),

        // Any JSON value: what the room server relays verbatim and what API bodies are read into.
        .target(name: "JSON", swiftSettings: strictSettings),
        .target(
            name: "Signaling",
            dependencies: [
                "JSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ],
            swiftSettings: strictSettings),
        // What the recorder and the publisher share about the peers of a room: the negotiation
        // with each (offers, answers, glare, trickle, reconnects), and a plain relay room's callers.
        .target(name: "PeerSession", dependencies: ["RTC", "Signaling", .product(name: "Logging", package: "swift-log")],
                swiftSettings: strictSettings),
        .target(
            name: "SignalingServer",
            dependencies: [
                "JSON", "Signaling",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings),
        // Benchmark: SRTP unprotect throughput, bare libsrtp beside Tapedeck's session.
        // Benchmarks (`make bench`): SRTP, the receive path and the whole receive pipeline, with
        // heap allocations counted by a malloc interposer that only this executable links.
        .target(name: "CMallocCounter"),
        // Also what the MP4 recipe's transcoding costs, on ffmpeg-encoded input read back by MediaTestSupport.
        .executableTarget(name: "tapedeck-bench", dependencies: ["RTC", "CSRTP", "CMallocCounter", "CDatagramBatch", "Media",
                                                               "MediaTestSupport"],
                          swiftSettings: strictSettings),
        // The raw capture of a connection: pcapng of the decrypted RTP, RTCP and session
        // descriptions (writer, lock-free ring, reader). No dependencies: the fuzzer reads it alone.
        .target(name: "Capture", swiftSettings: strictSettings),
        // One recording: joins a room through Signaling, one PeerConnection per participant; its
        // recipes (YAML, through Yams), output file names and manifest.
        .target(
            name: "Recorder",
            dependencies: [
                "RTC", "RTCNIO", "Signaling", "PeerSession", "Media", "Capture",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings),
        // Recording jobs: the model, its state machine, and the two stores that keep them —
        // SQLite (GRDB, WAL) for one box, PostgreSQL (postgres-nio) for a fleet of workers.
        .target(
            name: "Jobs",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        // Runs jobs: claims them under a lease, records them with `Recording`, delivers their files
        // to object storage, reports progress and outcome to the store, and notifies webhooks;
        // plus the scheduler and the metrics.
        .target(
            name: "Worker",
            dependencies: [
                // Recorder and Jobs only of the media and job modules: the recording's
                // configuration, progress and manifest are the Recorder's own types.
                "Jobs", "Recorder", "ObjectStorage",
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings),
        // `tapedeck publish`: synthetic participants sending one test signal, encoded once.
        .target(
            name: "Publisher",
            dependencies: [
                "RTC", "RTCNIO", "Signaling", "PeerSession", "Media",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),
        // The REST API over a JobStore: validation, routes, problem+json, and its OpenAPI
        // document. Recipes arrive as a lookup, so it does not depend on Recorder; storage URLs
        // are read by ObjectStorage's parser, the one the workers use.
        .target(
            name: "API",
            dependencies: [
                "JSON", "Jobs", "ObjectStorage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The document's source; scripts/embed-openapi compiles it in as OpenAPIDocument.swift.
            exclude: ["openapi.yaml"],
            swiftSettings: strictSettings),
        // S3-compatible object storage: AWS Signature V4 on swift-crypto, an S3 client on
        // AsyncHTTPClient, resumable multipart upload of files, and the AWS SDKs' configuration.
        .target(
            name: "ObjectStorage",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        .executableTarget(
            name: "tapedeck",
            dependencies: [
                "SignalingServer", "Recorder", "Publisher", "Media", "RTC", "RTCNIO", "Signaling", "Jobs", "API", "Worker",
                "ObjectStorage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                // `tapedeck recordings`, the REST API's client.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),

        .testTarget(
            name: "CLibrariesTests",
            dependencies: ["CSRTP", "COpenSSL", "CFFmpeg", "COpus", "CVPX", "CDTLSShims", "CMediaShims", "RTC"],
            swiftSettings: strictSettings),
        // Test-only: reads encoded elementary streams (made by the ffmpeg CLI) back into timed
        // frames, for MediaTests and for the child process its crash test kills.
        .target(name: "MediaTestSupport", dependencies: ["Media", "CFFmpeg"], path: "Tests/MediaTestSupport",
                swiftSettings: strictSettings),
        .executableTarget(name: "media-crash-probe", dependencies: ["Media", "MediaTestSupport"],
                          path: "Tests/media-crash-probe", swiftSettings: strictSettings),
        .testTarget(name: "MediaTests", dependencies: ["Media", "MediaTestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "WorkerTests", dependencies: ["Worker", "Jobs", "Recorder"], swiftSettings: strictSettings),
        // Test-only: the real stores the Jobs and API tests run against, PostgreSQL included.
        .target(name: "JobStoreTestSupport", dependencies: ["Jobs"], path: "Tests/JobStoreTestSupport",
                swiftSettings: strictSettings),
        .testTarget(name: "JobsTests", dependencies: ["Jobs", "JobStoreTestSupport", .product(name: "Logging", package: "swift-log")],
                    swiftSettings: strictSettings),
        // Test-only: a real room server in-process, for the signaling and the recorder tests.
        .target(name: "SignalingTestSupport", dependencies: ["SignalingServer", .product(name: "Logging", package: "swift-log")],
                path: "Tests/SignalingTestSupport", swiftSettings: strictSettings),
        .testTarget(name: "RecorderTests", dependencies: ["Recorder", "Media", "MediaTestSupport", "RTC", "Signaling", "SignalingServer", "SignalingTestSupport"],
                    swiftSettings: strictSettings),
        .testTarget(name: "RTCTests", dependencies: ["RTC"], exclude: ["Fixtures"], swiftSettings: strictSettings),
        .testTarget(name: "CaptureTests", dependencies: ["Capture"], swiftSettings: strictSettings),
        .testTarget(
            name: "APITests",
            dependencies: [
                "API", "JSON", "Jobs", "JobStoreTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ObjectStorageTests",
            dependencies: [
                "ObjectStorage",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            exclude: ["Fixtures", "moto_server.py", "botocore_presign.py"],
            swiftSettings: strictSettings),
        .testTarget(name: "PeerSessionTests", dependencies: ["PeerSession", "RTC", "Signaling"], swiftSettings: strictSettings),
        .testTarget(name: "PublisherTests", dependencies: ["Publisher", "RTC"], swiftSettings: strictSettings),
        .testTarget(
            name: "RTCNIOTests",
            dependencies: [
                "RTC", "RTCNIO", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "SignalingTests",
            dependencies: [
                "JSON", "Signaling", "SignalingServer", "SignalingTestSupport", "PeerSession",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ],
            swiftSettings: strictSettings),
    ]
)

// Coverage-guided fuzzing (`make fuzz`, docs/fuzzing.md): one libFuzzer executable whose
// `FUZZ_TARGET` picks the parser. Declared only when TAPEDECK_FUZZ is set, because it links only
// with `-sanitize=fuzzer`. Only the modules holding the fuzzed parsers are instrumented (coverage
// for libFuzzer, AddressSanitizer), so the dependencies' objects are the debug build's own and a
// fuzz build after `make build` recompiles just those modules. They are optimized: at -Onone the
// standard library's integer, buffer and collection code is called rather than inlined, and so
// escapes both the coverage instrumentation and AddressSanitizer. Testability stays on (a debug
// build), so the harnesses reach internal parsers with @testable import.
if Context.environment["TAPEDECK_FUZZ"] != nil {
    let fuzzing: [SwiftSetting] = [.unsafeFlags(["-sanitize=fuzzer,address", "-O"])]
    let fuzzed: Set<String> = ["RTC", "JSON", "Signaling", "SignalingServer", "API", "Recorder", "Capture"]
    for target in package.targets where fuzzed.contains(target.name) {
        target.swiftSettings = (target.swiftSettings ?? []) + fuzzing
    }
    package.targets += [
        .target(name: "CFuzzerDriver", path: "Tests/Fuzz/CFuzzerDriver"),
        .executableTarget(
            name: "tapedeck-fuzz",
            dependencies: [
                "CFuzzerDriver", "RTC", "JSON", "Signaling", "SignalingServer", "API", "Jobs", "Recorder", "Capture",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
            ],
            path: "Tests/Fuzz/tapedeck-fuzz",
            swiftSettings: strictSettings + fuzzing + [.unsafeFlags(["-parse-as-library"])],
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address"])]),
    ]
}
