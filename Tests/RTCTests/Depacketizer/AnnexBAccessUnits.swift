/// Splits an H.264 Annex B stream into access units: a new one begins at an access unit
/// delimiter, SPS, PPS or SEI after a slice, or at a slice with first_mb_in_slice = 0 after a slice.
enum AnnexBAccessUnits {
    static func split(_ stream: [UInt8]) -> [[UInt8]] {
        var units: [[UInt8]] = []
        var current: [UInt8] = []
        var sawSlice = false
        var offset = 0
        while let start = nextStartCode(stream, from: offset) {
            let end = nextStartCode(stream, from: start.nal)?.code ?? stream.count
            let nal = Array(stream[start.nal ..< end])
            let type = (nal.first ?? 0) & 0x1F
            let isSlice = (1...5).contains(type)
            let opensUnit = isSlice ? nal.count > 1 && nal[1] & 0x80 != 0 : [6, 7, 8, 9].contains(type)
            if sawSlice, opensUnit {
                units.append(current)
                current = []
                sawSlice = false
            }
            current += [0, 0, 0, 1] + nal
            sawSlice = sawSlice || isSlice
            offset = end
        }
        if !current.isEmpty { units.append(current) }
        return units
    }

    /// Where the next start code begins (with a leading zero byte if any) and where its NAL unit begins.
    private static func nextStartCode(_ stream: [UInt8], from offset: Int) -> (code: Int, nal: Int)? {
        var index = offset
        while index + 3 <= stream.count {
            if stream[index] == 0, stream[index + 1] == 0, stream[index + 2] == 1 {
                let code = index > offset && stream[index - 1] == 0 ? index - 1 : index
                return (code, index + 3)
            }
            index += 1
        }
        return nil
    }
}
