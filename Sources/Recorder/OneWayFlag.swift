import Synchronization

/// A boolean raised once by one task or thread and read by others.
public final class OneWayFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    public init() {}

    public func raise() { raised.store(true, ordering: .relaxed) }

    public var isRaised: Bool { raised.load(ordering: .relaxed) }
}
