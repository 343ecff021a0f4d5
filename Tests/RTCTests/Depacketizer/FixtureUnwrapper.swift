/// Extends 16-bit sequence numbers and 32-bit timestamps as a receiver does, for feeding fixtures.
struct FixtureUnwrapper {
    private var lastSequence: Int64?
    private var lastTimestamp: Int64?

    mutating func sequence(_ value: UInt16) -> Int64 {
        let unwrapped = Self.unwrap(Int64(value), after: lastSequence, modulus: 1 << 16)
        lastSequence = unwrapped
        return unwrapped
    }

    mutating func timestamp(_ value: UInt32) -> Int64 {
        let unwrapped = Self.unwrap(Int64(value), after: lastTimestamp, modulus: 1 << 32)
        lastTimestamp = unwrapped
        return unwrapped
    }

    private static func unwrap(_ value: Int64, after last: Int64?, modulus: Int64) -> Int64 {
        guard let last else { return value }
        var delta = (value - last) % modulus
        if delta > modulus / 2 { delta -= modulus } else if delta < -modulus / 2 { delta += modulus }
        return last + delta
    }
}
