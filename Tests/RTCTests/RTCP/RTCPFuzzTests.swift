import RTC
import Testing

@Suite("RTCP parsing under fuzzed input")
struct RTCPFuzzTests {
    /// A mutation of a compound packet: flipped bits, random octets, cuts, extensions, lying
    /// length or count fields, one to four times over.
    static func mutatedCompound(_ original: [UInt8], using random: inout FuzzRandom) -> [UInt8] {
        var bytes = original
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            if bytes.isEmpty { bytes = [0x80] }
            let position = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<8, using: &random) {
            case 0: bytes[position] ^= 1 << UInt8.random(in: 0..<8, using: &random)
            case 1: bytes[position] = UInt8.random(in: 0...255, using: &random)
            case 2: bytes.removeSubrange(position...)
            case 3: bytes += (0..<Int.random(in: 1...40, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            case 4:
                // Extend a packet and its length field together, so the parser reads the new octets.
                let words = Int.random(in: 1...4, using: &random)
                bytes += (0..<words * 4).map { _ in UInt8.random(in: 0...255, using: &random) }
                if bytes.count >= 4 { bytes[3] &+= UInt8(words) }
            case 5 where bytes.count >= 4:
                // The first header's count (RC, SC or FMT) and padding bit.
                bytes[0] = 0x80 | UInt8.random(in: 0..<64, using: &random)
            case 6 where bytes.count >= 4:
                bytes[2] = UInt8.random(in: 0...1, using: &random)
                bytes[3] = UInt8.random(in: 0...255, using: &random)
            default:
                bytes.insert(contentsOf: (0..<Int.random(in: 1...8, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }, at: position)
            }
        }
        return bytes
    }

    /// Compounds to mutate: every sample alone, and random runs of them.
    static func seeds(using random: inout FuzzRandom) -> [[UInt8]] {
        var seeds = RTCPSamples.all.map { RTCPCompound.serialize([$0]) }
        for _ in 0..<40 {
            let packets = (0..<Int.random(in: 2...5, using: &random)).map { _ in RTCPSamples.all.randomElement(using: &random)! }
            seeds.append(RTCPCompound.serialize(packets))
        }
        // Feedback packets taken from real traffic (see RTCPTransportFeedbackTests).
        seeds.append(hexBytes("af cd 00 07 9b 74 f6 1f 93 71 dc bc 85 3c 00 09 63 f9 16 b3 d5 52 00 30 9b aa 6a aa 7b 01 09 01"))
        seeds.append(hexBytes("af cd 00 06 fa 17 fa 17 19 3d d8 bb 00 01 00 0e 10 63 6d 00 ba 00 10 0c 0c 10 00 02"))
        return seeds
    }

    /// Parsing never traps; whatever parses re-serializes to bytes that parse to the same packets.
    static func checkStable(_ bytes: [UInt8]) -> Bool {
        guard let packets = try? RTCPCompound.parse(bytes) else { return false }
        let reserialized = RTCPCompound.serialize(packets)
        #expect(reserialized.count % 4 == 0)
        let reparsed = try? RTCPCompound.parse(reserialized)
        #expect(reparsed == packets, "re-parse differs for \(bytes)")
        return true
    }

    @Test("3000 mutated and random compounds: no trap, and parsed packets re-serialize stably")
    func mutatedCompounds() {
        var random = FuzzRandom(seed: 0x0052_7C90)
        let seeds = Self.seeds(using: &random)
        var parsed = 0
        var kinds: [String: Int] = [:]
        for iteration in 0..<3_000 {
            let bytes: [UInt8]
            if iteration % 10 == 0 {
                // Random octets behind a plausible header, with a length that fits.
                let words = Int.random(in: 0...40, using: &random)
                bytes = [0x80 | UInt8.random(in: 0..<64, using: &random), UInt8.random(in: 200...206, using: &random), 0, UInt8(words)]
                    + (0..<words * 4).map { _ in UInt8.random(in: 0...255, using: &random) }
            } else {
                bytes = Self.mutatedCompound(seeds.randomElement(using: &random)!, using: &random)
            }
            if Self.checkStable(bytes) {
                parsed += 1
                for packet in (try? RTCPCompound.parse(bytes)) ?? [] { kinds[String(describing: packet).prefix { $0 != "(" }.description, default: 0] += 1 }
            }
        }
        // The mutations must leave many inputs valid, of every kind, or the round trip checks nothing.
        #expect(parsed > 300)
        #expect(kinds.count >= 10 && kinds.values.allSatisfy { $0 >= 5 })
    }
}
