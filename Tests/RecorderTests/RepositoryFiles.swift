import Foundation

/// Files of this repository, found from this source file's path.
enum RepositoryFiles {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // RecorderTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static var recipes: URL { root.appendingPathComponent("Recipes") }

    /// Recipes/*.yaml by name.
    static func recipeFiles() throws -> [String: String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: recipes.path).filter { $0.hasSuffix(".yaml") }
        var texts: [String: String] = [:]
        for name in names {
            texts[String(name.dropLast(".yaml".count))] = try String(contentsOf: recipes.appendingPathComponent(name), encoding: .utf8)
        }
        return texts
    }
}
