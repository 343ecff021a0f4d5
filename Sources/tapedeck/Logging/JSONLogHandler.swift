import Foundation
import Logging
import Synchronization

/// Writes each log record as one JSON object on stderr:
/// `{"time":"2026-12-05T02:40:00.123Z","level":"info","logger":"tapedeck.serve","message":"…","job":"…",…}`.
/// Metadata keys sit beside the fixed ones (a key named like one of them is prefixed `meta_`), so
/// collectors can index them without unwrapping. swift-log has no JSON handler of its own.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String) {
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        var object: [String: Any] = [:]
        for (key, value) in merged {
            object[Self.fixedKeys.contains(key) ? "meta_\(key)" : key] = Self.json(value)
        }
        object["time"] = Self.timestamp()
        object["level"] = event.level.rawValue
        object["logger"] = label
        object["message"] = "\(event.message)"
        if let error = event.error { object["error"] = "\(error)" }
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        line.append(0x0A)
        // One write(2) per line, unbuffered: a line is never split or held back.
        Self.output.withLock { _ in
            line.withUnsafeBytes { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
        }
    }

    private static let fixedKeys: Set<String> = ["time", "level", "logger", "message", "error"]
    /// One record's line is written whole before the next one's.
    private static let output = Mutex(())

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): "\(convertible)"
        case .array(let values): values.map(json)
        case .dictionary(let entries): entries.mapValues(json)
        }
    }

    private static func timestamp() -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date())
    }
}
