import CFFmpeg
@testable import Media
import Testing

@Suite("PacketBufferPools: the interleaver's frame buffers, reused")
struct PacketBufferPoolsTests {
    @Test("a frame is copied whole with zeroed padding into the smallest pooled size that holds both",
          arguments: [1, 959, 960, 961, 4_000, 65_000, 300_000, 2_097_088])
    func copies(size: Int) throws {
        let frame = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let copied = try #require(frame.withUnsafeBytes { PacketBufferPools.shared.copy(of: $0) })
        var buffer: UnsafeMutablePointer<AVBufferRef>? = copied
        defer { av_buffer_unref(&buffer) }
        let needed = size + Int(AV_INPUT_BUFFER_PADDING_SIZE)
        #expect(copied.pointee.size >= needed && copied.pointee.size < max(2 * needed, 1_024 + 1), "\(copied.pointee.size) for \(needed)")
        let data = try #require(copied.pointee.data)
        #expect(Array(UnsafeBufferPointer(start: data, count: size)) == frame)
        #expect(UnsafeBufferPointer(start: data + size, count: Int(AV_INPUT_BUFFER_PADDING_SIZE)).allSatisfy { $0 == 0 })
    }

    @Test("a buffer the muxer let go of is handed out again, holding the next frame's bytes")
    func reuses() throws {
        let first = [UInt8](repeating: 0xAA, count: 3_000)
        let firstCopy = try #require(first.withUnsafeBytes { PacketBufferPools.shared.copy(of: $0) })
        let address = firstCopy.pointee.data
        var buffer: UnsafeMutablePointer<AVBufferRef>? = firstCopy
        av_buffer_unref(&buffer)
        let second = [UInt8](repeating: 0x55, count: 2_500)
        let secondCopy = try #require(second.withUnsafeBytes { PacketBufferPools.shared.copy(of: $0) })
        var again: UnsafeMutablePointer<AVBufferRef>? = secondCopy
        defer { av_buffer_unref(&again) }
        #expect(secondCopy.pointee.data == address)
        let data = try #require(secondCopy.pointee.data)
        #expect(Array(UnsafeBufferPointer(start: data, count: 2_500)) == second)
        #expect(data[2_500] == 0)
    }

    @Test("a frame larger than the largest pooled size is left to libav")
    func tooLarge() {
        let frame = [UInt8](repeating: 1, count: 2 << 20)
        #expect(frame.withUnsafeBytes { PacketBufferPools.shared.copy(of: $0) } == nil)
    }

    @Test("copyOrAllocate gives a frame larger than the pools a buffer of its own, whole with zeroed padding")
    func allocatedWhenTooLarge() throws {
        let frame = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 1) }
        let copied = try #require(frame.withUnsafeBytes { PacketBufferPools.shared.copyOrAllocate(of: $0) })
        var buffer: UnsafeMutablePointer<AVBufferRef>? = copied
        defer { av_buffer_unref(&buffer) }
        #expect(copied.pointee.size == frame.count + Int(AV_INPUT_BUFFER_PADDING_SIZE))
        let data = try #require(copied.pointee.data)
        #expect(Array(UnsafeBufferPointer(start: data, count: frame.count)) == frame)
        #expect(UnsafeBufferPointer(start: data + frame.count, count: Int(AV_INPUT_BUFFER_PADDING_SIZE)).allSatisfy { $0 == 0 })
    }
}
