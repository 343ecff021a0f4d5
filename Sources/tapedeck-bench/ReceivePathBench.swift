import RTC

//// (d): the whole receive path of a connected `PeerConnection` — RFC 7983 demultiplexing, ICE
/// liveness, SRTP unprotect in place and the RTP pipeline — on packets a second
/// `PeerConnection` really protected after a real DTLS handshake between the two.
enum ReceivePathBench {
    struct Result {
        var profile: String
        var nanosecondsPerPacket: Double
    }

    static func run(packetsPerRun: Int, runs: Int) throws -> Result {
        let pair = try ConnectedPair()
        let (receiver, sender, now) = (pair.receiver, pair.sender, pair.connectedAt)
        let (receiverBase, senderBase) = (ConnectedPair.receiverBase, ConnectedPair.senderBase)

        // Every run gets packets the receiver has not seen (later sequence numbers), as live media does.
        var protected: [[UInt8]] = []
        protected.reserveCapacity(packetsPerRun * runs)
        for index in 0..<(packetsPerRun * runs) {
            var packet = [UInt8](repeating: 0, count: 1_200)
            let sequence = UInt16(truncatingIfNeeded: index), timestamp = UInt32(truncatingIfNeeded: index * 960)
            packet.replaceSubrange(0..<12, with: [0x80, 96, UInt8(sequence >> 8), UInt8(sequence & 0xFF),
                                                  UInt8(timestamp >> 24), UInt8(timestamp >> 16 & 0xFF), UInt8(timestamp >> 8 & 0xFF), UInt8(timestamp & 0xFF),
                                                  0x0B, 0xAD, 0xF0, 0x0D])
            do { try sender.sendRTP(packet) } catch { throw BenchError("packet \(index): \(error); sender ICE \(sender.stats.iceState), receiver ICE \(receiver.stats.iceState)") }
            guard let transmit = sender.pollAll().transmits.last else { throw BenchError("sendRTP produced no datagram") }
            protected.append(transmit.bytes)
        }

        var best = Double.infinity
        let work = UnsafeMutableRawBufferPointer.allocate(byteCount: 2_048, alignment: 16)
        defer { work.deallocate() }
        let clock = ContinuousClock()
        for run in 0..<runs {
            let batch = protected[(run * packetsPerRun)..<((run + 1) * packetsPerRun)]
            let elapsed = clock.measure {
                for packet in batch {
                    let slice = UnsafeMutableRawBufferPointer(rebasing: work[0..<packet.count])
                    slice.copyBytes(from: packet)
                    receiver.receive(slice, from: senderBase, on: receiverBase, now: now)
                }
            }
            let (seconds, attoseconds) = elapsed.components
            best = min(best, (Double(seconds) * 1e9 + Double(attoseconds) / 1e9) / Double(packetsPerRun))
        }
        let decrypted = receiver.stats.streams.reduce(0) { $0 + $1.packetsReceived }
        guard decrypted == packetsPerRun * runs else {
            throw BenchError("receiver decrypted \(decrypted) of \(packetsPerRun * runs) packets")
        }
        return Result(profile: receiver.stats.srtpProfile ?? "?", nanosecondsPerPacket: best)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
