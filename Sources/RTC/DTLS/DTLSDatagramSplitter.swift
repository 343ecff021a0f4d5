/// Cuts what OpenSSL wrote in one go into datagrams of at most the MTU, at record boundaries.
///
/// During the handshake OpenSSL buffers a flight and writes it whole, packing records up to the
/// MTU, but its room calculation leaves out the AEAD expansion of encrypted records (AES-GCM adds
/// an 8-byte explicit nonce and a 16-byte tag), so a flight ending in the encrypted Finished can
/// overshoot by up to 24 bytes. A single record larger than the MTU (which OpenSSL never writes
/// while it fragments handshake messages) is passed through rather than cut.
enum DTLSDatagramSplitter {
    static func split(_ bytes: [UInt8], maximumSize: Int) -> [[UInt8]] {
        guard bytes.count > maximumSize else { return [bytes] }
        var datagrams: [[UInt8]] = []
        var datagramStart = 0
        var recordStart = 0
        while recordStart < bytes.count {
            let recordEnd = min(DTLSRecordHeader(in: bytes, at: recordStart)?.end(startingAt: recordStart) ?? bytes.count,
                                bytes.count)
            if recordEnd - datagramStart > maximumSize, recordStart > datagramStart {
                datagrams.append(Array(bytes[datagramStart..<recordStart]))
                datagramStart = recordStart
            }
            recordStart = recordEnd
        }
        datagrams.append(Array(bytes[datagramStart...]))
        return datagrams
    }
}
