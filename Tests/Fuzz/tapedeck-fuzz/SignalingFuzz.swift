import Foundation
import JSON
import Signaling
@testable import SignalingServer

/// A text message from the room server, decoded as the recorder's signaling client decodes it.
/// What decodes must encode to JSON that decodes to the same message.
enum SignalingClientFuzz {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        guard let message = try? JSONDecoder().decode(SignalingMessage.self, from: Data(input)) else { return }
        guard let encoded = try? JSONEncoder().encode(message) else {
            return fuzzCheck(false, "a decoded message does not encode: \(message)")
        }
        let again = try? JSONDecoder().decode(SignalingMessage.self, from: encoded)
        fuzzCheck(again == message, "\(message) encodes as \(String(decoding: encoded, as: UTF8.self)), which decodes differently")
    }
}

/// A text message from a client, as the room server reads it (only valid UTF-8 gets this far:
/// `TextMessageAssembler` refuses the rest). Refusals must carry a reason for the client.
enum SignalingServerFuzz {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        guard let text = String(validating: input, as: UTF8.self) else { return }
        do throws(SignalingRequestError) {
            switch try SignalingRequest.parse(text, maxRoomNameLength: 200) {
            case .join(let room, _, _):
                fuzzCheck(!room.isEmpty && room.count <= 200, "joined a room named \(room.debugDescription)")
            case .relay(let type, var fields, _):
                fuzzCheck(SignalingMessage.relayedTypes.contains(type), "relayed a '\(type)'")
                // What the server sends on: the client's fields, stamped with `from`.
                fields["from"] = .string("peer-1")
                _ = try? JSONEncoder().encode(JSONValue.object(fields))
            }
        } catch {
            fuzzCheck(!error.reason.isEmpty, "refused \(text.debugDescription) without a reason")
        }
    }
}
