import ArgumentParser
import Foundation
import Media
import Recorder

struct RecipesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recipes",
        abstract: "List the built-in recipes, or check recipes by name or file.",
        discussion: """
            Without arguments, lists the built-in recipes. Given NAMEs or FILEs (a FILE ends in .yaml \
            or .yml, or contains a '/'), loads each as `--recipe` would and prints it, or says what is \
            wrong with it — key, file and line — and exits 1.
            """)

    @Argument(help: "Built-in recipe names or recipe files to check.") var recipes: [String] = []
    @Flag(help: "Print the recipes as JSON (the job API's form).") var json = false

    func run() throws {
        var loaded: [Recipe] = []
        var failed = false
        for argument in recipes.isEmpty ? RecipeCatalog.builtInNames : recipes {
            do {
                loaded.append(try RecipeCatalog.resolve(argument))
            } catch {
                FileHandle.standardError.write(Data("tapedeck recipes: \(error)\n".utf8))
                failed = true
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(loaded), as: UTF8.self))
        } else {
            print(loaded.map(Self.text).joined(separator: "\n"))
        }
        if failed { throw ExitCode(1) }
    }

    private static func text(_ recipe: Recipe) -> String {
        var settings = ["\(recipe.container.rawValue), \(recipe.layout.rawValue)",
                        "video \(recipe.video.rawValue)", "audio \(recipe.audio.rawValue)",
                        "files \"\(recipe.fileName.text).\(recipe.fileExtension)\"", "cpu_cost \(recipe.cpuCost)",
                        recipe.capture ? "raw capture" : "no raw capture"]
        if let h264 = recipe.h264 {
            let rate = h264.bitrateKbps.map { "\($0) kbit/s" } ?? "CRF \(String(format: "%g", h264.crf ?? 0))"
            settings.insert("H.264 \(h264.preset.rawValue) \(rate), keyframe every \(String(format: "%g", h264.keyframeIntervalSeconds)) s",
                            at: 2)
        }
        if let composite = recipe.composite {
            settings.insert("\(composite.layout.rawValue) of \(composite.width)x\(composite.height) at \(composite.framesPerSecond) fps", at: 2)
        }
        return "\(recipe.name): \(recipe.description)\n  \(settings.joined(separator: "; "))"
    }
}
