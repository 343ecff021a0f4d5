@testable import RTC
import Testing

/// RFC 6464's audio level read from the RFC 8285 header extension block of a decrypted packet,
/// in both element forms, and written by our sender beside the MID.
@Suite("Audio level header extension (RFC 6464)")
struct AudioLevelTests {
    /// A packet (PT 111) whose extension block is `profile` and `elements` padded to a word,
    /// then a 3-byte payload.
    private func packet(profile: [UInt8], elements: [UInt8]) -> [UInt8] {
        let words = (elements.count + 3) / 4
        var bytes: [UInt8] = [0x90, 111, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]
        bytes += profile
        bytes += [0, UInt8(words)]
        bytes += elements
        bytes += [UInt8](repeating: 0, count: words * 4 - elements.count)
        bytes += [0xF8, 0xFF, 0xFE]
        return bytes
    }

    private func read(_ bytes: [UInt8], id: UInt16) throws -> (AudioLevel?, [UInt8]) {
        try bytes.withUnsafeBytes { buffer in
            let view = try #require(RTPPacketView(buffer), "the packet itself must parse")
            return (AudioLevel(view, extensionID: id), Array(view.payload))
        }
    }

    @Test("one-byte element (L=0): the level and the V bit")
    func oneByte() throws {
        // MID "0" under id 4, then the level under id 1: V set, 30 -dBov.
        let (level, payload) = try read(packet(profile: [0xBE, 0xDE], elements: [0x40, 0x30, 0x10, 0x80 | 30]), id: 1)
        #expect(level == AudioLevel(level: 30, voiceActivity: true))
        #expect(payload == [0xF8, 0xFF, 0xFE])
    }

    @Test("two-byte element (RFC 8285 §4.3), under an id above 14")
    func twoByte() throws {
        let (level, _) = try read(packet(profile: [0x10, 0x00], elements: [0x00, 20, 1, 0x7F]), id: 20)
        #expect(level == AudioLevel(level: 127, voiceActivity: false))
    }

    @Test("an element longer than one byte is read by its first (senders that pad it)")
    func longerElement() throws {
        let (level, _) = try read(packet(profile: [0xBE, 0xDE], elements: [0x12, 0x05, 0xAA, 0xBB]), id: 1)
        #expect(level == AudioLevel(level: 5, voiceActivity: false))
    }

    @Test("absent, empty or cut-off elements give no level, and the packet is read all the same", arguments: [
        // Only a MID.
        ([UInt8](arrayLiteral: 0xBE, 0xDE), [UInt8](arrayLiteral: 0x40, 0x30)),
        // A two-byte element of length 0.
        ([0x10, 0x00], [0x01, 0x00]),
        // A one-byte element claiming 4 bytes in a block of 4: cut off.
        ([0xBE, 0xDE], [0x13, 0x01, 0x02]),
        // Id 15 stops parsing (RFC 8285 §4.2) before the level.
        ([0xBE, 0xDE], [0xF0, 0x10, 0x20]),
        // An unknown profile.
        ([0x12, 0x34], [0x10, 0x20]),
    ])
    func absentOrMalformed(profile: [UInt8], elements: [UInt8]) throws {
        let (level, payload) = try read(packet(profile: profile, elements: elements), id: 1)
        #expect(level == nil)
        #expect(payload == [0xF8, 0xFF, 0xFE])
    }

    @Test("a level is clamped to 127; its byte puts V on top")
    func byte() {
        #expect(AudioLevel(level: 200, voiceActivity: false).level == 127)
        #expect(AudioLevel(level: 3, voiceActivity: true).byte == 0x83)
    }

    @Test("our sender writes the MID and the level in one one-byte block, and only levels it is given")
    func sender() throws {
        var configuration = OutboundStream.Configuration(ssrc: 7, payloadType: 111, clockRate: 48_000)
        configuration.mid = "0"
        configuration.midExtensionID = 4
        configuration.audioLevelExtensionID = 1
        let stream = OutboundStream(configuration: configuration, now: .now)
        var sent: [[UInt8]] = []
        let payload: [UInt8] = [0xF8, 0xFF, 0xFE]
        for level in [AudioLevel(level: 15, voiceActivity: false), nil] {
            payload.withUnsafeBytes { bytes in
                stream.send(payload: bytes, marker: false, rtpTimestamp: 960, audioLevel: level, now: .now) { sent.append(Array($0)) }
            }
        }
        try sent[0].withUnsafeBytes { buffer in
            let view = try #require(RTPPacketView(buffer))
            #expect(view.headerExtension(id: 4).map(Array.init) == Array("0".utf8))
            #expect(AudioLevel(view, extensionID: 1) == AudioLevel(level: 15, voiceActivity: false))
            #expect(Array(view.payload) == payload)
        }
        try sent[1].withUnsafeBytes { buffer in
            let view = try #require(RTPPacketView(buffer))
            #expect(view.headerExtension(id: 4) != nil && AudioLevel(view, extensionID: 1) == nil)
        }
    }
}
