import Foundation
import JSON
import NIOCore
import Signaling
@testable import SignalingServer
import SignalingTestSupport
import Testing
import WSCore

@Suite("Signaling protocol")
struct SignalingProtocolTests {
    @Test("decodes what a plain browser client sends")
    func decodesBrowserMessages() throws {
        // As the relay-protocol page sends them: JSON.stringify of RTCSessionDescription and of
        // RTCIceCandidate (toJSON), no from/to.
        let offer = #"{"type":"offer","sdp":{"type":"offer","sdp":"v=0\r\no=- 46117 2 IN IP4 127.0.0.1\r\n"}}"#
        let candidate = #"{"type":"ice-candidate","candidate":{"candidate":"candidate:842163049 1 udp 1677729535 192.0.2.3 61665 typ srflx raddr 10.0.1.1 rport 8998","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"EsJw"}}"#
        let end = #"{"type":"ice-candidate","candidate":null}"#
        let decoder = JSONDecoder()
        #expect(try decoder.decode(SignalingMessage.self, from: Data(offer.utf8))
            == .offer(SessionDescription(type: "offer", sdp: "v=0\r\no=- 46117 2 IN IP4 127.0.0.1\r\n"), Routing()))
        guard case .iceCandidate(let parsed?, _) = try decoder.decode(SignalingMessage.self, from: Data(candidate.utf8)) else {
            throw TestFailure("candidate not decoded")
        }
        #expect(parsed.sdpMid == "0")
        #expect(parsed.usernameFragment == "EsJw")
        #expect(try decoder.decode(SignalingMessage.self, from: Data(end.utf8)) == .iceCandidate(nil, Routing()))
    }

    @Test("every message round-trips and encodes the fields browsers expect")
    func roundTrips() throws {
        let messages: [SignalingMessage] = [
            .join(room: "r", token: nil), .join(room: "r", token: "t"),
            .offer(SessionDescription(type: "offer", sdp: "v=0"), Routing(from: "a", to: "b")),
            .answer(SessionDescription(type: "answer", sdp: "v=0"), Routing()),
            .iceCandidate(IceCandidate(candidate: "candidate:1 1 udp 1 ::1 9 typ host", sdpMid: "1", sdpMLineIndex: 1), Routing(to: "z")),
            .iceCandidate(nil, Routing()), .joined(id: "x", peers: ["y", "z"]),
            .peerJoined(id: "p"), .peerLeft(id: "p"), .error(reason: "nope"),
        ]
        for message in messages {
            let data = try JSONEncoder().encode(message)
            #expect(try JSONDecoder().decode(SignalingMessage.self, from: data) == message)
            let object = try JSONDecoder().decode(JSONValue.self, from: data)
            #expect(object["type"] == .string(message.type))
        }
        let end = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(SignalingMessage.iceCandidate(nil, Routing())))
        #expect(end["candidate"] == .null)
    }

    @Test("JSONValue keeps whole numbers whole")
    func wholeNumbers() throws {
        let text = String(decoding: try JSONEncoder().encode(JSONValue.object(["sdpMLineIndex": .number(0)])), as: UTF8.self)
        #expect(text == #"{"sdpMLineIndex":0}"#)
    }

    @Test("fuzz: the server's parser refuses or accepts any input without crashing")
    func fuzzParser() {
        var generator = SplitMix64(seed: 0x7a9e_dec0)
        let seeds = [
            #"{"type":"join","room":"r","token":"t"}"#,
            #"{"type":"offer","sdp":{"type":"offer","sdp":"v=0\r\n"},"to":"abc"}"#,
            #"{"type":"ice-candidate","candidate":{"candidate":"candidate:1 1 udp 1 1.2.3.4 5 typ host","sdpMid":"0","sdpMLineIndex":0}}"#,
            #"{"type":"ice-candidate","candidate":null}"#,
        ]
        let alphabet = Array(#"{}[]":,\ 0123456789.-eEtruefalsn"abcxyz"#.utf8) + [0x00, 0xff, 0xc3, 0x80]
        var accepted = 0, refused = 0
        for iteration in 0..<20_000 {
            var bytes = Array(seeds[iteration % seeds.count].utf8)
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let position = Int.random(in: 0...bytes.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0 where position < bytes.count: bytes.remove(at: position)
                case 1: bytes.insert(alphabet.randomElement(using: &generator)!, at: position)
                case 2 where position < bytes.count: bytes[position] = alphabet.randomElement(using: &generator)!
                default: bytes.insert(contentsOf: bytes.prefix(Int.random(in: 0...8, using: &generator)), at: position)
                }
            }
            do {
                _ = try SignalingRequest.parse(String(decoding: bytes, as: UTF8.self), maxRoomNameLength: 128)
                accepted += 1
            } catch {
                #expect(!error.reason.isEmpty)
                refused += 1
            }
        }
        // Both paths were exercised: mutations that keep a valid message and ones that break it.
        #expect(accepted > 100)
        #expect(refused > 100)
    }

    @Test("frames assemble into messages; oversize, binary and stray frames are refused")
    func assembler() {
        var assembler = TextMessageAssembler(limit: 10)
        func frame(_ opcode: WebSocketDataFrame.Opcode, _ text: String, fin: Bool) -> TextMessageAssembler.Outcome {
            assembler.consume(opcode, ByteBuffer(string: text), fin: fin)
        }
        #expect(frame(.text, "hello", fin: true) == .message("hello"))
        #expect(frame(.text, "hel", fin: false) == .pending)
        #expect(frame(.continuation, "lo!", fin: true) == .message("hello!"))
        #expect(frame(.text, "0123456", fin: false) == .pending)
        #expect(frame(.continuation, "789ab", fin: true) == .tooLarge(bytes: 12))
        #expect(frame(.binary, "x", fin: true) == .binary)
        #expect(frame(.continuation, "x", fin: true) == .strayContinuation)
        #expect(assembler.consume(.text, ByteBuffer(bytes: [0xc3]), fin: true) == .invalidUTF8)
        #expect(frame(.text, "ok", fin: true) == .message("ok"))
    }

    @Test("reconnect delays grow to the cap, keep jitter within bounds, and reset")
    func backoff() {
        var generator = SplitMix64(seed: 1)
        var backoff = ReconnectBackoff(initial: .milliseconds(100), maximum: .seconds(2))
        let delays = (0..<8).map { _ in backoff.nextDelay(using: &generator) }
        #expect(delays[0] >= .milliseconds(50) && delays[0] <= .milliseconds(100))
        #expect(delays[3] >= .milliseconds(400) && delays[3] <= .milliseconds(800))
        #expect(delays.allSatisfy { $0 <= .seconds(2) })
        #expect(delays[7] >= .seconds(1))
        backoff.reset()
        #expect(backoff.nextDelay(using: &generator) <= .milliseconds(100))
    }
}

/// A small seeded generator so fuzz runs are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
