internal import CFFmpeg

extension UnsafeMutablePointer where Pointee == AVFrame {
    /// The first four data planes (AVFrame.data, a C array Swift sees as a tuple).
    var planes: [UnsafeMutablePointer<UInt8>?] {
        withUnsafeBytes(of: pointee.data) { raw in
            (0..<4).map { raw.load(fromByteOffset: $0 * MemoryLayout<UnsafeMutablePointer<UInt8>?>.stride,
                                   as: UnsafeMutablePointer<UInt8>?.self) }
        }
    }

    /// Their line sizes in bytes.
    var lineSizes: [Int32] {
        withUnsafeBytes(of: pointee.linesize) { raw in
            (0..<4).map { raw.load(fromByteOffset: $0 * MemoryLayout<Int32>.stride, as: Int32.self) }
        }
    }

    /// Audio: each channel's samples from `offset` on (planar formats have one plane per channel).
    func channelPointers(from offset: Int, channels: Int, bytesPerSample: Int) -> [UnsafeMutableRawPointer?] {
        (0..<channels).map { channel in
            pointee.extended_data[channel].map { UnsafeMutableRawPointer($0) + offset * bytesPerSample }
        }
    }
}
