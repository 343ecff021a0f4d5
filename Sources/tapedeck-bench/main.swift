// tapedeck-bench: what receiving costs per packet and per frame on one core.
//
//   make bench   (swift build -c release --product tapedeck-bench && .build/release/tapedeck-bench [packets])
//
// Protects N 1200-byte RTP packets once, then times, over fresh copies of the same packets:
//   (a) a bare libsrtp srtp_unprotect loop,
//   (b) SRTPSession.unprotectRTP (duplicate check, unprotect, counters),
//   (c) SRTPSession.unprotectRTP on packets it has already seen (the duplicate drop),
//   (d) PeerConnection.receive on a connected peer: demultiplexing, ICE liveness, SRTP and
//       per-stream accounting, for packets protected by a second PeerConnection after a real
//       DTLS handshake (so with the profile the two negotiated),
//   (e) the whole receive pipeline for a 1 Mbit/s VP8 + Opus stream: frames per second per core,
//       and heap allocations per packet in steady state,
//   (f) the MP4 recipe's transcoding, VP8 → H.264 and Opus → AAC: CPU-seconds per stream-minute
//       (`tapedeck-bench transcode` runs this section alone),
//   (g) the pipeline of (e) across a hundred connections, packets interleaved
//       (`tapedeck-bench spread [connections] [media seconds]` runs it alone),
//   (h) what the media thread's file writing costs: a hundred WebM files of 1 Mbit/s VP8 +
//       Opus written on one thread (`tapedeck-bench write [files] [media seconds] [runs]` runs it alone),
//   (i) what this machine charges for the kernel's part of receiving and writing, which no code of
//       ours avoids (`tapedeck-bench machine` runs it alone).
// Each figure is the best of several runs. Allocations are counted by CMallocCounter, a malloc
// interposer linked into this executable only.
import CMallocCounter
internal import CSRTP
#if canImport(Glibc)
import Glibc
#endif
import RTC

if CommandLine.arguments.dropFirst().first == "transcode" {
    TranscodeBench.report(try TranscodeBench.run(seconds: 30))
    exit(0)
}

/// (g) alone, `tapedeck-bench spread [connections] [media seconds]`: short enough to run under
/// callgrind, whose instruction counts compare two builds where this machine's timings cannot.
if CommandLine.arguments.dropFirst().first == "spread" {
    let arguments = CommandLine.arguments.dropFirst(2).compactMap(Int.init)
    let spread = try PipelineBench.run(mediaSeconds: arguments.count > 1 ? arguments[1] : 20,
                                       connections: arguments.first ?? 100)
    print("(g) \(spread.connections) connections, \(Int(spread.mediaSeconds)) s of media: \(spread.packets) packets -> "
        + "\(spread.frames) frames, \(spread.microsecondsPerPacket) µs/packet, "
        + "\(spread.allocationsPerMediaPacket) allocations per RTP packet received")
    exit(0)
}

if CommandLine.arguments.dropFirst().first == "machine" {
    MachineBench.report(try MachineBench.run())
    exit(0)
}

if CommandLine.arguments.dropFirst().first == "write" {
    let arguments = CommandLine.arguments.dropFirst(2).compactMap(Int.init)
    WriteBench.report(try WriteBench.run(files: arguments.first ?? 100, mediaSeconds: arguments.count > 1 ? arguments[1] : 30,
                                         runs: arguments.count > 2 ? arguments[2] : 3))
    exit(0)
}

let packetCount = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 200_000
let packetLength = 1_200
let runs = 7
/// Room for the largest SRTP trailer after each packet.
let packetStride = packetLength + 32

func allocationCount() -> UInt? {
    UInt(tapedeck_allocation_count())
}

/// Fixed keys: the benchmark measures cipher work, not the handshake.
func keyingMaterial(_ profile: SRTPProtectionProfile, localRole: DTLSRole) -> SRTPKeyingMaterial {
    let client = SRTPMasterKey(key: (0..<16).map { UInt8($0) }, salt: (0..<profile.masterSaltLength).map { UInt8(0x40 + $0) })
    let server = SRTPMasterKey(key: (0..<16).map { UInt8(0x80 + $0) }, salt: (0..<profile.masterSaltLength).map { UInt8(0xC0 + $0) })
    return SRTPKeyingMaterial(profile: profile, clientWrite: client, serverWrite: server, localRole: localRole)
}

