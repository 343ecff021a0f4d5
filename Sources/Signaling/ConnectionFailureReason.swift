import Foundation
import NIOCore
import NIOPosix

/// Why a connection to the signaling server failed, in the words a person reads in a job's
/// error ("connection refused"), not NIO's nested descriptions of every address it tried.
enum ConnectionFailureReason {
    static func describe(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError {
            if let dnsError = error.dnsAError ?? error.dnsAAAAError { return "cannot resolve \(error.host): \(dnsError)" }
            // The last address tried says why the connection failed as well as any.
            if let last = error.connectionErrors.last { return describe(last.error) }
        }
        if let error = error as? IOError {
            let text = String(cString: strerror(error.errnoCode))
            return text.prefix(1).lowercased() + text.dropFirst()
        }
        return "\(error)"
    }
}
