extension JobState {
    /// Every state as a list of SQL string literals, for both stores' CHECK constraints.
    static var sqlList: String { allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ") }
}