/// N protected packets back to back, `packetStride` apart, with their lengths.
func protectedPackets(_ profile: SRTPProtectionProfile) throws -> (bytes: UnsafeMutableRawBufferPointer, lengths: [Int]) {
    let sender = try SRTPSession(keyingMaterial: keyingMaterial(profile, localRole: .client))
    let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: packetCount * packetStride, alignment: 16)
    var lengths: [Int] = []
    lengths.reserveCapacity(packetCount)
    for index in 0..<packetCount {
        let packet = UnsafeMutableRawBufferPointer(rebasing: bytes[index * packetStride..<(index + 1) * packetStride])
        let sequenceNumber = UInt16(truncatingIfNeeded: index)
        let header: [UInt8] = [0x80, 96, UInt8(sequenceNumber >> 8), UInt8(sequenceNumber & 0xFF),
                               0, 0, UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF), 0x12, 0x34, 0x56, 0x78]
        packet.copyBytes(from: header)
        for offset in header.count..<packetLength { packet[offset] = UInt8(truncatingIfNeeded: offset &* 31 &+ index) }
        lengths.append(try sender.protectRTP(packet, length: packetLength))
    }
    return (bytes, lengths)
}

/// A libsrtp receive context set up as SRTPSession sets up its own, without the Swift around it.
func bareInboundContext(_ profile: SRTPProtectionProfile) -> OpaquePointer {
    var policy = srtp_policy_t()
    switch profile {
    case .aes128CmHmacSha1_80:
        srtp_crypto_policy_set_rtp_default(&policy.rtp)
        srtp_crypto_policy_set_rtcp_default(&policy.rtcp)
    case .aeadAes128Gcm:
        srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp)
        srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp)
    }
    policy.ssrc.type = ssrc_any_inbound
    policy.window_size = 1_024
    let remote = keyingMaterial(profile, localRole: .server).remote
    var key = remote.key + remote.salt
    var context: OpaquePointer?
    let status = key.withUnsafeMutableBufferPointer { buffer in
        policy.key = buffer.baseAddress
        return srtp_create(&context, &policy)
    }
    precondition(status == srtp_err_status_ok, "srtp_create failed: \(status)")
    return context!
}

struct Measurement {
    var seconds: Double
    var allocations: UInt?

    var packetsPerSecond: Double { Double(packetCount) / seconds }
    var nanosecondsPerPacket: Double { seconds * 1e9 / Double(packetCount) }
}

/// Copies each packet (or the one `pick` chooses for each position) into `work` and hands it to
/// `body`, timing the whole loop.
func measure(_ packets: (bytes: UnsafeMutableRawBufferPointer, lengths: [Int]), work: UnsafeMutableRawBufferPointer,
             pick: (Int) -> Int = { $0 }, _ body: (UnsafeMutableRawBufferPointer) -> Bool) -> Measurement {
    let clock = ContinuousClock()
    let allocationsBefore = allocationCount()
    var failures = 0
    let elapsed = clock.measure {
        for position in 0..<packetCount {
            let index = pick(position)
            let length = packets.lengths[index]
            work.baseAddress!.copyMemory(from: packets.bytes.baseAddress! + index * packetStride, byteCount: length)
            if !body(UnsafeMutableRawBufferPointer(rebasing: work[..<length])) { failures += 1 }
        }
    }
    precondition(failures == 0, "\(failures) of \(packetCount) packets failed")
    let allocations = allocationsBefore.flatMap { before in allocationCount().map { $0 - before } }
    let (seconds, attoseconds) = elapsed.components
    return Measurement(seconds: Double(seconds) + Double(attoseconds) / 1e18, allocations: allocations)
}

/// One run of SRTPSession.unprotectRTP over every packet, with a session of its own.
func measureSession(_ profile: SRTPProtectionProfile, _ packets: (bytes: UnsafeMutableRawBufferPointer, lengths: [Int]),
                    work: UnsafeMutableRawBufferPointer) throws -> Measurement
{
    let receiver = try SRTPSession(keyingMaterial: keyingMaterial(profile, localRole: .server))
    return measure(packets, work: work) { packet in
        if case .decrypted = receiver.unprotectRTP(packet) { return true }
        return false
    }
}

func best(of measurements: [Measurement]) -> Measurement {
    measurements.min(by: { $0.seconds < $1.seconds })!
}

func report(_ name: String, _ measurement: Measurement) {
    let allocations: String
    if let count = measurement.allocations {
        allocations = "\(count) allocations (\(Double(count) / Double(packetCount)) per packet)"
    } else {
        allocations = "allocations not counted"
    }
    let rate = Int(measurement.packetsPerSecond.rounded())
    let cost = Int(measurement.nanosecondsPerPacket.rounded())
    print("  \(name): \(rate) packets/s/core, \(cost) ns/packet, \(allocations)")
}

