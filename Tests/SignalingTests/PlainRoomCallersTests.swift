import PeerSession
import Signaling
import Testing

@Suite("Callers of a plain relay room")
struct PlainRoomCallersTests {
    /// An offer as a browser writes one, reduced to what tells callers apart: its origin (`o=`)
    /// and its ICE username fragment (session-level or per section).
    private func offer(session: UInt64, ufrag: String, sessionLevel: Bool = false) -> String {
        let credentials = "a=ice-ufrag:\(ufrag)\r\na=ice-pwd:0123456789abcdefghijklmn\r\n"
        return "v=0\r\no=- \(session) 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n" + (sessionLevel ? credentials : "")
            + "a=group:BUNDLE 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n"
            + (sessionLevel ? "" : credentials) + "a=sendrecv\r\na=rtpmap:111 opus/48000/2\r\n"
    }

    private func candidate(_ ufrag: String?) -> IceCandidate {
        IceCandidate(candidate: "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", sdpMid: "0", sdpMLineIndex: 0,
                     usernameFragment: ufrag)
    }

    @Test("Each new session is a new caller; the same session again, even with new ICE credentials, renegotiates its call")
    func offersAreToldApartBySession() throws {
        var callers = PlainRoomCallers()
        #expect(try callers.offer(offer(session: 11, ufrag: "aaaa")) == .newCaller(id: "peer-1"))
        #expect(try callers.offer(offer(session: 22, ufrag: "bbbb", sessionLevel: true)) == .newCaller(id: "peer-2"))
        #expect(try callers.offer(offer(session: 11, ufrag: "cccc")) == .renegotiation(id: "peer-1"))  // an ICE restart
        #expect(callers.ids == ["peer-2", "peer-1"])
        // Its candidates, from before and after the restart, are its own.
        #expect(callers.caller(of: candidate("aaaa")) == "peer-1")
        #expect(callers.caller(of: candidate("cccc")) == "peer-1")
        #expect(callers.caller(of: candidate("bbbb")) == "peer-2")
    }

    @Test("A candidate without a username fragment is the latest caller's; one with a fragment nobody offered is nobody's")
    func candidatesWithoutFragment() throws {
        var callers = PlainRoomCallers()
        #expect(callers.caller(of: candidate(nil)) == nil)
        _ = try callers.offer(offer(session: 1, ufrag: "aaaa"))
        #expect(callers.caller(of: candidate(nil)) == "peer-1")
        #expect(callers.caller(of: nil) == "peer-1")  // end of candidates
        _ = try callers.offer(offer(session: 2, ufrag: "bbbb"))
        #expect(callers.caller(of: candidate(nil)) == "peer-2")
        #expect(callers.caller(of: candidate("")) == "peer-2")
        #expect(callers.caller(of: candidate("zzzz")) == nil)  // another peer's, relayed to the whole room
        callers.hangUp("peer-2")
        #expect(callers.caller(of: candidate(nil)) == "peer-1")
        #expect(callers.caller(of: candidate("bbbb")) == nil)
    }

    @Test("A caller who hung up and calls again from the same session is a new call")
    func hangingUpForgetsTheSession() throws {
        var callers = PlainRoomCallers(idPrefix: "caller")
        _ = try callers.offer(offer(session: 5, ufrag: "aaaa"))
        callers.hangUp("caller-1")
        #expect(try callers.offer(offer(session: 5, ufrag: "aaaa")) == .newCaller(id: "caller-2"))
    }

    @Test("Our own call is known by the first answer's fragments")
    func ownCall() throws {
        var callers = PlainRoomCallers()
        let id = callers.call()
        #expect(id == "peer-1" && callers.caller(of: candidate("dddd")) == nil)
        callers.answered(id, sdp: offer(session: 9, ufrag: "dddd"))
        #expect(callers.caller(of: candidate("dddd")) == "peer-1")
        // The answerer offering later (a renegotiation from its side) is the same call.
        #expect(try callers.offer(offer(session: 9, ufrag: "dddd")) == .renegotiation(id: "peer-1"))
    }

    @Test("An offer that is not SDP is refused with the parser's reason and registers nobody")
    func malformedOffer() {
        var callers = PlainRoomCallers()
        #expect(throws: (any Error).self) { try callers.offer("hello") }
        #expect(callers.ids.isEmpty)
    }
}
