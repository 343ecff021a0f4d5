import Foundation
@testable import RTC

/// Reads rtptools' rtpdump files (`#!rtpdump1.0 address/port`): a text line, a 16-byte RD_hdr_t
/// (start seconds, start microseconds, source address, port, padding), then per packet an
/// RD_packet_t (length = 8 + bytes, packet length, milliseconds since start) and the packet. All
/// big-endian. A packet length of 0 marks a non-RTP record and is skipped.
enum RTPDumpReader {
    struct Record {
        var millisecondsSinceStart: UInt32
        var packet: [UInt8]
    }

    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    static func read(_ url: URL) throws -> [Record] {
        let bytes = [UInt8](try Data(contentsOf: url))
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")),
              String(decoding: bytes[..<newline], as: UTF8.self).hasPrefix("#!rtpdump1.0") else {
            throw FormatError(description: "\(url.lastPathComponent): no #!rtpdump1.0 line")
        }
        var offset = newline + 1 + 16
        var records: [Record] = []
        while offset < bytes.count {
            guard offset + 8 <= bytes.count else { throw FormatError(description: "truncated record header at \(offset)") }
            let length = Int(bytes.readUInt16(at: offset))
            let packetLength = Int(bytes.readUInt16(at: offset + 2))
            let milliseconds = bytes.readUInt32(at: offset + 4)
            guard length >= 8, offset + length <= bytes.count, packetLength <= length - 8 else {
                throw FormatError(description: "bad record lengths at \(offset)")
            }
            if packetLength > 0 {
                records.append(Record(millisecondsSinceStart: milliseconds, packet: Array(bytes[offset + 8 ..< offset + 8 + packetLength])))
            }
            offset += length
        }
        return records
    }
}
