/// The recipes a request may name and what each costs a worker, in CPU cores. Given to the API
/// by whoever runs it (the recipes live in Recorder, which the API does not depend on).
public struct RecipeCosts: Sendable {
    /// Every known recipe, for the message that refuses an unknown one.
    public let names: [String]
    private let costOf: @Sendable (String) -> Double?

    /// - Parameter cost: the CPU cost of the recipe with this name; nil for an unknown one.
    public init(names: [String], cost: @escaping @Sendable (String) -> Double?) {
        self.names = names.sorted()
        self.costOf = cost
    }

    public init(costs: [String: Double]) {
        self.init(names: Array(costs.keys)) { costs[$0] }
    }

    public func cost(of recipe: String) -> Double? { costOf(recipe) }
}
