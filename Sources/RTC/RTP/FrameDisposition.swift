/// What the owner of a peer connection did with a frame the connection handed it
/// (`PeerConnection.onFrame`). The owner answers instead of calling back: nothing re-enters the
/// connection while it is handling a datagram or a timeout.
public enum FrameDisposition: Sendable, Equatable {
    /// Taken, or deliberately let go: nothing more to do.
    case taken
    /// Dropped (the owner's writer is behind), and the track's next frames are of no use until a
    /// keyframe: the connection asks the sender for one, throttled like its own requests.
    case droppedNeedsKeyframe
}
