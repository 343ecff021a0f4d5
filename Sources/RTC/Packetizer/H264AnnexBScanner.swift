/// Finds the NAL units of an H.264 Annex B byte stream (ITU-T H.264 Annex B): each follows a
/// 00 00 01 start code (often with a leading zero byte) and runs to the next start code. Zero
/// bytes before a start code are trailing_zero_8bits, not part of the NAL unit; emulation
/// prevention guarantees 00 00 00/01/02 never occur inside one.
enum H264AnnexBScanner {
    /// The next non-empty NAL unit at or after `offset`, as a range of `stream`; nil when none is left.
    static func nalUnit(in stream: UnsafeRawBufferPointer, from offset: Int) -> Range<Int>? {
        var start = startCodeEnd(in: stream, from: offset)
        while let begin = start {
            var end = begin
            while end < stream.count, !isStartCode(in: stream, at: end) { end += 1 }
            let next = end
            while end > begin, stream[end - 1] == 0 { end -= 1 }
            if end > begin { return begin ..< end }
            start = startCodeEnd(in: stream, from: next)
        }
        return nil
    }

    /// The offset just after the first 00 00 01 at or after `offset`.
    private static func startCodeEnd(in stream: UnsafeRawBufferPointer, from offset: Int) -> Int? {
        var index = max(offset, 0)
        while index + 3 <= stream.count {
            if stream[index] == 0, stream[index + 1] == 0, stream[index + 2] == 1 { return index + 3 }
            index += 1
        }
        return nil
    }

    /// 00 00 00, 00 00 01 or 00 00 02 at `index`: the end of the current NAL unit.
    private static func isStartCode(in stream: UnsafeRawBufferPointer, at index: Int) -> Bool {
        index + 3 <= stream.count && stream[index] == 0 && stream[index + 1] == 0 && stream[index + 2] <= 2
    }
}
