import Glibc
import RTC
@testable import RTCNIO
import Testing

@Suite("Reading a UDP socket's queue in batches of our own (recvmmsg)")
struct DatagramBatchReaderTests {
    /// A socket bound to an ephemeral loopback port, and its port.
    private static func bound(_ address: IPAddress) throws -> (CInt, UInt16) {
        let socket = try BoundUDPSocket.make(address, port: 0)
        // Room for the whole burst: the default buffer holds about 90 datagrams of 1,200 bytes.
        var size: Int32 = 1 << 20
        setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var name = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &name) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        let port = withUnsafeBytes(of: name) { UInt16($0[2]) << 8 | UInt16($0[3]) }
        return (socket, port)
    }

    private static func send(_ bytes: [UInt8], from socket: CInt, to address: IPAddress, port: UInt16) {
        _ = BoundUDPSocket.withSocketAddress(address, port: port) { sendto(socket, bytes, bytes.count, 0, $0, $1) }
    }

    @Test("a queue of 100 datagrams (more than a batch) is read whole, in order, each with its sender; an empty queue reads nothing",
          arguments: [IPAddress("127.0.0.1")!, IPAddress("::1")!])
    func drainsQueue(_ loopback: IPAddress) throws {
        let (receiver, port) = try Self.bound(loopback)
        let (sender, senderPort) = try Self.bound(loopback)
        defer {
            close(receiver)
            close(sender)
        }
        for index in 0 ..< 100 { Self.send([UInt8(index)] + [UInt8](repeating: 0xAB, count: 1_199), from: sender, to: loopback, port: port) }
        let reader = try #require(DatagramBatchReader(capacity: 32))
        var received: [(first: UInt8, count: Int, source: TransportAddress)] = []
        let count = reader.drain(receiver) { bytes, source in
            bytes[1] = 0  // writable where it lies (SRTP decrypts in place)
            received.append((bytes[0], bytes.count, source))
        }
        #expect(count == 100)
        #expect(received.map(\.first) == (0 ..< 100).map { UInt8($0) })
        #expect(received.allSatisfy { $0.count == 1_200 && $0.source == TransportAddress(ip: loopback, port: senderPort) })
        #expect(reader.drain(receiver) { _, _ in Issue.record("a datagram from an empty queue") } == 0)
    }

    @Test("a datagram larger than a slot is dropped, not handed on cut short; the ones around it are read")
    func dropsTruncated() throws {
        let loopback = IPAddress("127.0.0.1")!
        let (receiver, port) = try Self.bound(loopback)
        let (sender, _) = try Self.bound(loopback)
        defer {
            close(receiver)
            close(sender)
        }
        Self.send([1, 1], from: sender, to: loopback, port: port)
        Self.send([UInt8](repeating: 2, count: 4_000), from: sender, to: loopback, port: port)
        Self.send([3, 3, 3], from: sender, to: loopback, port: port)
        let reader = try #require(DatagramBatchReader(capacity: 8, slotSize: 2_048))
        var lengths: [Int] = []
        reader.drain(receiver) { bytes, _ in lengths.append(bytes.count) }
        #expect(lengths == [2, 3])
    }

    @Test("binding a port another socket holds fails: no SO_REUSEADDR, so a second process cannot share the port")
    func portInUse() throws {
        let loopback = IPAddress("127.0.0.1")!
        let (first, port) = try Self.bound(loopback)
        defer { close(first) }
        #expect(throws: (any Error).self) { try BoundUDPSocket.make(loopback, port: port) }
    }
}
