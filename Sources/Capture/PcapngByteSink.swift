/// Where the pcapng encoder puts bytes: a growing array (headers, tests) or space reserved in a
/// `CaptureRing` (packets, on the receive path, without allocating).
public protocol PcapngByteSink {
    /// Four bytes in the file's byte order (little-endian: Tapedeck's sections always are).
    mutating func appendFileOrder(_ value: UInt32)
    /// Four bytes, big-endian (the exported-PDU tags are, in any section).
    mutating func appendBigEndian(_ value: UInt32)
    mutating func append(_ bytes: UnsafeRawBufferPointer)
    /// `count` zero bytes.
    mutating func appendZeros(_ count: Int)
}

extension PcapngByteSink {
    mutating func appendFileOrder(_ value: UInt16, _ second: UInt16) {
        appendFileOrder(UInt32(value) | UInt32(second) << 16)
    }
}

/// A growing byte array as a sink.
public struct PcapngBytes: PcapngByteSink {
    public var bytes: [UInt8] = []

    public init() {}

    public mutating func appendFileOrder(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func appendBigEndian(_ value: UInt32) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func append(_ more: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: more)
    }

    public mutating func appendZeros(_ count: Int) {
        bytes.append(contentsOf: repeatElement(0, count: count))
    }
}
