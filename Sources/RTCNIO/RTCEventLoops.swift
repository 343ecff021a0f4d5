import NIOCore
import NIOPosix

/// The event loops that RTC I/O runs on: the peers' UDP sockets and timers, many peers per
/// loop, one loop per core. A group of its own, never NIO's singleton that HTTP, PostgreSQL and
/// the webhook client use: a burst of API work must not delay a datagram, nor a datagram a
/// request. Nothing here waits for a codec or a disk (recorders hand frames to their media
/// thread).
public enum RTCEventLoops {
    /// Lives as long as the process, like NIO's singleton.
    public static let group: MultiThreadedEventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
}
