internal import CFFmpeg

/// libav's own logging (encoder banners, muxer warnings) goes to stderr, process-wide. A
/// library does not change that; the program that owns stderr decides.
public enum LibavLog {
    /// Only errors (the default of the `tapedeck` commands: libx264's banner and statistics
    /// would drown their own output), or everything from `info` on.
    public static func set(verbose: Bool) {
        av_log_set_level(verbose ? AV_LOG_INFO : AV_LOG_ERROR)
    }
}
