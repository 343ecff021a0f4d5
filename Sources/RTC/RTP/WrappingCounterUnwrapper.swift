/// Extends a wrapping 16-bit sequence number or 32-bit timestamp to 64 bits.
///
/// Each new value is placed at the signed distance from the highest value seen so far, so
/// wrap-around (65535 → 0) moves forward and a reordered packet from just before the wrap moves
/// back; raw values are never compared (compared raw, a wrap has produced hour-long files).
public struct WrappingCounterUnwrapper<Value: FixedWidthInteger & UnsignedInteger>: Sendable, Hashable {
    public private(set) var highest: Int64?

    public init() {}

    public mutating func unwrap(_ value: Value) -> Int64 {
        guard let highest else {
            // Start one cycle up, so that a packet reordered from before the first one seen
            // still gets a positive extended value.
            let first = Int64(value) + Self.cycle
            self.highest = first
            return first
        }
        let distance = Self.signedDistance(from: Value(truncatingIfNeeded: highest), to: value)
        let extended = highest + distance
        if distance > 0 { self.highest = extended }
        return extended
    }

    /// Where `value` would land, without remembering it.
    public func peek(_ value: Value) -> Int64 {
        guard let highest else { return Int64(value) + Self.cycle }
        return highest + Self.signedDistance(from: Value(truncatingIfNeeded: highest), to: value)
    }

    public mutating func reset() { highest = nil }

    /// 2^16 for sequence numbers, 2^32 for timestamps.
    public static var cycle: Int64 { Int64(1) << Value.bitWidth }

    /// The distance from `old` to `new` in (-2^(n-1), 2^(n-1)].
    static func signedDistance(from old: Value, to new: Value) -> Int64 {
        let forward = new &- old
        let half = Value(1) << (Value.bitWidth - 1)
        return forward <= half ? Int64(forward) : -Int64(old &- new)
    }
}

public typealias SequenceNumberUnwrapper = WrappingCounterUnwrapper<UInt16>
public typealias RTPTimestampUnwrapper = WrappingCounterUnwrapper<UInt32>
