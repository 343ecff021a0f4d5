extension PeerConnection {
    /// Adds a stream we send (the synthetic publisher); its packets go out with `send`.
    public func addOutboundStream(_ configuration: OutboundStream.Configuration, now: ContinuousClock.Instant) -> OutboundStream {
        let stream = OutboundStream(configuration: configuration, now: now)
        outboundStreams[configuration.ssrc] = stream
        return stream
    }

    /// Sets up a stream for each of our tracks the remote accepted to receive, as the offer and
    /// answer settled it (see `OutboundStream.Configuration.init(sending:)`). Call once the
    /// negotiation is complete; media can be sent once `isConnected`.
    public func makeOutboundStreams(now: ContinuousClock.Instant) -> [OutboundStream] {
        guard let negotiation else { return [] }
        return negotiation.media.compactMap { media in
            guard var configuration = OutboundStream.Configuration(sending: media) else { return nil }
            // RFC 3550 §5.1: a random first sequence number (and the owner picks a random
            // timestamp base) keeps known-plaintext attacks on SRTP harder.
            configuration.initialSequenceNumber = UInt16(truncatingIfNeeded: random.next())
            return addOutboundStream(configuration, now: now)
        }
    }

    /// Sends one payload on an outbound stream as the next RTP packet; audio with its RFC 6464
    /// level, when given and negotiated.
    public func send(payload: UnsafeRawBufferPointer, marker: Bool, rtpTimestamp: UInt32, audioLevel: AudioLevel? = nil,
                     on stream: OutboundStream, now: ContinuousClock.Instant) throws(PeerConnectionError) {
        var failure: PeerConnectionError?
        stream.send(payload: payload, marker: marker, rtpTimestamp: rtpTimestamp, audioLevel: audioLevel, now: now) { packet in
            do throws(PeerConnectionError) {
                try protectAndSend(packet, isRTCP: false)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }
}
