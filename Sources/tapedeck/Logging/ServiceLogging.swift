import Logging
import Media

/// The logger of `serve` and `worker`: lines on stderr at `level`, as text or JSON.
enum ServiceLogging {
    static func logger(label: String, level: Logger.Level, format: LogFormat = .text) -> Logger {
        LibavLog.set(verbose: level <= .debug)
        if format == .json {
            // Once per process, before any logger is made: every later Logger, the libraries'
            // included, writes JSON too.
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
        }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}
