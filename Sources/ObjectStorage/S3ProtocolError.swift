/// A response this client cannot use although the server accepted the request.
public enum S3ProtocolError: Error, Sendable, Equatable {
    case malformedResponse(String)
}
