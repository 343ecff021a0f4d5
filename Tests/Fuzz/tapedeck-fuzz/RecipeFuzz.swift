import Recorder

/// A recipe file (YAML through Yams, then Tapedeck's own validation), as `--recipe FILE` and the
/// job API load one. A refusal must say what is wrong, naming the recipe.
enum RecipeFuzz {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        let yaml = String(decoding: input, as: UTF8.self)
        do throws(RecipeError) {
            let recipe = try RecipeCatalog.parse(yaml: yaml, name: "fuzzed", source: "fuzzed.yaml")
            _ = String(describing: recipe)
        } catch {
            fuzzCheck(!error.description.isEmpty, "refused without a reason")
        }
    }
}
