internal import CDatagramBatch
import Glibc
import RTC

/// Reads the datagrams queued on a UDP socket in batches (recvmmsg) into memory of its own,
/// reused for every batch: nothing is allocated per datagram, and each sender's address is read
/// from its sockaddr as bytes. NIO's read path makes every datagram's source a `SocketAddress`
/// with its text (`inet_ntop`, a string and a box): on the shared port that was two thirds of
/// the I/O loop's allocations. The shared port lets NIO read one datagram per readiness and
/// drains the rest of the socket here. Confined to the socket's event loop.
final class DatagramBatchReader {
    private let batch: OpaquePointer
    private let capacity: Int

    init?(capacity: Int = DatagramSocketTuning.datagramsPerRead, slotSize: Int = DatagramSocketTuning.maxDatagramSize) {
        guard let batch = tapedeck_datagram_batch_create(UInt32(capacity), slotSize) else { return nil }
        self.batch = batch
        self.capacity = capacity
    }

    deinit { tapedeck_datagram_batch_destroy(batch) }

    /// Reads what `socket` has queued, batch after batch until one comes back short (or the
    /// socket reports an error, which the read clears), and hands each whole datagram to
    /// `deliver`: its bytes, writable and valid during the call, and its sender. Returns how
    /// many datagrams were read.
    @discardableResult
    func drain(_ socket: CInt, _ deliver: (UnsafeMutableRawBufferPointer, TransportAddress) -> Void) -> Int {
        var total = 0
        while true {
            let count = Int(tapedeck_datagram_batch_read(batch, socket))
            guard count > 0 else { return total }
            for index in 0 ..< UInt32(count) {
                var length = 0
                var truncated: Int32 = 0
                guard let bytes = tapedeck_datagram_batch_bytes(batch, index, &length, &truncated), truncated == 0,
                      let source = source(of: index) else { continue }
                deliver(UnsafeMutableRawBufferPointer(start: bytes, count: length), source)
            }
            total += count
            if count < capacity { return total }
        }
    }

    private func source(of index: UInt32) -> TransportAddress? {
        var port: UInt16 = 0
        var address: UnsafePointer<UInt8>?
        let family = tapedeck_datagram_batch_source(batch, index, &port, &address)
        guard let address else { return nil }
        switch family {
        case AF_INET:
            return TransportAddress(ip: .v4(address[0], address[1], address[2], address[3]), port: UInt16(bigEndian: port))
        case AF_INET6:
            let raw = UnsafeRawPointer(address)
            return TransportAddress(ip: .v6(high: UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self)),
                                            low: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))),
                                    port: UInt16(bigEndian: port))
        default:
            return nil
        }
    }
}
