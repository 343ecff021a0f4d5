import Foundation

/// IVF, the container libvpx's tools and ffmpeg read VP8/VP9 from: a 32-byte file header
/// ("DKIF", version 0, header size, FourCC, width, height, time base, frame count), then per frame
/// a 12-byte header (size, 64-bit timestamp) and the frame. Little-endian.
enum IVF {
    static func write(_ frames: [(timestamp: Int64, bytes: [UInt8])], fourCC: String, width: Int, height: Int,
                      timebase: (numerator: Int, denominator: Int) = (1, 90000)) -> Data {
        var file = Data("DKIF".utf8)
        file.appendLittleEndian(UInt16(0))
        file.appendLittleEndian(UInt16(32))
        file.append(contentsOf: Array(fourCC.utf8))
        file.appendLittleEndian(UInt16(width))
        file.appendLittleEndian(UInt16(height))
        file.appendLittleEndian(UInt32(timebase.denominator))
        file.appendLittleEndian(UInt32(timebase.numerator))
        file.appendLittleEndian(UInt32(frames.count))
        file.appendLittleEndian(UInt32(0))
        for frame in frames {
            file.appendLittleEndian(UInt32(frame.bytes.count))
            file.appendLittleEndian(UInt64(bitPattern: frame.timestamp))
            file.append(contentsOf: frame.bytes)
        }
        return file
    }

    /// The frames of an IVF file.
    static func frames(of data: Data) -> [[UInt8]] {
        let bytes = [UInt8](data)
        guard bytes.count >= 32 else { return [] }
        var offset = Int(bytes[6]) | Int(bytes[7]) << 8
        var frames: [[UInt8]] = []
        while offset + 12 <= bytes.count {
            let size = (0..<4).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
            guard offset + 12 + size <= bytes.count else { break }
            frames.append(Array(bytes[offset + 12 ..< offset + 12 + size]))
            offset += 12 + size
        }
        return frames
    }
}

extension Data {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
