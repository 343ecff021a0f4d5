/// Counts breaks in the VP8/VP9 PictureID sequence (RFC 7741 §4.2, RFC 9628 §4.2): each frame's
/// PictureID is the previous one plus one, modulo 2^7 or 2^15, so a jump means whole frames were
/// lost even when no frame arrived incomplete.
struct PictureIDContinuity {
    private var last: UInt16?
    private var lastModulus: UInt16 = 0x8000
    private(set) var gaps = 0

    mutating func observe(_ pictureID: UInt16, modulus: UInt16) {
        if let last {
            // A sender may switch between 7- and 15-bit IDs; compare in the smaller space then.
            let common = min(modulus, lastModulus)
            if pictureID % common != (last &+ 1) % common { gaps += 1 }
        }
        last = pictureID
        lastModulus = modulus
    }
}
