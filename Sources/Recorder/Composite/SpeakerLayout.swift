import Media

/// Where each of n tiles goes on a canvas in the speaker layout: the active speaker's tile large
/// across the top three quarters, everyone else's small in a strip along the bottom, in order,
/// centred (each 16:9 at the strip's height, narrower when too many to fit). Alone, a
/// participant has the whole canvas. Sans-IO, like `GridLayout`; even coordinates and sizes.
enum SpeakerLayout {
    /// The tiles of `count` participants, in their order; the one at `speaker` is the large one.
    static func areas(count: Int, speaker: Int, width: Int, height: Int) -> [CanvasArea] {
        guard count > 1 else { return count == 1 ? [CanvasArea(x: 0, y: 0, width: width & ~1, height: height & ~1)] : [] }
        let stripHeight = (height / 4) & ~1
        let large = CanvasArea(x: 0, y: 0, width: width & ~1, height: (height - stripHeight) & ~1)
        let others = count - 1
        let tileWidth = min(width / others, stripHeight * 16 / 9) & ~1
        let left = ((width - tileWidth * others) / 2) & ~1
        var areas: [CanvasArea] = []
        var slot = 0
        for index in 0..<count {
            if index == speaker {
                areas.append(large)
            } else {
                areas.append(CanvasArea(x: left + slot * tileWidth, y: large.height, width: tileWidth, height: stripHeight))
                slot += 1
            }
        }
        return areas
    }
}
