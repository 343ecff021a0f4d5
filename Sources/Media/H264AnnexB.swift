/// H.264 in Annex B form (NAL units behind 00 00 01 / 00 00 00 01 start codes), as the RTP
/// depacketizer hands it on. The MP4 muxer needs the parameter sets before the first frame, and
/// a recording learns them only from the first keyframe, so the writer is made after it.
public enum H264AnnexB {
    /// The SPS (type 7) and PPS (type 8) NAL units of `frame`, each behind a 4-byte start code,
    /// or nil when the frame has no SPS or no PPS.
    public static func parameterSets(in frame: [UInt8]) -> [UInt8]? {
        var sets: [UInt8] = []
        var sawSPS = false
        var sawPPS = false
        for unit in nalUnits(frame) {
            let type = frame[unit.lowerBound] & 0x1F
            guard type == 7 || type == 8 else { continue }
            sawSPS = sawSPS || type == 7
            sawPPS = sawPPS || type == 8
            sets.append(contentsOf: [0, 0, 0, 1])
            sets.append(contentsOf: frame[unit])
        }
        return sawSPS && sawPPS ? sets : nil
    }

    /// The byte ranges of the NAL units (start codes excluded).
    static func nalUnits(_ bytes: [UInt8]) -> [Range<Int>] {
        var starts: [(codeStart: Int, payload: Int)] = []
        var index = 0
        while index + 2 < bytes.count {
            if bytes[index] == 0, bytes[index + 1] == 0, bytes[index + 2] == 1 {
                let codeStart = index > 0 && bytes[index - 1] == 0 ? index - 1 : index
                starts.append((codeStart, index + 3))
                index += 3
            } else {
                index += 1
            }
        }
        return starts.indices.compactMap { position in
            let end = position + 1 < starts.count ? starts[position + 1].codeStart : bytes.count
            let start = starts[position].payload
            return start < end ? start..<end : nil
        }
    }
}