let work = UnsafeMutableRawBufferPointer.allocate(byteCount: packetStride, alignment: 16)
print("tapedeck-bench: \(packetCount) RTP packets of \(packetLength) bytes, best of \(runs) runs")
for profile in [SRTPProtectionProfile.aes128CmHmacSha1_80, .aeadAes128Gcm] {
    let packets = try protectedPackets(profile)
    print("\(profile):")

    // Alternate the two so that load from elsewhere on the machine hits both alike, and keep only
    // one receive context alive at a time: with Debian's NSS-backed libsrtp every live context
    // makes the others' per-packet work slower.
    var bareRuns: [Measurement] = []
    var sessionRuns: [Measurement] = []
    for _ in 0..<runs {
        let context = bareInboundContext(profile)
        bareRuns.append(measure(packets, work: work) { packet in
            var length = Int32(packet.count)
            return srtp_unprotect(context, packet.baseAddress, &length) == srtp_err_status_ok
        })
        srtp_dealloc(context)

        sessionRuns.append(try measureSession(profile, packets, work: work))
    }
    let bare = best(of: bareRuns)
    let wrapped = best(of: sessionRuns)
    report("(a) bare srtp_unprotect      ", bare)
    report("(b) SRTPSession.unprotectRTP ", wrapped)
    let overhead = Int((wrapped.nanosecondsPerPacket - bare.nanosecondsPerPacket).rounded())
    print("      SRTPSession over bare libsrtp: \(overhead) ns/packet")

    // A session that has seen every packet gets the newest 1000 (inside its window) over and over.
    let receiver = try SRTPSession(keyingMaterial: keyingMaterial(profile, localRole: .server))
    _ = measure(packets, work: work) { packet in receiver.unprotectRTP(packet) != .authenticationFailed }
    let recent = max(0, packetCount - 1_000)..<packetCount
    let duplicates = best(of: (0..<runs).map { _ in
        measure(packets, work: work, pick: { recent.lowerBound + $0 % recent.count }) { packet in
            receiver.unprotectRTP(packet) == .duplicate
        }
    })
    report("(c) duplicate, dropped      ", duplicates)
    packets.bytes.deallocate()
}
work.deallocate()

// (d) The whole receive path, as the UDP driver calls it for each datagram.
let receivePath = try ReceivePathBench.run(packetsPerRun: min(packetCount, 50_000), runs: 5)
print("\(receivePath.profile), negotiated by a real DTLS handshake between two PeerConnections:")
report("(d) PeerConnection.receive   ", Measurement(seconds: receivePath.nanosecondsPerPacket * Double(packetCount) / 1e9, allocations: nil))

// (e) The receive pipeline, media to frames.
let pipeline = try PipelineBench.run(mediaSeconds: 120)
let microsecondsPerPacket = pipeline.microsecondsPerPacket
let framesPerSecond = Int(Double(pipeline.frames) / pipeline.seconds)
let cpuPerStreamSecond = pipeline.seconds / pipeline.mediaSeconds
let receiveAllocationsPerPacket = pipeline.allocationsPerMediaPacket
let timerAllocationsPerSecond = Double(pipeline.timerAllocations) / (pipeline.mediaSeconds * 0.9)
print("\(pipeline.profile), 1 Mbit/s VP8 + Opus, \(Int(pipeline.mediaSeconds)) s of media:")
print("  (e) receive pipeline: \(pipeline.packets) packets -> \(pipeline.frames) frames in \(pipeline.seconds) s")
print("      \(microsecondsPerPacket) µs/packet, \(framesPerSecond) frames/s/core, \(cpuPerStreamSecond) CPU-s per stream-second")
print("      steady-state allocations: \(receiveAllocationsPerPacket) per RTP packet received (libsrtp's included), "
    + "\(timerAllocationsPerSecond) per second for RTCP and STUN in and out")

// (f) Transcoding for the MP4 recipe.
TranscodeBench.report(try TranscodeBench.run(seconds: 30))

// (g) The receive pipeline of (e) across a hundred connections, their packets interleaved.
let spread = try PipelineBench.run(mediaSeconds: 20, connections: 100)
let spreadMicroseconds = spread.microsecondsPerPacket
let spreadAllocations = spread.allocationsPerMediaPacket
print("\(spread.profile), 1 Mbit/s VP8 + Opus per connection:")
print("  (g) \(spread.connections) connections, packets interleaved, \(Int(spread.mediaSeconds)) s of media: "
    + "\(spread.packets) packets -> \(spread.frames) frames in \(spread.seconds) s")
print("      \(spreadMicroseconds) µs/packet (\(spreadMicroseconds / microsecondsPerPacket)× one connection's), "
    + "\(spreadAllocations) allocations per RTP packet received")

// (h) The media thread's share: a hundred participants' WebM files written on one thread.
print("Writing passthrough files, 1 Mbit/s VP8 + Opus per file:")
WriteBench.report(try WriteBench.run(files: 100, mediaSeconds: 30))

// (i) The machine's own costs for the kernel's part of receiving and writing.
print("This machine, for reading the figures above and the scale curve against:")
MachineBench.report(try MachineBench.run())
