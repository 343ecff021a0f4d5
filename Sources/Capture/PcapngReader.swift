/// Reads a pcapng capture block by block: Tapedeck's own (see `Pcapng`) and, as far as they go,
/// other tools' (either byte order, several sections and interfaces, any timestamp resolution;
/// blocks of other types are skipped). It never reads past a damaged block: `next()` throws
/// `PcapngReadError` naming the offset, after returning every packet before it.
public struct PcapngReader: Sendable {
    private let storage: CaptureBytes
    private var bytes: UnsafeRawBufferPointer { storage.buffer }
    /// Where the next block starts.
    public private(set) var offset = 0
    /// What is read stays read: every few MiB, the bytes behind are let go (`CaptureBytes.discard`).
    private var discarded = 0
    private static let discardStep = 4 << 20
    private var bigEndian = false
    private var inSection = false
    /// The current section's interfaces, in order.
    public private(set) var interfaces: [CaptureInterface] = []
    /// The application that wrote the current section (`shb_userappl`), if it said.
    public private(set) var application: String?

    public init(_ bytes: [UInt8]) {
        storage = CaptureBytes(bytes)
    }

    /// Reads `bytes`: a file mapped into memory (`CaptureBytes(mapping:)`), say.
    public init(_ bytes: CaptureBytes) {
        storage = bytes
    }

    /// The next packet, nil at the end of the file.
    public mutating func next() throws(PcapngReadError) -> CapturedPacket? {
        while offset < bytes.count {
            let start = offset
            guard bytes.count - start >= 12 else { throw PcapngReadError(offset: start, problem: .truncated) }
            let type = u32(at: start, bigEndian: bigEndian)
            if type == Pcapng.BlockType.sectionHeader {
                try readSectionHeader(at: start)
                continue
            }
            guard inSection else {
                let magic = u32(at: start, bigEndian: false)
                let reason = magic == 0xA1B2_C3D4 || magic == 0xD4C3_B2A1 || magic == 0xA1B2_3C4D || magic == 0x4D3C_B2A1
                    ? "a classic pcap file (write pcapng)" : "it does not start with a section header block"
                throw PcapngReadError(offset: start, problem: .notPcapng(reason))
            }
            let length = try blockLength(at: start)
            switch type {
            case Pcapng.BlockType.interfaceDescription:
                try readInterface(at: start, length: length)
                offset = start + length
            case Pcapng.BlockType.enhancedPacket:
                let packet = try readEnhancedPacket(at: start, length: length)
                offset = start + length
                if offset - discarded >= Self.discardStep {
                    storage.discard(upTo: offset)
                    discarded = offset
                }
                return packet
            default:
                offset = start + length  // statistics, name resolution, custom blocks…: nothing to render
            }
        }
        return nil
    }

    // MARK: Blocks

    private mutating func readSectionHeader(at start: Int) throws(PcapngReadError) {
        let magic = u32(at: start + 8, bigEndian: false)
        switch magic {
        case Pcapng.byteOrderMagic: bigEndian = false
        case Pcapng.byteOrderMagic.byteSwapped: bigEndian = true
        default:
            throw PcapngReadError(offset: start, problem: inSection ? .damaged("a section header with no byte-order magic")
                                                                    : .notPcapng("no byte-order magic in the section header"))
        }
        let length = try blockLength(at: start)
        guard length >= 28 else { throw PcapngReadError(offset: start, problem: .damaged("a section header of \(length) bytes")) }
        let major = u16(at: start + 12)
        guard major == 1 else { throw PcapngReadError(offset: start, problem: .damaged("pcapng version \(major), not 1")) }
        var application: String?
        try forEachOption(from: start + 24, to: start + length - 4) { code, value in
            if code == Pcapng.Option.userApplication { application = string(value) }
        }
        inSection = true
        interfaces = []
        self.application = application
        offset = start + length
    }

    private mutating func readInterface(at start: Int, length: Int) throws(PcapngReadError) {
        guard length >= 20 else { throw PcapngReadError(offset: start, problem: .damaged("an interface description of \(length) bytes")) }
        var interface = CaptureInterface(linkType: u16(at: start + 8))
        var problem: String?
        try forEachOption(from: start + 16, to: start + length - 4) { code, value in
            switch code {
            case Pcapng.Option.interfaceName: interface.name = string(value)
            case Pcapng.Option.interfaceDescription: interface.description = string(value)
            case Pcapng.Option.timestampResolution where value.count >= 1:
                if let resolution = Self.nanosecondsPerUnit(bytes[value.lowerBound]) {
                    interface.nanosecondsPerUnit = resolution
                } else {
                    problem = "a timestamp resolution of \(bytes[value.lowerBound]) cannot be read"
                }
            default: break
            }
        }
        if let problem { throw PcapngReadError(offset: start, problem: .damaged(problem)) }
        interfaces.append(interface)
    }

