/// RTP payload types are 7 bits (RFC 3550 §5.1); anything else in an RTP m= line or a codec
/// attribute means the description is not what it claims to be.
enum SDPPayloadType {
    static func parse(_ token: String, line: Int) throws(SDP.ParseError) -> UInt8 {
        guard let value = SDPText.decimal(token, as: UInt8.self), value <= 127 else {
            throw .invalidPayloadType(line: line, value: SDPText.excerpt(token))
        }
        return value
    }
}
