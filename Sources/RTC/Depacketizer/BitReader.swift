/// Reads a bitstream most significant bit first, as H.264 (ITU-T H.264 §7.2) and VP9
/// (VP9 bitstream specification §4.9) define it. Every read is bounds-checked and returns nil past
/// the end.
///
/// With `removingEmulationPrevention`, the 0x03 byte of every 00 00 03 sequence is skipped
/// (H.264 §7.4.1), so a NAL unit's RBSP is read in place without an unescaped copy.
struct BitReader {
    private let bytes: UnsafeRawBufferPointer
    private let removesEmulationPrevention: Bool
    private var byteIndex: Int
    private var bitIndex = 0
    /// Zero bytes read just before `byteIndex`, for spotting emulation-prevention bytes.
    private var zeroRun = 0

    init(_ bytes: UnsafeRawBufferPointer, startingAt offset: Int = 0, removingEmulationPrevention: Bool = false) {
        self.bytes = bytes
        self.removesEmulationPrevention = removingEmulationPrevention
        byteIndex = offset
    }

    mutating func bit() -> UInt32? {
        if bitIndex == 0 {
            if removesEmulationPrevention, zeroRun >= 2, byteIndex < bytes.count, bytes[byteIndex] == 0x03 {
                byteIndex += 1
                zeroRun = 0
            }
            guard byteIndex < bytes.count else { return nil }
        }
        let byte = bytes[byteIndex]
        let value = UInt32(byte >> (7 - bitIndex) & 1)
        bitIndex += 1
        if bitIndex == 8 {
            bitIndex = 0
            byteIndex += 1
            zeroRun = byte == 0 ? zeroRun + 1 : 0
        }
        return value
    }

    mutating func flag() -> Bool? { bit().map { $0 == 1 } }

    /// `count` bits (at most 32) as an unsigned number.
    mutating func bits(_ count: Int) -> UInt32? {
        guard count <= 32 else { return nil }
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let next = bit() else { return nil }
            value = value << 1 | next
        }
        return value
    }

    /// ue(v), H.264 §9.1. Values needing more than 31 leading zeros do not occur in valid streams.
    mutating func unsignedExpGolomb() -> UInt32? {
        var leadingZeros = 0
        while true {
            guard let next = bit() else { return nil }
            if next == 1 { break }
            leadingZeros += 1
            guard leadingZeros < 32 else { return nil }
        }
        guard let suffix = bits(leadingZeros) else { return nil }
        return UInt32((UInt64(1) << leadingZeros) - 1 + UInt64(suffix))
    }

    /// se(v), H.264 §9.1.1: 1, 2, 3, 4… map to 1, −1, 2, −2…
    mutating func signedExpGolomb() -> Int32? {
        guard let code = unsignedExpGolomb() else { return nil }
        let magnitude = Int32((UInt64(code) + 1) / 2)
        return code & 1 == 1 ? magnitude : -magnitude
    }
}
