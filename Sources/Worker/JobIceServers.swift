import Jobs
import Recorder

/// A job's own STUN and TURN servers (`ice_servers`), added to the worker's.
enum JobIceServers {
    /// Resolves each server's host (a blocking lookup, done once as the recording starts).
    /// `turns:` servers are trusted through the system's store and the worker's `turnTLSCAFile`.
    static func network(adding servers: [RoomIceServer], to base: PeerNetworkConfiguration) throws(JobRunRefusal) -> PeerNetworkConfiguration {
        var network = base
        for (index, server) in servers.enumerated() {
            do {
                network = try network.addingServer(urls: server.urls, username: server.username, credential: server.credential?.revealed)
            } catch {
                throw JobRunRefusal(description: "ice_servers[\(index)]: \(error)")
            }
        }
        return network
    }
}

/// Why a job cannot start as it was asked, in words for its `error`.
struct JobRunRefusal: Error, CustomStringConvertible {
    let description: String
}
