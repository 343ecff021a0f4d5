/// Percent-encoding as SigV4 defines it (RFC 3986): every byte of the UTF-8 form except the
/// unreserved characters becomes `%XY` with upper-case hex. Foundation's encoders differ
/// (they keep `+`, `=`, `:` and others in some positions), so they cannot be used for signing.
enum AWSPercentEncoding {
    /// For a query name or value: `/` is encoded too.
    static func encodeQueryComponent(_ string: String) -> String {
        encode(string, keepingSlash: false)
    }

    /// For the path: `/` separates segments and stays. S3 encodes the path once (other services
    /// encode it twice) and does not normalize it: `a//b/./c` is a different key from `a/b/c`.
    static func encodePath(_ string: String) -> String {
        encode(string, keepingSlash: true)
    }

    private static func encode(_ string: String, keepingSlash: Bool) -> String {
        var encoded = ""
        encoded.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%"
                encoded.unicodeScalars.append(hexDigit(byte >> 4))
                encoded.unicodeScalars.append(hexDigit(byte & 0x0F))
            }
        }
        return encoded
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> Unicode.Scalar {
        Unicode.Scalar(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10)
    }
}
