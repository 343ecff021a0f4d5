/// Drops exact duplicates before decryption: a packet the network (or a relay) delivered twice
/// costs a lookup instead of a decryption and a replay failure.
///
/// Only packets that authenticated are recorded, so a forged packet cannot mark an index as seen
/// and get the genuine one dropped. Packets older than the window are left to libsrtp's replay check.
///
/// A peer sends a handful of SSRCs (audio, video, retransmissions, a few simulcast layers), and
/// consecutive packets mostly share one, so a short array searched from the last hit beats hashing.
/// SSRCs beyond `maximumTrackedSSRCs` go untracked: libsrtp's replay check still covers them.
struct SRTPDuplicateFilter {
    static let maximumTrackedSSRCs = 64

    private var ssrcs: [UInt32] = []
    private var windows: [ReceivedPacketWindow] = []
    private var lastSlot = 0

    /// The packet index of an RTP packet (its sequence number extended against what this SSRC
    /// sent before; nil if it cannot be placed), and whether that packet was already decrypted.
    mutating func checkRTP(ssrc: UInt32, sequenceNumber: UInt16) -> (index: UInt64?, isDuplicate: Bool) {
        guard let slot = slot(of: ssrc) else { return (UInt64(sequenceNumber), false) }
        guard let index = windows[slot].extendedIndex(sequenceNumber: sequenceNumber) else { return (nil, false) }
        return (index, windows[slot].contains(index))
    }

    /// Whether the packet with this index (an SRTCP index) was already decrypted.
    mutating func isDuplicate(ssrc: UInt32, index: UInt64) -> Bool {
        guard let slot = slot(of: ssrc) else { return false }
        return windows[slot].contains(index)
    }

    mutating func recordDecrypted(ssrc: UInt32, index: UInt64) {
        if let slot = slot(of: ssrc) {
            windows[slot].insert(index)
        } else if ssrcs.count < Self.maximumTrackedSSRCs {
            ssrcs.append(ssrc)
            windows.append(ReceivedPacketWindow(first: index))
            lastSlot = ssrcs.count - 1
        }
    }

    private mutating func slot(of ssrc: UInt32) -> Int? {
        if lastSlot < ssrcs.count, ssrcs[lastSlot] == ssrc { return lastSlot }
        guard let slot = ssrcs.firstIndex(of: ssrc) else { return nil }
        lastSlot = slot
        return slot
    }
}
