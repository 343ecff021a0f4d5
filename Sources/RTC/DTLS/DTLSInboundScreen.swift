/// Decides which received datagrams OpenSSL gets to see.
///
/// OpenSSL 3.0 treats a protected record shorter than its cipher's nonce and tag as a fatal error
/// (RFC 6347 §4.1.2.7 says to discard invalid records), so one stray or forged short datagram would
/// end the connection. Real peers send whole records with a DTLS version, so anything else is
/// dropped here, as are protected records too short to carry a tag.
enum DTLSInboundScreen {
    static let dtlsMajorVersion: UInt8 = 0xFE

    static func accepts(_ datagram: UnsafeRawBufferPointer, minimumProtectedRecordLength: Int) -> Bool {
        var offset = 0
        while offset < datagram.count {
            guard let header = DTLSRecordHeader(in: datagram, at: offset),
                  (20...23).contains(header.contentType),
                  header.majorVersion == dtlsMajorVersion,
                  header.end(startingAt: offset) <= datagram.count,
                  header.epoch == 0 || header.fragmentLength >= minimumProtectedRecordLength
            else { return false }
            offset = header.end(startingAt: offset)
        }
        return offset > 0
    }
}
