@testable import API

extension RecipeCosts {
    /// The built-in recipes' names, at made-up costs.
    static let fixture = RecipeCosts(costs: ["webm": 0.05, "per-track-webm": 0.05, "audio-ogg": 0.02, "mp4": 1.2])
}
