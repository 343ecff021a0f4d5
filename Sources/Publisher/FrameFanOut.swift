import NIOCore
import RTCNIO

/// Hands each batch of frames to every connection: one hop per event loop that hosts
/// connections, never one per connection or per packet. Each loop keeps its own set of
/// recipients, touched only on that loop.
final class FrameFanOut: Sendable {
    private final class Recipients {
        var drivers: [ObjectIdentifier: UDPEndpointDriver<PublishingPeer>] = [:]
    }

    private let registries: [(eventLoop: any EventLoop, recipients: NIOLoopBound<Recipients>)]

    private init(registries: [(eventLoop: any EventLoop, recipients: NIOLoopBound<Recipients>)]) {
        self.registries = registries
    }

    /// A fan-out over these loops; connections must run on one of them.
    static func make(eventLoops: [any EventLoop]) async throws -> FrameFanOut {
        var registries: [(eventLoop: any EventLoop, recipients: NIOLoopBound<Recipients>)] = []
        for eventLoop in eventLoops {
            let recipients = try await eventLoop.submit { NIOLoopBound(Recipients(), eventLoop: eventLoop) }.get()
            registries.append((eventLoop, recipients))
        }
        return FrameFanOut(registries: registries)
    }

    func add(_ driver: UDPEndpointDriver<PublishingPeer>) {
        guard let registry = registry(for: driver.eventLoop) else { preconditionFailure("a connection on a loop the fan-out does not serve") }
        driver.eventLoop.execute { registry.value.drivers[ObjectIdentifier(driver)] = driver }
    }

    func remove(_ driver: UDPEndpointDriver<PublishingPeer>) async {
        guard let registry = registry(for: driver.eventLoop) else { return }
        try? await driver.eventLoop.submit { registry.value.drivers[ObjectIdentifier(driver)] = nil }.get()
    }

    /// Sends `frames` on every connection, from each connection's own event loop.
    func deliver(_ frames: [PacketizedFrame]) {
        for (eventLoop, recipients) in registries {
            eventLoop.execute {
                for driver in recipients.value.drivers.values {
                    _ = driver.withEndpointOnEventLoop { $0.send(frames) }
                }
            }
        }
    }

    private func registry(for eventLoop: any EventLoop) -> NIOLoopBound<Recipients>? {
        registries.first { $0.eventLoop === eventLoop }?.recipients
    }
}