    private func readEnhancedPacket(at start: Int, length: Int) throws(PcapngReadError) -> CapturedPacket {
        guard length >= 32 else { throw PcapngReadError(offset: start, problem: .damaged("a packet block of \(length) bytes")) }
        let index = Int(u32(at: start + 8))
        guard index < interfaces.count else {
            throw PcapngReadError(offset: start, problem: .damaged("a packet on interface \(index), which was never described"))
        }
        let captured = Int(u32(at: start + 20))
        let dataStart = start + 28
        let optionsStart = dataStart + ((captured + 3) & ~3)
        guard captured <= length - 32, optionsStart <= start + length - 4 else {
            throw PcapngReadError(offset: start, problem: .damaged("a packet of \(captured) bytes in a block of \(length)"))
        }
        let interface = interfaces[index]
        let units = UInt64(u32(at: start + 12)) << 32 | UInt64(u32(at: start + 16))
        var nanoseconds = Int64.max  // a time past what nanoseconds since 1970 can hold
        if units <= UInt64(Int64.max) {
            let (scaled, overflow) = Int64(units).multipliedReportingOverflow(by: interface.nanosecondsPerUnit.numerator)
            if !overflow { nanoseconds = scaled / interface.nanosecondsPerUnit.denominator }
        }
        var packet = CapturedPacket(kind: nil, dissector: nil, unixNanoseconds: nanoseconds, direction: .unknown, comment: nil,
                                    interface: index, data: [], offset: start)
        try forEachOption(from: optionsStart, to: start + length - 4) { code, value in
            switch code {
            case Pcapng.Option.packetFlags where value.count == 4:
                packet.direction = Pcapng.Direction(rawValue: u32(at: value.lowerBound) & 3) ?? .unknown
            case Pcapng.Option.comment:
                packet.comment = string(value)
            default: break
            }
        }
        var data = dataStart ..< dataStart + captured
        if interface.linkType == Pcapng.linkTypeUpperPDU {
            guard let (dissector, payload) = exportedPDU(data) else {
                throw PcapngReadError(offset: start, problem: .damaged("an exported PDU whose tags do not end"))
            }
            packet.dissector = dissector
            packet.kind = dissector.flatMap(CapturedPacketKind.init(dissectorName:))
            data = payload
        }
        packet.data = Array(bytes[data])
        return packet
    }

    /// The dissector named in an exported PDU's tags, and where its payload is.
    private func exportedPDU(_ range: Range<Int>) -> (String?, Range<Int>)? {
        var at = range.lowerBound
        var dissector: String?
        while true {
            guard range.upperBound - at >= 4 else { return nil }
            let tag = UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1])
            let length = Int(UInt16(bytes[at + 2]) << 8 | UInt16(bytes[at + 3]))
            at += 4
            if tag == Pcapng.ExportedPDUTag.endOfOptions { return (dissector, at ..< range.upperBound) }
            let padded = (length + 3) & ~3
            guard range.upperBound - at >= padded else { return nil }
            if tag == Pcapng.ExportedPDUTag.dissectorName {
                dissector = string(at ..< at + length)
            }
            at += padded
        }
    }

    // MARK: Fields

    private func blockLength(at start: Int) throws(PcapngReadError) -> Int {
        let length = Int(u32(at: start + 4))
        guard length >= 12, length % 4 == 0, length <= Pcapng.maximumBlockLength else {
            throw PcapngReadError(offset: start, problem: .damaged("a block length of \(length)"))
        }
        guard bytes.count - start >= length else { throw PcapngReadError(offset: start, problem: .truncated) }
        guard Int(u32(at: start + length - 4)) == length else {
            throw PcapngReadError(offset: start, problem: .damaged("a block whose two lengths differ"))
        }
        return length
    }

    /// Calls `body` with each option's code and value range, up to the end option or `end`.
    private func forEachOption(from start: Int, to end: Int,
                               _ body: (UInt16, Range<Int>) -> Void) throws(PcapngReadError) {
        var at = start
        while end - at >= 4 {
            let code = u16(at: at)
            let length = Int(u16(at: at + 2))
            if code == Pcapng.Option.endOfOptions { return }
            let padded = (length + 3) & ~3
            guard end - (at + 4) >= padded else {
                throw PcapngReadError(offset: at, problem: .damaged("an option of \(length) bytes runs past its block"))
            }
            body(code, at + 4 ..< at + 4 + length)
            at += 4 + padded
        }
    }

    private func string(_ range: Range<Int>) -> String {
        let text = bytes[range]
        return String(decoding: text.prefix { $0 != 0 }, as: UTF8.self)
    }

    private func u16(at index: Int) -> UInt16 {
        let value = UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8
        return bigEndian ? value.byteSwapped : value
    }

    private func u32(at index: Int) -> UInt32 { u32(at: index, bigEndian: bigEndian) }

    private func u32(at index: Int, bigEndian: Bool) -> UInt32 {
        let value = UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16 | UInt32(bytes[index + 3]) << 24
        return bigEndian ? value.byteSwapped : value
    }

    /// `if_tsresol`: 10^-n seconds per unit, or 2^-n with the high bit set; as nanoseconds.
    static func nanosecondsPerUnit(_ resolution: UInt8) -> TimestampUnit? {
        let exponent = Int(resolution & 0x7F)
        if resolution & 0x80 == 0 {
            guard exponent <= 18 else { return nil }
            var power: Int64 = 1
            for _ in 0 ..< abs(9 - exponent) { power *= 10 }
            return exponent <= 9 ? TimestampUnit(numerator: power, denominator: 1) : TimestampUnit(numerator: 1, denominator: power)
        }
        guard exponent <= 62 else { return nil }
        return TimestampUnit(numerator: 1_000_000_000, denominator: Int64(1) << exponent)
    }
}
