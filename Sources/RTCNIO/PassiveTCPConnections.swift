import NIOCore
import RTC

/// The ICE-TCP connections a driver's peer claimed (see `PassiveTCPConnectionHandler`),
/// confined to the shared port's event loop. What the agent sends from a TCP base to a remote
/// address goes, framed (RFC 4571), onto the connection from that address; there is never one
/// to open: the agent's passive candidates only answer.
final class PassiveTCPConnections {
    private struct Key: Hashable {
        var base: TransportAddress
        var remote: TransportAddress
    }

    /// The listening sockets' addresses: transmits from these bases go here.
    let bases: Set<TransportAddress>
    private var connections: [Key: any Channel] = [:]
    private var unflushed: [any Channel] = []

    init(bases: [TransportAddress]) {
        self.bases = Set(bases)
    }

    func adopt(_ connection: any Channel, from remote: TransportAddress, on base: TransportAddress) {
        let key = Key(base: base, remote: remote)
        // A remote address is one connection at a time; a newer one replaces the older.
        if let older = connections[key], older !== connection { older.close(promise: nil) }
        connections[key] = connection
    }

    /// Forgets the connection; false when it was not (or no longer) the one for its address.
    func remove(_ connection: any Channel, from remote: TransportAddress, on base: TransportAddress) -> Bool {
        let key = Key(base: base, remote: remote)
        guard connections[key] === connection else { return false }
        connections[key] = nil
        return true
    }

    /// Frames one packet onto the connection from its destination (flushed by `flush`). Dropped
    /// when there is none, or when it cannot keep up: as a UDP socket's full buffer would, rather
    /// than queueing media (and seconds of latency) without bound.
    func send(_ transmit: IceTransmit) {
        guard let channel = connections[Key(base: transmit.base, remote: transmit.destination)], channel.isWritable,
              let (high, low) = FramedPacketWriter.lengthPrefix(ofPacketWithLength: transmit.bytes.count) else { return }
        var buffer = channel.allocator.buffer(capacity: transmit.bytes.count + 2)
        buffer.writeInteger(UInt8(high))
        buffer.writeInteger(UInt8(low))
        buffer.writeBytes(transmit.bytes)
        channel.write(buffer, promise: nil)
        if unflushed.last !== channel { unflushed.append(channel) }
    }

    func flush() {
        guard !unflushed.isEmpty else { return }
        for channel in unflushed { channel.flush() }
        unflushed.removeAll(keepingCapacity: true)
    }

    /// The connections, forgotten: the driver closes them as it closes.
    func removeAll() -> [any Channel] {
        defer { connections.removeAll() }
        return Array(connections.values)
    }
}
