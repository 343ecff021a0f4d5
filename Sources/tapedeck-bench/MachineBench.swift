import CDatagramBatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RTC

/// (i): what this machine charges for the work a recorder cannot avoid whatever its own code does —
/// the kernel's part of receiving datagrams and of writing files — so the scale curve's figures can
/// be read against the machine they were measured on. No Tapedeck code is timed here but the batch
/// reader's C half (`CDatagramBatch`, one recvmmsg(2) a batch).
///
/// - a system call that does nothing (getppid);
/// - a 1,200-byte datagram sent over loopback (sendto: the sender's thread also runs the delivery
///   into the receiving socket), and read back in batches of 20, as the shared port reads
///   (recvmmsg), per datagram;
/// - files written as a recorder writes them, paced: every 0.1 s, a hundred files each get their
///   share of 26 MB/s (a hundred participants' WebM files and raw captures at 1 Mbit/s), in
///   32 KiB writes (libavformat's I/O buffer), 13 KiB ones (a capture's drain every 0.1 s) or
///   128 KiB ones; thread CPU per MB, with a user-space copy of the same bytes beside it.
///
/// From these, the least kernel time one participant-second costs a recorder here
/// (`kernelFloorPerParticipantSecond`): the datagrams a 1 Mbit/s VP8 + Opus participant sends
/// read in batches of 20, and its bytes (WebM and capture) written at the cheapest write size
/// measured.
///
/// `tapedeck-bench machine` runs this section alone.
enum MachineBench {
    struct Result {
        var systemCallNanoseconds: Double
        var loopbackSendNanoseconds: Double
        var batchReadNanosecondsPerDatagram: Double
        var pagedWrites: [(writeSize: Int, millisecondsPerMB: Double)]
        var copyMillisecondsPerMB: Double

        /// What `tapedeck publish` sends for one participant (640x480 30 fps VP8 at 1 Mbit/s and
        /// Opus): about 155 datagrams a second, measured by the scale curve (15,500 at 100).
        static let datagramsPerParticipantSecond = 155.0
        /// What a recorder writes for one participant-second: the WebM file and the raw capture,
        /// about 0.13 MB each.
        static let megabytesPerParticipantSecond = 0.26

        var kernelFloorPerParticipantSecond: Double {
            let reading = Self.datagramsPerParticipantSecond * batchReadNanosecondsPerDatagram / 1e9
            let writing = Self.megabytesPerParticipantSecond * (pagedWrites.map(\.millisecondsPerMB).min() ?? 0) / 1e3
            return reading + writing
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func run(writeSeconds: Double = 10) throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (send, read) = try loopbackCosts()
        return Result(systemCallNanoseconds: systemCallCost(),
                      loopbackSendNanoseconds: send,
                      batchReadNanosecondsPerDatagram: read,
                      pagedWrites: try [32_768, 13_000, 131_072].map { size in
                          (size, try pacedWriteCost(writeSize: size, seconds: writeSeconds, directory: directory))
                      },
                      copyMillisecondsPerMB: copyCost())
    }

