import Foundation
import JSON
import Signaling

/// A client message the room server has checked and will act on.
enum SignalingRequest: Equatable {
    case join(room: String, token: String?, name: String? = nil)
    /// A message for the other peers of the room (or only `to`). `fields` is the message as the
    /// client sent it, unknown fields included, so it can be relayed verbatim.
    case relay(type: String, fields: [String: JSONValue], to: String?)
}

/// Why the server refused a client message. `reason` is what the client is told.
struct SignalingRequestError: Error, Equatable {
    let reason: String
}

extension SignalingRequest {
    /// Reads one text message from a client. Every way it can be wrong yields an error with a
    /// reason a person can act on.
    static func parse(_ text: String, maxRoomNameLength: Int) throws(SignalingRequestError) -> SignalingRequest {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw SignalingRequestError(reason: "message is not valid JSON")
        }
        guard case .object(let fields) = value, let type = fields["type"]?.stringValue else {
            throw SignalingRequestError(reason: "message must be a JSON object with a string 'type'")
        }
        guard SignalingMessage.knownTypes.contains(type) else {
            throw SignalingRequestError(reason: "unknown message type '\(type.prefix(64))'")
        }
        guard type == "join" || SignalingMessage.relayedTypes.contains(type) else {
            throw SignalingRequestError(reason: "'\(type)' is sent by the server, not by clients")
        }
        // The typed decoder is the one definition of each message's shape.
        let typed: SignalingMessage
        do {
            typed = try JSONDecoder().decode(SignalingMessage.self, from: Data(text.utf8))
        } catch {
            throw SignalingRequestError(reason: Self.shapeHint(for: type))
        }
        switch typed {
        case .join(let room, let token, let name):
            guard !room.isEmpty, room.count <= maxRoomNameLength else {
                throw SignalingRequestError(reason: "join needs a non-empty 'room' of at most \(maxRoomNameLength) characters")
            }
            if let name, name.isEmpty || name.count > maxRoomNameLength || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw SignalingRequestError(reason: "'name' must be 1 to \(maxRoomNameLength) characters, none of them control characters")
            }
            return .join(room: room, token: token, name: name)
        case .offer, .answer, .iceCandidate:
            if let to = fields["to"], to != .null, to.stringValue == nil {
                throw SignalingRequestError(reason: "'to' must be a peer id string")
            }
            return .relay(type: type, fields: fields, to: typed.routing?.to)
        default:
            throw SignalingRequestError(reason: "'\(type)' is sent by the server, not by clients")
        }
    }

    private static func shapeHint(for type: String) -> String {
        switch type {
        case "join": "join needs 'room' as a string (and 'token', if any, as a string)"
        case "offer", "answer": "\(type) needs 'sdp' as {type, sdp} strings ('from' and 'to', if any, as strings)"
        case "ice-candidate": "ice-candidate needs 'candidate' as {candidate, sdpMid, sdpMLineIndex} or null"
        default: "malformed '\(type)' message"
        }
    }
}
