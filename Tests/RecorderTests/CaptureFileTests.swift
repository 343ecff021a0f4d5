import Capture
import Foundation
import RTC
import Testing

@testable import Recorder

/// A connection's capture on disk (`CaptureFile`, `ConnectionCaptureTap`): what the tap puts in
/// the ring reaches the file as pcapng, the file is renamed when finished, and the write gate and
/// a failing disk end it the way every other write of a recording ends.
struct CaptureFileTests {
    private func capture(in scratch: ScratchDirectory, gate: RecordingWriteGate = RecordingWriteGate())
        -> (ConnectionCaptureTap, CaptureFile) {
        let ring = CaptureRing(capacity: 1 << 16)
        let header = PcapngEncoder.fileHeader(application: "test", participant: "p-1", name: "alice")
        let file = CaptureFile(path: "alice.pcapng", directory: scratch.path, ring: ring, header: header, gate: gate)
        let wallClock = WallClockReference(instant: .now, unixSeconds: 1_796_550_000)
        return (ConnectionCaptureTap(ring: ring, wallClock: wallClock), file)
    }

    private func packets(at path: String) throws -> [CapturedPacket] {
        var reader = PcapngReader([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        var packets: [CapturedPacket] = []
        while let packet = try reader.next() { packets.append(packet) }
        return packets
    }

    @Test func whatTheTapSeesIsOnDiskUnderItsTemporaryNameThenRenamed() throws {
        let scratch = try ScratchDirectory()
        let (tap, file) = capture(in: scratch)
        let rtp: [UInt8] = [0x80, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0xAA, 0xBB]
        tap.tapNegotiation(offer: "v=0\r\n", answer: "v=0\r\n", remoteOffered: true, now: .now)
        rtp.withUnsafeBytes { tap.tapRTP($0, now: .now) }
        file.drain()
        // Readable while being written: a killed recorder leaves this.
        let partial = try packets(at: scratch.file(".alice.pcapng.partial"))
        #expect(partial.map(\.kind) == [.sessionDescription, .sessionDescription, .rtp])
        #expect(partial.map(\.comment) == ["offer", "answer", nil])
        #expect(partial[2].data == rtp)

        let rtcp: [UInt8] = [0x80, 200, 0, 1, 0, 0, 0, 9]
        rtcp.withUnsafeBytes { tap.tapRTCP($0, now: .now) }
        file.finish()
        #expect(!FileManager.default.fileExists(atPath: scratch.file(".alice.pcapng.partial")))
        #expect(try packets(at: scratch.file("alice.pcapng")).map(\.kind) == [.sessionDescription, .sessionDescription, .rtp, .rtcp])
        let report = file.report
        #expect(report.finished && report.temporaryPath == nil && report.packets == 4 && report.packetsDropped == 0)
        #expect(report.bytes == (try FileManager.default.attributesOfItem(atPath: scratch.file("alice.pcapng"))[.size] as? Int))
    }

    @Test func aShutGateStopsTheCaptureWhereItWasAndNeverRenamesIt() throws {
        let scratch = try ScratchDirectory()
        let gate = RecordingWriteGate()
        let (tap, file) = capture(in: scratch, gate: gate)
        let rtp: [UInt8] = [0x80, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9]
        rtp.withUnsafeBytes { tap.tapRTP($0, now: .now) }
        file.drain()
        let before = try Data(contentsOf: URL(fileURLWithPath: scratch.file(".alice.pcapng.partial")))
        gate.close()
        rtp.withUnsafeBytes { tap.tapRTP($0, now: .now) }
        file.drain()
        file.finish()
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.file(".alice.pcapng.partial"))) == before)
        #expect(!FileManager.default.fileExists(atPath: scratch.file("alice.pcapng")))
        let report = file.report
        #expect(!report.finished && report.packets == 1 && report.packetsDropped == 1)
        #expect(report.error?.contains("may no longer write its folder") == true)
    }

    @Test func aConnectionThatSentNothingLeavesNoFile() throws {
        let scratch = try ScratchDirectory()
        let (_, file) = capture(in: scratch)
        file.drain()
        file.finish()
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
        #expect(!file.report.finished && file.report.packets == 0)
    }

    @Test func aFullDiskEndsTheCaptureAtItsLastWholeBlock() throws {
        // /dev/full: every write fails with ENOSPC. The file is a symlink to it, so the header
        // write fails and the capture ends at once, saying why.
        let scratch = try ScratchDirectory()
        try FileManager.default.createSymbolicLink(atPath: scratch.file(".alice.pcapng.partial"), withDestinationPath: "/dev/full")
        let (tap, file) = capture(in: scratch)
        let rtp: [UInt8] = [0x80, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9]
        rtp.withUnsafeBytes { tap.tapRTP($0, now: .now) }
        file.drain()
        rtp.withUnsafeBytes { tap.tapRTP($0, now: .now) }
        file.finish()
        let report = file.report
        #expect(!report.finished && report.error?.contains("No space left on device") == true, "\(report)")
        #expect(report.packetsDropped == 2 && report.packets == 0)
    }
}
