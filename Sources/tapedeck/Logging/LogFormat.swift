import ArgumentParser

/// How a long-running command writes its log lines on stderr.
enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// swift-log's own: `time level label: key=value … message`.
    case text
    /// One JSON object per line, for log collectors (Loki, CloudWatch, Elasticsearch).
    case json
}
