/// Which of one SSRC's most recent packets were already decrypted, by packet index (the extended
/// RTP sequence number, or the SRTCP index): a bitmap of `size` indexes ending at the highest seen.
struct ReceivedPacketWindow {
    static let size = 1_024
    private static let wordCount = size / 64

    private(set) var highest: UInt64
    /// A ring: index i lives at bit i % size.
    private var words: [UInt64]

    init(first index: UInt64) {
        highest = index
        words = Array(repeating: 0, count: Self.wordCount)
        set(index)
    }

    /// False for indexes above the highest and for those too old to remember.
    func contains(_ index: UInt64) -> Bool {
        guard index <= highest, highest - index < UInt64(Self.size) else { return false }
        return words[Self.word(index)] & Self.bit(index) != 0
    }

    mutating func insert(_ index: UInt64) {
        if index > highest {
            if index - highest >= UInt64(Self.size) {
                for word in words.indices { words[word] = 0 }
            } else {
                // Forget the slots the window slides over; usually none (index == highest + 1).
                var skipped = highest + 1
                while skipped < index {
                    words[Self.word(skipped)] &= ~Self.bit(skipped)
                    skipped += 1
                }
            }
            highest = index
        } else if highest - index >= UInt64(Self.size) {
            return
        }
        set(index)
    }

    /// A 16-bit RTP sequence number as the packet index nearest the highest seen (RFC 3711
    /// §3.3.1): a signed 16-bit distance, so 65535 → 0 counts as one step forward. Nil for a packet
    /// from before the index space starts (its rollover counter would be negative).
    func extendedIndex(sequenceNumber: UInt16) -> UInt64? {
        let distance = Int64(Int16(bitPattern: sequenceNumber &- UInt16(truncatingIfNeeded: highest)))
        let extended = Int64(bitPattern: highest) + distance
        return extended >= 0 ? UInt64(extended) : nil
    }

    private mutating func set(_ index: UInt64) {
        words[Self.word(index)] |= Self.bit(index)
    }

    @inline(__always) private static func word(_ index: UInt64) -> Int { Int((index % UInt64(size)) / 64) }
    @inline(__always) private static func bit(_ index: UInt64) -> UInt64 { 1 << (index % 64) }
}
