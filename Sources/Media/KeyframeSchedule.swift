internal import CFFmpeg

/// Which pictures an encoder makes keyframes of: one at least every interval of timestamps (a
/// frame count would stretch it when the frame rate drops), whatever the source's own keyframe
/// rhythm was. Players seek to keyframes and MP4 fragments start at them.
struct KeyframeSchedule {
    /// The interval on the 90 kHz clock.
    private let ticks: Int64
    private var nextAt = Int64.min

    init(interval: Duration) {
        ticks = max(1, TimeBase.microseconds.convert(interval.microseconds, to: .rtpVideo))
    }

    /// Marks `picture` (its `pts` on the 90 kHz clock set) as a keyframe when one is due, and
    /// as the encoder's choice otherwise (a decoder marks its keyframes I; that is not ours).
    mutating func mark(_ picture: UnsafeMutablePointer<AVFrame>) {
        if picture.pointee.pts >= nextAt {
            picture.pointee.pict_type = AV_PICTURE_TYPE_I
            nextAt = picture.pointee.pts + ticks
        } else {
            picture.pointee.pict_type = AV_PICTURE_TYPE_NONE
        }
    }
}
