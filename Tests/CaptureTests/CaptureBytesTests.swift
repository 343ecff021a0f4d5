import Foundation
import Testing
@testable import Capture

/// A capture mapped from its file reads as the same bytes in memory do, past the pages it lets go
/// behind it as it reads; a file that cannot be read says which and why.
struct CaptureBytesTests {
    @Test func aMappedFileReadsLikeItsBytes() throws {
        let rtp: [UInt8] = [0x80, 0x60, 0x00, 0x01] + Array(repeating: 0xAB, count: 200)
        let bytes = PcapngRoundTripTests.capture((0 ..< 25_000).map { index in
            (.rtp, rtp, 1_796_550_000_000_000_000 + Int64(index) * 20_000_000, .inbound, nil)
        })
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mapped-\(UUID().uuidString).pcapng").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        var mapped = PcapngReader(try CaptureBytes(mapping: path))
        var inMemory = PcapngReader(bytes)
        var count = 0
        while let packet = try mapped.next() {
            #expect(packet == (try inMemory.next()))
            count += 1
        }
        #expect(count == 25_000 && bytes.count > 5 << 20)
        #expect(try inMemory.next() == nil)
    }

    @Test func anEmptyFileHoldsNoPacket() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString).pcapng").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data().write(to: URL(fileURLWithPath: path))
        var reader = PcapngReader(try CaptureBytes(mapping: path))
        #expect(try reader.next() == nil)
    }

    @Test func aMissingFileIsNamedWithItsReason() {
        #expect {
            _ = try CaptureBytes(mapping: "/nonexistent/speaker.pcapng")
        } throws: { error in
            "\(error)" == "cannot read /nonexistent/speaker.pcapng: No such file or directory"
        }
    }
}
