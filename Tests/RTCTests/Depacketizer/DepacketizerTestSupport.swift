@testable import RTC
import Testing

/// Byte strings written as hex in tests ("9d 01 2a"; spaces ignored).
enum TestBytes {
    static func hex(_ text: String) -> [UInt8] {
        let digits = text.unicodeScalars.compactMap { scalar -> UInt8? in
            guard let value = Int(String(scalar), radix: 16) else { return nil }
            return UInt8(value)
        }
        precondition(digits.count % 2 == 0, "odd number of hex digits in \(text)")
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }
}

/// One frame the assembler emitted, with its bytes copied out of the borrowed buffer.
struct CollectedFrame: Equatable {
    var frame: AssembledFrame
    var bytes: [UInt8]
}

/// A FrameAssembler plus everything it emitted, for tests that push payloads one by one.
struct AssemblerHarness {
    var assembler: FrameAssembler
    var frames: [CollectedFrame] = []

    init(_ codec: SDP.SupportedCodec) {
        assembler = FrameAssembler(codec: codec)
    }

    /// Pushes one payload; returns the frames it emitted.
    @discardableResult
    mutating func push(_ payload: [UInt8], marker: Bool = false, sequence: Int64, timestamp: Int64,
                       continuous: Bool = true) -> [CollectedFrame] {
        var emitted: [CollectedFrame] = []
        payload.withUnsafeBytes { buffer in
            assembler.push(payload: buffer, marker: marker, sequence: sequence, timestamp: timestamp,
                           continuous: continuous) { frame, bytes in
                emitted.append(CollectedFrame(frame: frame, bytes: Array(bytes)))
            }
        }
        frames += emitted
        return emitted
    }
}

/// An RTP payload as a packetizer emitted it, with its marker bit (the last packet of the frame).
struct PacketizedPayload {
    var bytes: [UInt8]
    var isLast: Bool
}

/// Runs any of the packetizers on a frame and collects the payloads.
enum Packetize {
    static func vp8(_ frame: [UInt8], _ packetizer: inout VP8Packetizer, max: Int) -> [PacketizedPayload] {
        var out: [PacketizedPayload] = []
        frame.withUnsafeBytes { buffer in
            packetizer.packetize(buffer, isKeyframe: false, maxPayloadSize: max) { out.append(PacketizedPayload(bytes: Array($0), isLast: $1)) }
        }
        return out
    }

    static func vp9(_ frame: [UInt8], keyframe: Bool, _ packetizer: inout VP9Packetizer, max: Int) -> [PacketizedPayload] {
        var out: [PacketizedPayload] = []
        frame.withUnsafeBytes { buffer in
            packetizer.packetize(buffer, isKeyframe: keyframe, maxPayloadSize: max) { out.append(PacketizedPayload(bytes: Array($0), isLast: $1)) }
        }
        return out
    }

    static func h264(_ frame: [UInt8], _ packetizer: inout H264Packetizer, max: Int) -> [PacketizedPayload] {
        var out: [PacketizedPayload] = []
        frame.withUnsafeBytes { buffer in
            packetizer.packetize(buffer, isKeyframe: false, maxPayloadSize: max) { out.append(PacketizedPayload(bytes: Array($0), isLast: $1)) }
        }
        return out
    }

    static func opus(_ frame: [UInt8]) -> [PacketizedPayload] {
        var out: [PacketizedPayload] = []
        frame.withUnsafeBytes { buffer in
            OpusPacketizer().packetize(buffer) { out.append(PacketizedPayload(bytes: Array($0), isLast: $1)) }
        }
        return out
    }
}

extension SeededRandom {
    /// A uniformly chosen integer in `range`.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }

    /// Random bytes none of which is zero, so they never form an H.264 start code.
    mutating func nonZeroBytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next() % 255 + 1) }
    }
}

/// Compares frame byte strings without printing megabytes on failure: the count, then the first
/// frame that differs, by index and sizes.
func expectSameFrames(_ actual: [[UInt8]], _ expected: [[UInt8]], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "frame count", sourceLocation: sourceLocation)
    if let index = zip(actual, expected).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
        let firstByte = zip(actual[index], expected[index]).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        Issue.record("frame \(index) differs: \(actual[index].count) bytes, expected \(expected[index].count); first differing byte \(firstByte.map(String.init) ?? "none (length)")",
                     sourceLocation: sourceLocation)
    }
}
