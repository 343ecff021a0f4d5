import Media

/// Where each of n tiles goes on a canvas in the grid layout: ceil(sqrt(n)) columns, as many
/// rows as that needs, equal tiles; a last row that is not full is centred. Sans-IO: only
/// arithmetic, so the rules are tested without any video.
///
/// Every tile starts on an even pixel and has an even size, so a 4:2:0 chroma sample never
/// straddles two tiles.
enum GridLayout {
    static func columns(for count: Int) -> Int {
        guard count > 0 else { return 0 }
        var columns = Int(Double(count).squareRoot().rounded(.down))
        if columns * columns < count { columns += 1 }
        return columns
    }

    /// The tiles of `count` participants on a `width` x `height` canvas, in reading order.
    static func areas(count: Int, width: Int, height: Int) -> [CanvasArea] {
        guard count > 0 else { return [] }
        let columns = columns(for: count)
        let rows = (count + columns - 1) / columns
        let tileWidth = (width / columns) & ~1
        let tileHeight = (height / rows) & ~1
        // The grid as a whole is centred, so rounding the tiles down leaves equal margins.
        let left = ((width - tileWidth * columns) / 2) & ~1
        let top = ((height - tileHeight * rows) / 2) & ~1
        return (0..<count).map { index in
            let row = index / columns, column = index % columns
            let inRow = row == rows - 1 ? count - row * columns : columns
            let indent = ((columns - inRow) * tileWidth / 2) & ~1
            return CanvasArea(x: left + indent + column * tileWidth, y: top + row * tileHeight, width: tileWidth, height: tileHeight)
        }
    }
}
