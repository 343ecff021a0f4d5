/// What the synthetic publisher's test signal shows and plays.
public enum TestSignalPattern: String, Sendable, Hashable, CaseIterable {
    /// Colour bars with a white bar sweeping across and a frame counter; a continuous 440 Hz tone.
    case moving
    /// Black video with a white frame for 100 ms once a second, exactly while the audio plays a
    /// 100 ms 1 kHz beep (silence otherwise): a recording's lip sync can be measured from it.
    case flashBeep = "flash-beep"

    /// How long each flash and beep lasts, as a fraction of the one-second period.
    static let marksPerSecondFraction: Int64 = 10

    /// Whether the media time `ticks / rate` seconds falls inside a flash (and a beep): the first
    /// tenth of each second. Video and audio ask with their own clocks and agree to the sample.
    public static func isMarked(ticks: Int64, rate: Int64) -> Bool {
        let intoSecond = ticks % rate
        return (intoSecond < 0 ? intoSecond + rate : intoSecond) < rate / marksPerSecondFraction
    }
}
