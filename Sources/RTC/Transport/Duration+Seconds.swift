extension Duration {
    /// The duration in seconds, for rates and reports (not for timekeeping, which stays in Duration).
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
