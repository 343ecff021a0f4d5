import Foundation
import Signaling
import Synchronization

/// Why a peer could not join or relay; the reason is sent to that client.
struct RoomError: Error, Equatable {
    let reason: String
}

/// The rooms of one server and the peers in them. Every operation is a short critical section
/// that only enqueues text on peers' outbound queues, so no caller ever waits on another peer's
/// socket.
final class RoomDirectory: Sendable {
    typealias Outbox = PeerOutbox

    private struct Member {
        let id: String
        let name: String?
        /// Set when a signed room token admitted the peer: its `sub`, unique in the room.
        let identity: String?
        let mayRecord: Bool
        let outbox: Outbox
    }

    private struct State {
        var rooms: [String: [String: Member]] = [:]
        var roomOfPeer: [String: String] = [:]
    }

    private let state = Mutex(State())
    private let maxRooms: Int
    private let maxPeersPerRoom: Int

    init(maxRooms: Int, maxPeersPerRoom: Int) {
        self.maxRooms = maxRooms
        self.maxPeersPerRoom = maxPeersPerRoom
    }

    /// Adds a peer to a room, answers it with `joined` and tells the others. The answer is queued
    /// inside the critical section so that it precedes anything the others relay to the newcomer.
    ///
    /// With a `grant` (a signed room token), the peer is known by the token's identity, not by the
    /// name it sent, and the room learns who may record. A peer already in the room with the same
    /// identity is replaced: it leaves the room (the others hear `peer-left`) and its outbox is
    /// returned so that its connection can be closed. Replacing, not refusing, lets a client whose
    /// old connection died unnoticed (no ping timeout yet) come straight back.
    func join(room: String, id: String, name: String? = nil, grant: RoomGrant? = nil, outbox: Outbox) throws(RoomError) -> Outbox? {
        let name = grant?.identity ?? name
        let announcement = Self.encode(.peerJoined(id: id, name: name, recorder: grant.map(\.mayRecord)))
        return try state.withLock { (state: inout State) throws(RoomError) -> Outbox? in
            if let current = state.roomOfPeer[id] {
                throw RoomError(reason: "already joined room '\(current)'")
            }
            var replaced: Member?
            if let identity = grant?.identity {
                replaced = state.rooms[room]?.values.first { $0.identity == identity }
            }
            let members = (state.rooms[room] ?? [:]).filter { $0.key != replaced?.id }
            if members.isEmpty, replaced == nil, state.rooms.count >= maxRooms {
                throw RoomError(reason: "the server has reached its limit of \(maxRooms) rooms")
            }
            if members.count >= maxPeersPerRoom {
                throw RoomError(reason: "room '\(room)' is full (\(maxPeersPerRoom) peers)")
            }
            if let replaced {
                state.rooms[room]?.removeValue(forKey: replaced.id)
                state.roomOfPeer.removeValue(forKey: replaced.id)
                let left = Self.encode(.peerLeft(id: replaced.id))
                for member in members.values { member.outbox.yield(.text(left)) }
            }
            let names = members.values.reduce(into: [String: String]()) { names, member in names[member.id] = member.name }
            // Only a server that checks grants says who records; without it, nobody can know.
            let recorders = grant.map { _ in members.values.filter { $0.mayRecord }.map(\.id).sorted() }
            outbox.yield(.text(Self.encode(.joined(id: id, peers: members.keys.sorted(), names: names, recorders: recorders))))
            for member in members.values { member.outbox.yield(.text(announcement)) }
            state.rooms[room, default: [:]][id] = Member(id: id, name: name, identity: grant?.identity,
                                                         mayRecord: grant?.mayRecord ?? false, outbox: outbox)
            state.roomOfPeer[id] = room
            return replaced?.outbox
        }
    }

    /// Removes a peer (its socket closed) and tells the rest of its room.
    func leave(id: String) {
        let announcement = Self.encode(.peerLeft(id: id))
        state.withLock { state in
            guard let room = state.roomOfPeer.removeValue(forKey: id) else { return }
            state.rooms[room]?.removeValue(forKey: id)
            if state.rooms[room]?.isEmpty ?? true {
                state.rooms.removeValue(forKey: room)
            } else {
                for member in state.rooms[room]!.values { member.outbox.yield(.text(announcement)) }
            }
        }
    }

    /// Sends a message from one peer to the others of its room, or only to `to`.
    func relay(_ text: String, from id: String, to target: String?) throws(RoomError) {
        try state.withLock { (state: inout State) throws(RoomError) in
            guard let room = state.roomOfPeer[id], let members = state.rooms[room] else {
                throw RoomError(reason: "join a room before sending offers, answers or candidates")
            }
            if let target {
                guard target != id, let member = members[target] else {
                    throw RoomError(reason: "no peer '\(target.prefix(64))' in room '\(room)'")
                }
                member.outbox.yield(.text(text))
            } else {
                for member in members.values where member.id != id { member.outbox.yield(.text(text)) }
            }
        }
    }

    var roomCount: Int { state.withLock { $0.rooms.count } }

    static func encode(_ message: SignalingMessage) -> String {
        // Encoding our own enum cannot fail; a failure here is a programming error.
        String(decoding: try! JSONEncoder().encode(message), as: UTF8.self)
    }
}
