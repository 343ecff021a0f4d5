import Foundation

/// Where recipes come from: the built-in ones by name (embedded in the binary, so an installed
/// `tapedeck` needs no repository beside it), or a YAML file by path.
public enum RecipeCatalog {
    /// The built-in recipes by name, read once from `BuiltInRecipes`.
    public static let builtIn: [String: Recipe] = {
        var recipes: [String: Recipe] = [:]
        for (name, yaml) in BuiltInRecipes.yaml {
            // The embedded files are loaded by RecipeTests; one that fails to load fails there.
            recipes[name] = try? RecipeYAMLReader(name: name, source: "Recipes/\(name).yaml").read(yaml)
        }
        return recipes
    }()

    public static var builtInNames: [String] { builtIn.keys.sorted() }

    /// A built-in recipe by name.
    public static func named(_ name: String) throws(RecipeError) -> Recipe {
        guard let recipe = builtIn[name] else {
            throw RecipeError(recipe: name, source: nil, problem: .unknownRecipe(available: builtInNames))
        }
        return recipe
    }

    /// What `--recipe NAME|FILE` (and the job API) means: a FILE when the argument ends in
    /// `.yaml`/`.yml` or contains a `/`, else a built-in NAME. A bare word never reads a file of
    /// that name from the working directory — `--recipe webm` in a directory that happens to
    /// hold a `webm` folder still means the built-in; `./webm` means the file.
    public static func resolve(_ argument: String) throws(RecipeError) -> Recipe {
        if isFileArgument(argument) { return try load(path: argument) }
        return try named(argument)
    }

    static func isFileArgument(_ argument: String) -> Bool {
        argument.contains("/") || argument.hasSuffix(".yaml") || argument.hasSuffix(".yml")
    }

    /// A recipe file; its name is the file name without `.yaml`/`.yml`.
    public static func load(path: String) throws(RecipeError) -> Recipe {
        let file = (path as NSString).lastPathComponent
        let name = ["yaml", "yml"].contains((file as NSString).pathExtension) ? (file as NSString).deletingPathExtension : file
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw RecipeError(recipe: name, source: path, problem: .unreadable(Self.reason(error, path: path)))
        }
        return try RecipeYAMLReader(name: name, source: path).read(text)
    }

    /// A recipe from YAML text (the API's uploads, tests).
    public static func parse(yaml: String, name: String, source: String) throws(RecipeError) -> Recipe {
        try RecipeYAMLReader(name: name, source: source).read(yaml)
    }

    private static func reason(_ error: any Error, path: String) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "no such file" }
        if isDirectory.boolValue { return "it is a directory" }
        if access(path, R_OK) != 0 { return String(cString: strerror(errno)) }
        return "not UTF-8 text"
    }
}
