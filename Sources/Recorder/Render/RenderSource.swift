/// Where a render job finds the recording it makes again: a folder holding its raw captures
/// (and, if it can, its manifest), which may first have to be fetched — from object storage,
/// when the recording's worker delivered them there.
public protocol RenderSource: Sendable {
    /// The folder to render from, fetched if need be. A `RecordingRender.Failure` when the
    /// recording has nothing to render anywhere (not worth retrying).
    func folder() async throws -> String
    /// The render is over: whatever was fetched for it can go.
    func release()
}
