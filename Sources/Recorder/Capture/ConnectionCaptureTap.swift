import Capture
import RTC

/// The receive-path half of a connection's capture: on the connection's event loop, each
/// decrypted packet is written as a finished pcapng block into the connection's `CaptureRing`
/// (a copy and a few stores: no lock, no allocation, no system call). A full ring drops the
/// block and counts it; the capture thread (`CaptureThread`) takes the blocks to disk.
final class ConnectionCaptureTap: DecryptedPacketTap, Sendable {
    let ring: CaptureRing
    /// The recording's wall clock: packets are stamped with their arrival as Unix nanoseconds.
    private let reference: ContinuousClock.Instant
    private let referenceUnixNanoseconds: Int64

    init(ring: CaptureRing, wallClock: WallClockReference) {
        self.ring = ring
        reference = wallClock.instant
        referenceUnixNanoseconds = Int64((wallClock.unixSeconds * 1e9).rounded())
    }

    func tapRTP(_ packet: UnsafeRawBufferPointer, now: ContinuousClock.Instant) {
        write(.rtp, packet, now: now)
    }

    func tapRTCP(_ packet: UnsafeRawBufferPointer, now: ContinuousClock.Instant) {
        write(.rtcp, packet, now: now)
    }

    func tapNegotiation(offer: String, answer: String, remoteOffered: Bool, now: ContinuousClock.Instant) {
        writeDescription(offer, comment: "offer", direction: remoteOffered ? .inbound : .outbound, now: now)
        writeDescription(answer, comment: "answer", direction: remoteOffered ? .outbound : .inbound, now: now)
    }

    private func write(_ kind: CapturedPacketKind, _ packet: UnsafeRawBufferPointer, now: ContinuousClock.Instant) {
        let time = unixNanoseconds(at: now)
        ring.write(length: PcapngEncoder.enhancedPacketLength(dataLength: packet.count)) { reservation in
            PcapngEncoder.enhancedPacket(kind, data: packet, unixNanoseconds: time, into: &reservation)
        }
    }

    private func writeDescription(_ text: String, comment: StaticString, direction: Pcapng.Direction, now: ContinuousClock.Instant) {
        let time = unixNanoseconds(at: now)
        let note = UnsafeRawBufferPointer(start: comment.utf8Start, count: comment.utf8CodeUnitCount)
        Array(text.utf8).withUnsafeBytes { sdp in
            _ = ring.write(length: PcapngEncoder.enhancedPacketLength(dataLength: sdp.count, comment: note.count)) { reservation in
                PcapngEncoder.enhancedPacket(.sessionDescription, data: sdp, unixNanoseconds: time, direction: direction,
                                             comment: note, into: &reservation)
            }
        }
    }

    private func unixNanoseconds(at now: ContinuousClock.Instant) -> Int64 {
        let since = (now - reference).components
        return referenceUnixNanoseconds + since.seconds * 1_000_000_000 + since.attoseconds / 1_000_000_000
    }
}
