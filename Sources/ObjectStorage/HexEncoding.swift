extension Sequence where Element == UInt8 {
    /// Lower-case hex, as SigV4 writes hashes and signatures (swift-crypto's digests and MACs
    /// are sequences of bytes).
    var hexString: String {
        let digits = Array("0123456789abcdef".unicodeScalars)
        var hex = String.UnicodeScalarView()
        for byte in self {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(hex)
    }
}
