/// Encodes a list of packet status symbols (0 not received, 1 small delta, 2 large or negative
/// delta) as the packet chunks of transport-wide feedback
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1.2–3.1.4):
///
/// - run length chunk `0 SS LLLLLLLLLLLLL`: one symbol repeated up to 8191 times;
/// - status vector chunk `1 0 …`: 14 one-bit symbols, for runs without large deltas;
/// - status vector chunk `1 1 …`: 7 two-bit symbols.
///
/// Symbols are buffered until the next one no longer fits any chunk the buffer could become;
/// then the buffer is emitted as a run if it is one symbol repeated, else as a one-bit vector of
/// 14, else as a two-bit vector of its first 7, the rest staying buffered. Every chunk but the
/// last so covers at least 7 packets.
struct TransportFeedbackChunkWriter: Sendable, Hashable {
    static let maximumRunLength = 0x1FFF
    static let oneBitVectorCapacity = 14
    static let twoBitVectorCapacity = 7
    /// Symbol 2, which a one-bit vector cannot hold.
    private static let largeDeltaSymbol: UInt8 = 2

    private(set) var chunks: [UInt16] = []
    /// The buffered symbols; only the first 14 are stored, since a longer buffer is a run.
    private var pending: [UInt8] = []
    private var pendingCount = 0
    private var pendingIsRun = true
    private var pendingHasLargeDelta = false

    /// How many chunks `finishedChunks()` would return now: the buffer always fits one chunk.
    var chunkCountWhenFinished: Int { chunks.count + (pendingCount > 0 ? 1 : 0) }

    mutating func append(_ symbol: UInt8) {
        if !canBuffer(symbol) { emitChunk() }
        buffer(symbol)
    }

    /// The chunks, with the buffered symbols as a final chunk; a vector's unused slots are 0,
    /// which a reader ignores past the packet status count.
    func finishedChunks() -> [UInt16] {
        guard pendingCount > 0 else { return chunks }
        if pendingIsRun { return chunks + [Self.runLengthChunk(symbol: pending[0], length: pendingCount)] }
        if !pendingHasLargeDelta { return chunks + [Self.oneBitVectorChunk(pending)] }
        return chunks + [Self.twoBitVectorChunk(pending[...])]
    }

    private func canBuffer(_ symbol: UInt8) -> Bool {
        if pendingCount == 0 { return true }
        if pendingIsRun, symbol == pending[0] { return pendingCount < Self.maximumRunLength }
        if pendingCount < Self.twoBitVectorCapacity { return true }
        return pendingCount < Self.oneBitVectorCapacity && !pendingHasLargeDelta && symbol != Self.largeDeltaSymbol
    }

    private mutating func buffer(_ symbol: UInt8) {
        if pendingCount > 0, symbol != pending[0] { pendingIsRun = false }
        if symbol == Self.largeDeltaSymbol { pendingHasLargeDelta = true }
        if pending.count < Self.oneBitVectorCapacity { pending.append(symbol) }
        pendingCount += 1
    }

    private mutating func emitChunk() {
        let buffered = pending
        if pendingIsRun {
            chunks.append(Self.runLengthChunk(symbol: buffered[0], length: pendingCount))
            clear()
        } else if pendingCount == Self.oneBitVectorCapacity {
            // Fourteen mixed symbols were only buffered while none was a large delta.
            chunks.append(Self.oneBitVectorChunk(buffered))
            clear()
        } else {
            chunks.append(Self.twoBitVectorChunk(buffered.prefix(Self.twoBitVectorCapacity)))
            clear()
            for symbol in buffered.dropFirst(Self.twoBitVectorCapacity) { buffer(symbol) }
        }
    }

    private mutating func clear() {
        pending.removeAll(keepingCapacity: true)
        pendingCount = 0
        pendingIsRun = true
        pendingHasLargeDelta = false
    }

    static func runLengthChunk(symbol: UInt8, length: Int) -> UInt16 {
        UInt16(symbol & 0x3) << 13 | UInt16(length & maximumRunLength)
    }

    static func oneBitVectorChunk(_ symbols: [UInt8]) -> UInt16 {
        var chunk: UInt16 = 0x8000
        for (index, symbol) in symbols.prefix(oneBitVectorCapacity).enumerated() {
            chunk |= UInt16(symbol & 0x1) << (13 - index)
        }
        return chunk
    }

    static func twoBitVectorChunk(_ symbols: ArraySlice<UInt8>) -> UInt16 {
        var chunk: UInt16 = 0xC000
        for (index, symbol) in symbols.prefix(twoBitVectorCapacity).enumerated() {
            chunk |= UInt16(symbol & 0x3) << (12 - 2 * index)
        }
        return chunk
    }
}
