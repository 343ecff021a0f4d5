internal import CFFmpeg

extension TimeBase {
    var rational: AVRational { AVRational(num: numerator, den: denominator) }

    static let microseconds = TimeBase(1, 1_000_000)
    static let milliseconds = TimeBase(1, 1_000)

    /// `value` ticks of `self` in ticks of `other`, rounded to the nearest.
    func convert(_ value: Int64, to other: TimeBase) -> Int64 {
        av_rescale_q(value, rational, other.rational)
    }
}
