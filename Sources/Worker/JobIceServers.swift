import Jobs
import RTC
import RTCNIO

/// A job's own STUN and TURN servers (`ice_servers`), added to the worker's.
enum JobIceServers {
    /// Resolves each server's host (a blocking lookup, done once as the recording starts).
    /// `turns:` servers are trusted through the system's store and `turnTLSCAFile`.
    static func configuration(adding servers: [RoomIceServer], to base: IceConfiguration,
                              turnTLSCAFile: String? = nil) throws(JobRunRefusal) -> IceConfiguration {
        var configuration = base
        for (index, server) in servers.enumerated() {
            for url in server.urls {
                do {
                    let parsed = try IceServerURL(parsing: url)
                    switch parsed.scheme {
                    case .stun:
                        configuration.stunServers.append(try parsed.resolve())
                    case .turn, .turns:
                        configuration.turnServers.append(try parsed.turnServer(username: server.username ?? "",
                                                                               password: server.credential?.revealed ?? "",
                                                                               trustedCAFile: turnTLSCAFile))
                    }
                } catch {
                    throw JobRunRefusal(description: "ice_servers[\(index)]: \(error)")
                }
            }
        }
        return configuration
    }
}

/// Why a job cannot start as it was asked, in words for its `error`.
struct JobRunRefusal: Error, CustomStringConvertible {
    let description: String
}
