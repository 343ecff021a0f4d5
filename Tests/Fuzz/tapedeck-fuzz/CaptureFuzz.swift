import Capture

/// A raw capture file (pcapng, docs/capture.md), as `tapedeck render` will read one left by a
/// killed recorder, damaged on disk, or written by another tool. Whatever the bytes: reading
/// stops at damage without trapping; what was read before the damage is exactly what reading only
/// the bytes before it gives (so a render of a damaged capture is a render of its good part); and
/// the packets Tapedeck knows, written again, read back the same.
enum CaptureFuzz {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        let bytes = Array(input)
        var reader = PcapngReader(bytes)
        var packets: [CapturedPacket] = []
        var failure: PcapngReadError?
        do {
            while let packet = try reader.next() {
                fuzzCheck(packet.offset < bytes.count && packet.data.count <= bytes.count, "a packet outside the file")
                packets.append(packet)
            }
        } catch {
            failure = error
        }
        if let failure {
            fuzzCheck(failure.offset >= 0 && failure.offset <= bytes.count, "an error offset outside the file: \(failure)")
            var prefix = PcapngReader(Array(bytes[..<failure.offset]))
            var again: [CapturedPacket] = []
            while let packet = try? prefix.next() { again.append(packet) }
            fuzzCheck(again == packets, "the part before the damage reads differently alone")
        }

        var sink = PcapngBytes()
        sink.bytes = PcapngEncoder.fileHeader(application: "fuzz", participant: "p", name: nil)
        let known = packets.filter { $0.kind != nil && $0.unixNanoseconds >= 0 && $0.unixNanoseconds < Int64.max }
        for packet in known {
            packet.data.withUnsafeBytes { data in
                if let comment = packet.comment {
                    Array(comment.utf8).withUnsafeBytes {
                        PcapngEncoder.enhancedPacket(packet.kind!, data: data, unixNanoseconds: packet.unixNanoseconds,
                                                     direction: packet.direction, comment: $0, into: &sink)
                    }
                } else {
                    PcapngEncoder.enhancedPacket(packet.kind!, data: data, unixNanoseconds: packet.unixNanoseconds,
                                                 direction: packet.direction, into: &sink)
                }
            }
        }
        var rewritten = PcapngReader(sink.bytes)
        var index = 0
        while let packet = try? rewritten.next() {
            fuzzCheck(index < known.count, "more packets read back than written")
            let original = known[index]
            fuzzCheck(packet.kind == original.kind && packet.data == original.data && packet.unixNanoseconds == original.unixNanoseconds
                      && packet.direction == original.direction, "packet \(index) reads back differently")
            index += 1
        }
        fuzzCheck(index == known.count, "\(known.count) packets written, \(index) read back")
    }
}
