/// The Session Description Protocol (RFC 8866) as WebRTC uses it (JSEP, RFC 8829).
///
/// Everything under this namespace is pure value manipulation — text in, text out — so it fits the
/// sans-IO `RTC` target. The types are nested here rather than declared at top level because SDP's
/// vocabulary (`SessionDescription`, `Candidate`, `Direction`) overlaps with the signaling
/// protocol's and the ICE agent's types, and a module that imports both must not need to qualify
/// every use.
public enum SDP {}