    static func report(_ result: Result) {
        func figure(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
        print("  (i) this machine: a system call \(figure(result.systemCallNanoseconds, 0)) ns; a 1,200-byte datagram over "
            + "loopback: sent \(figure(result.loopbackSendNanoseconds, 0)) ns, read in batches of 20 "
            + "\(figure(result.batchReadNanosecondsPerDatagram, 0)) ns")
        let writes = result.pagedWrites.map { "\($0.writeSize / 1_000) KB writes \(figure($0.millisecondsPerMB, 2))" }
        print("      files written paced (100 files, 26 MB/s), thread CPU ms per MB: \(writes.joined(separator: ", ")); "
            + "a user-space copy \(figure(result.copyMillisecondsPerMB, 3))")
        print("      the kernel's least part of one participant-second (\(Int(Result.datagramsPerParticipantSecond)) datagrams "
            + "read, \(Result.megabytesPerParticipantSecond) MB written): "
            + "\(figure(result.kernelFloorPerParticipantSecond, 5)) CPU-s")
    }

    /// The best of five rounds of a million getppid calls (glibc does not cache it).
    private static func systemCallCost() -> Double {
        let calls = 1_000_000
        var best = Double.infinity
        for _ in 0 ..< 5 {
            let clock = ContinuousClock()
            let elapsed = clock.measure {
                var sum: pid_t = 0
                for _ in 0 ..< calls { sum &+= getppid() }
                if sum == 42 { print("") }  // keeps the calls
            }
            best = min(best, elapsed.seconds * 1e9 / Double(calls))
        }
        return best
    }

    /// Two UDP sockets on 127.0.0.1: rounds of 20 datagrams sent one by one, then read with one
    /// batch read; the best of five runs of 2,000 rounds, per datagram each way.
    private static func loopbackCosts() throws -> (send: Double, read: Double) {
        let receiver = try udpSocket(nonBlocking: true)
        let sender = try udpSocket(nonBlocking: false)
        defer {
            close(receiver)
            close(sender)
        }
        var bufferSize: CInt = 8 << 20
        setsockopt(receiver, SOL_SOCKET, SO_RCVBUF, &bufferSize, socklen_t(MemoryLayout<CInt>.size))
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(receiver, $0, &length) }
        }
        guard let batch = tapedeck_datagram_batch_create(32, 1_500) else { throw Failure(description: "out of memory") }
        defer { tapedeck_datagram_batch_destroy(batch) }
        let datagram = [UInt8](repeating: 0x5A, count: 1_200)
        let perRound = 20
        let rounds = 2_000
        var best = (send: Double.infinity, read: Double.infinity)
        for _ in 0 ..< 5 {
            var sending = Duration.zero
            var reading = Duration.zero
            let clock = ContinuousClock()
            for _ in 0 ..< rounds {
                sending += try clock.measure {
                    for _ in 0 ..< perRound {
                        let sent = withUnsafePointer(to: &address) {
                            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                                sendto(sender, datagram, datagram.count, 0, $0, length)
                            }
                        }
                        guard sent == datagram.count else { throw Failure(description: "sendto: errno \(errno)") }
                    }
                }
                var read: CInt = 0
                reading += clock.measure { read = tapedeck_datagram_batch_read(batch, receiver) }
                guard read == perRound else { throw Failure(description: "read \(read) datagrams of \(perRound)") }
            }
            let datagrams = Double(rounds * perRound)
            best = (min(best.send, sending.seconds * 1e9 / datagrams), min(best.read, reading.seconds * 1e9 / datagrams))
        }
        return best
    }

    private static func udpSocket(nonBlocking: Bool) throws -> CInt {
        let kind = Int32(SOCK_DGRAM.rawValue) | (nonBlocking ? Int32(SOCK_NONBLOCK.rawValue) : 0)
        let socket = Glibc.socket(AF_INET, kind, 0)
        guard socket >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw Failure(description: "bind: errno \(errno)") }
        return socket
    }

    /// A hundred files appended to for `seconds`, 2.6 MB every 0.1 s in `writeSize` writes dealt
    /// out over the files in turn, the thread sleeping between ticks: thread CPU per MB written.
    private static func pacedWriteCost(writeSize: Int, seconds duration: Double, directory: String) throws -> Double {
        let files = try (0 ..< 100).map { index in
            let descriptor = open("\(directory)/paced-\(writeSize)-\(index)", O_CREAT | O_TRUNC | O_WRONLY, 0o644)
            guard descriptor >= 0 else { throw Failure(description: "open: errno \(errno)") }
            return descriptor
        }
        defer {
            for file in files { close(file) }
        }
        let bytes = [UInt8](repeating: 0xA5, count: writeSize)
        let perTick = 2_600_000
        let ticks = Int(duration * 10)
        let clock = ContinuousClock()
        let start = clock.now
        let before = ThreadUsage.now
        var written = 0
        var next = 0
        for tick in 0 ..< ticks {
            var thisTick = 0
            while thisTick < perTick {
                guard write(files[next], bytes, writeSize) == writeSize else { throw Failure(description: "write: errno \(errno)") }
                next = (next + 1) % files.count
                thisTick += writeSize
            }
            written += thisTick
            let deadline = start + .milliseconds(100 * (tick + 1))
            sleepThread(until: deadline, clock: clock)
        }
        let cpu = ThreadUsage.now.total - before.total
        return cpu * 1e3 / (Double(written) / 1e6)
    }

    /// Sleeps the thread until `deadline` (this benchmark runs outside any task).
    private static func sleepThread(until deadline: ContinuousClock.Instant, clock: ContinuousClock) {
        let remaining = clock.now.duration(to: deadline).seconds
        guard remaining > 0 else { return }
        usleep(useconds_t(remaining * 1e6))
    }

    /// The same 26 MB copied in user space in 32 KiB pieces into a 64 MiB ring, the best of five
    /// (wall time: a few milliseconds, on an otherwise idle thread).
    private static func copyCost() -> Double {
        let piece = 32_768
        let ring = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 20, alignment: 64)
        let source = UnsafeMutableRawBufferPointer.allocate(byteCount: piece, alignment: 64)
        defer {
            ring.deallocate()
            source.deallocate()
        }
        ring.initializeMemory(as: UInt8.self, repeating: 1)
        source.initializeMemory(as: UInt8.self, repeating: 2)
        let total = 26_000_000
        var best = Double.infinity
        for _ in 0 ..< 5 {
            var copied = 0
            let elapsed = ContinuousClock().measure {
                var offset = 0
                while copied < total {
                    if offset + piece > ring.count { offset = 0 }
                    (ring.baseAddress! + offset).copyMemory(from: source.baseAddress!, byteCount: piece)
                    offset += piece
                    copied += piece
                }
            }
            best = min(best, elapsed.seconds * 1e3 / (Double(copied) / 1e6))
        }
        return best
    }
}
