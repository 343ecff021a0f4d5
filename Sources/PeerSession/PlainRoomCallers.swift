import RTC
import Signaling

/// The callers of a plain relay room, told apart. Such a room (the seeds' signaling server)
/// relays every message to everyone else in it and names nobody: no ids, no `from`, no peer
/// events. So an offer is known only by what it carries: its SDP's origin (`o=` username and
/// session id, one per RTCPeerConnection and kept across its renegotiations) and its ICE
/// username fragments (new after an ICE restart); a trickled candidate by its
/// `usernameFragment`, or, when it carries none, as the latest caller's.
///
/// Sans-IO and signaling-only: it never sees media.
public struct PlainRoomCallers: Sendable {
    /// What an offer turned out to be.
    public enum Offer: Sendable, Hashable {
        /// From somebody not calling yet: a new connection, named `id`.
        case newCaller(id: String)
        /// A renegotiation (or ICE restart) of the connection of caller `id`.
        case renegotiation(id: String)
    }

    private struct Caller: Sendable {
        var id: String
        var session: String
        var usernameFragments: Set<String>
    }

    private let idPrefix: String
    /// Newest last.
    private var callers: [Caller] = []
    private var called = 0

    /// Callers are named `idPrefix-1`, `idPrefix-2`, … in the order of their first offers.
    public init(idPrefix: String = "peer") {
        self.idPrefix = idPrefix
    }

    /// Which caller an offer is from; registers a new one when it renegotiates nobody's session.
    /// - Throws: the SDP's parse error (such an offer cannot be answered either).
    public mutating func offer(_ sdp: String) throws(SDP.ParseError) -> Offer {
        let description = try SDP.SessionDescription(parsing: sdp)
        let session = "\(description.origin.username) \(description.origin.sessionID)"
        let fragments = Self.usernameFragments(of: description)
        if let index = callers.lastIndex(where: { $0.session == session || !$0.usernameFragments.isDisjoint(with: fragments) }) {
            var caller = callers.remove(at: index)
            caller.usernameFragments.formUnion(fragments)
            callers.append(caller)
            return .renegotiation(id: caller.id)
        }
        called += 1
        let id = "\(idPrefix)-\(called)"
        callers.append(Caller(id: id, session: session, usernameFragments: fragments))
        return .newCaller(id: id)
    }

    /// Registers a call we place ourselves (our offer to the whole room): its caller is known
    /// once the first answer comes back (`answered`).
    public mutating func call() -> String {
        called += 1
        let id = "\(idPrefix)-\(called)"
        callers.append(Caller(id: id, session: "", usernameFragments: []))
        return id
    }

    /// The answer to our call `id` came back: its candidates carry the answerer's fragments.
    public mutating func answered(_ id: String, sdp: String) {
        guard let description = try? SDP.SessionDescription(parsing: sdp),
              let index = callers.firstIndex(where: { $0.id == id }) else { return }
        callers[index].session = "\(description.origin.username) \(description.origin.sessionID)"
        callers[index].usernameFragments = Self.usernameFragments(of: description)
    }

    /// The caller a trickled candidate belongs to: the one whose offer had its username fragment;
    /// without one, the latest caller. Nil when it belongs to nobody calling us (another peer's
    /// candidate, relayed to the whole room).
    public func caller(of candidate: IceCandidate?) -> String? {
        guard let fragment = candidate?.usernameFragment, !fragment.isEmpty else { return callers.last?.id }
        return callers.last { $0.usernameFragments.contains(fragment) }?.id
    }

    /// Forgets a caller whose connection ended: a later offer from the same session is a new call.
    public mutating func hangUp(_ id: String) {
        callers.removeAll { $0.id == id }
    }

    private static func usernameFragments(of description: SDP.SessionDescription) -> Set<String> {
        Set([description.iceUfrag].compactMap { $0 } + description.media.compactMap(\.iceUfrag))
    }

    /// The callers, oldest first.
    public var ids: [String] { callers.map(\.id) }
}
