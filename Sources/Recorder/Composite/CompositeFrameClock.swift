/// When a composite's output frames are due, and which of them to drop when the media thread
/// is behind. Sans-IO; times are seconds since the recording's start.
///
/// Frame n shows the room at n / fps and is made `latency` later, so every participant's media
/// for that moment has arrived (the same hold as the mix's). If more than `backlog` frames are
/// due at once, the media thread could not keep up (too little CPU): the older ones are
/// dropped and counted, and only the newest is made, so the composite catches up instead of
/// falling further behind; a dropped frame is the previous picture shown a little longer.
struct CompositeFrameClock {
    let framesPerSecond: Int
    let latency: Double
    /// Frames that may be due at once before the older ones are dropped.
    let backlog: Int
    /// The next frame to make.
    private(set) var next = 0
    private(set) var dropped = 0

    init(framesPerSecond: Int, latency: Double) {
        self.framesPerSecond = max(1, framesPerSecond)
        self.latency = max(0, latency)
        // A tenth of a second: more than a normal batch of the media thread's work.
        backlog = max(2, (self.framesPerSecond + 9) / 10)
    }

    /// The time frame `index` shows.
    func time(of index: Int) -> Double { Double(index) / Double(framesPerSecond) }

    /// The frames to make now (`now`: the recording's time), in order, and notes the dropped.
    /// `mayDrop` false: all of them, however many (the empty room before the file opened,
    /// which costs next to nothing to encode).
    mutating func due(now: Double, mayDrop: Bool = true) -> Range<Int> {
        let last = Int(((now - latency) * Double(framesPerSecond)).rounded(.down))
        guard last >= next else { return next..<next }
        var first = next
        if mayDrop, last - next + 1 > backlog {
            dropped += last - next
            first = last
        }
        next = last + 1
        return first..<next
    }

    /// Every frame up to `end` (exclusive), whatever the latency: the recording is over.
    mutating func drain(to end: Double) -> Range<Int> {
        let last = Int((end * Double(framesPerSecond)).rounded(.up))
        let range = next..<max(next, last)
        next = range.upperBound
        return range
    }
}
