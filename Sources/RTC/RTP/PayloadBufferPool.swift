/// Fixed-size payload buffers handed out by number and given back, for the packets a reorder
/// buffer holds. Buffers are allocated a chunk at a time when none is free, never freed before
/// the pool is; the last buffer given back is the next taken, so the memory in use stays the few
/// buffers that recent holes needed.
struct PayloadBufferPool {
    static let buffersPerChunk = 16

    let bufferSize: Int
    /// The pool never grows past this (the ring's capacity: it cannot hold more packets).
    let maximumBuffers: Int
    private var chunks: [UnsafeMutableRawPointer] = []
    private var free: [Int32] = []

    init(bufferSize: Int, maximumBuffers: Int) {
        self.bufferSize = bufferSize
        self.maximumBuffers = maximumBuffers
    }

    var allocatedBuffers: Int { chunks.count * Self.buffersPerChunk }

    /// A free buffer, growing the pool by a chunk when there is none.
    mutating func take() -> Int32 {
        if let buffer = free.popLast() { return buffer }
        // None free means every buffer holds a waiting packet, and a ring holds at most its capacity.
        precondition(allocatedBuffers < maximumBuffers, "more payload buffers taken than the ring has slots")
        let first = allocatedBuffers
        chunks.append(UnsafeMutableRawPointer.allocate(byteCount: Self.buffersPerChunk * bufferSize, alignment: 16))
        if free.capacity < maximumBuffers { free.reserveCapacity(maximumBuffers) }
        // Hand out the chunk's first buffer; the others wait, highest first, so the next take is
        // the next one up.
        for buffer in stride(from: first + Self.buffersPerChunk - 1, to: first, by: -1) { free.append(Int32(buffer)) }
        return Int32(first)
    }

    mutating func give(back buffer: Int32) {
        free.append(buffer)
    }

    func address(of buffer: Int32) -> UnsafeMutableRawPointer {
        let index = Int(buffer)
        return chunks[index / Self.buffersPerChunk] + (index % Self.buffersPerChunk) * bufferSize
    }

    /// Frees every chunk; the pool is not used after.
    mutating func deallocate() {
        for chunk in chunks { chunk.deallocate() }
        chunks.removeAll()
        free.removeAll()
    }
}
