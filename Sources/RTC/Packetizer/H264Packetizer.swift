/// H.264 over RTP in packetization mode 1 (RFC 6184): takes an access unit in Annex B format and
/// sends each NAL unit as a single NAL unit packet when it fits (§5.6), several small consecutive
/// ones together as a STAP-A (§5.7.1, e.g. SPS and PPS), and a large one as FU-A fragments (§5.8).
///
/// Builds each aggregate or fragment in one reusable buffer; single NAL units go out in place. No
/// allocation once the buffer has grown to the largest payload.
public struct H264Packetizer: Sendable {
    /// Aggregate small NAL units into STAP-A packets.
    public var aggregates: Bool
    private var scratch: [UInt8] = []

    public init(aggregates: Bool = true) {
        self.aggregates = aggregates
    }

    /// Splits the Annex B access unit `frame` into payloads of at most `maxPayloadSize` bytes
    /// (more than 2, the FU-A header). Bytes before the first start code are ignored; a frame
    /// without NAL units yields nothing. `isKeyframe` is not needed: the NAL types say it.
    public mutating func packetize(_ frame: UnsafeRawBufferPointer, isKeyframe: Bool, maxPayloadSize: Int,
                                   into emit: (_ payload: UnsafeRawBufferPointer, _ isLast: Bool) -> Void) {
        precondition(maxPayloadSize > 2, "maxPayloadSize leaves no room for an FU-A fragment")
        var current = H264AnnexBScanner.nalUnit(in: frame, from: 0)
        while let unit = current {
            var next = H264AnnexBScanner.nalUnit(in: frame, from: unit.upperBound)
            if unit.count > maxPayloadSize {
                fragment(UnsafeRawBufferPointer(rebasing: frame[unit]), maxPayloadSize: maxPayloadSize,
                         isLastUnit: next == nil, emit: emit)
            } else {
                // STAP-A: one header byte, then a 16-bit size before each unit.
                var aggregateSize = 1 + 2 + unit.count
                var last = unit
                while aggregates, unit.count <= 0xFFFF, let following = next, following.count <= 0xFFFF,
                      aggregateSize + 2 + following.count <= maxPayloadSize {
                    aggregateSize += 2 + following.count
                    last = following
                    next = H264AnnexBScanner.nalUnit(in: frame, from: following.upperBound)
                }
                if last == unit {
                    emit(UnsafeRawBufferPointer(rebasing: frame[unit]), next == nil)
                } else {
                    aggregate(frame, from: unit, through: last, emit: emit, isLast: next == nil)
                }
            }
            current = next
        }
    }

    /// FU-A (§5.8): the indicator keeps F and NRI with type 28; the FU header has S, E and the type.
    private mutating func fragment(_ unit: UnsafeRawBufferPointer, maxPayloadSize: Int, isLastUnit: Bool,
                                   emit: (_ payload: UnsafeRawBufferPointer, _ isLast: Bool) -> Void) {
        let indicator = unit[0] & 0xE0 | 28
        let type = unit[0] & 0x1F
        let room = maxPayloadSize - 2
        var offset = 1  // the NAL header travels in the indicator and FU header
        while offset < unit.count {
            let end = min(offset + room, unit.count)
            var header = type
            if offset == 1 { header |= 0x80 }
            if end == unit.count { header |= 0x40 }
            scratch.removeAll(keepingCapacity: true)
            scratch.append(indicator)
            scratch.append(header)
            scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: unit[offset ..< end]))
            scratch.withUnsafeBytes { emit($0, isLastUnit && end == unit.count) }
            offset = end
        }
    }

    /// STAP-A (§5.7.1) of the units from `first` through `last`; F is the OR and NRI the maximum
    /// of the aggregated units' (§5.7).
    private mutating func aggregate(_ frame: UnsafeRawBufferPointer, from first: Range<Int>, through last: Range<Int>,
                                    emit: (_ payload: UnsafeRawBufferPointer, _ isLast: Bool) -> Void, isLast: Bool) {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(24)
        var forbidden: UInt8 = 0
        var importance: UInt8 = 0
        var unit: Range<Int>? = first
        while let current = unit {
            forbidden |= frame[current.lowerBound] & 0x80
            importance = max(importance, frame[current.lowerBound] & 0x60)
            scratch.appendUInt16(UInt16(current.count))
            scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: frame[current]))
            unit = current == last ? nil : H264AnnexBScanner.nalUnit(in: frame, from: current.upperBound)
        }
        scratch[0] |= forbidden | importance
        scratch.withUnsafeBytes { emit($0, isLast) }
    }
}
