import ArgumentParser
import Foundation
import Media
import RTC
import Recorder

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Make a recording again, with any recipe, from its raw capture.",
        discussion: """
            SOURCE is a recording's folder (the --out of `tapedeck record`, or a job's folder) \
            whose recipe kept the raw capture (NAME.pcapng per connection). Each capture is \
            replayed through the same pipeline as a live recording — reordering, depacketizing, \
            lip sync from the captured sender reports, the recipe's writers and transcoders — as \
            fast as the CPU allows, into --out with its own manifest.json. Rendering twice gives \
            the same frames. A capture cut short (a killed recorder) or damaged renders what \
            precedes the damage; the manifest's errors say where it stopped. Exits 0 when files \
            were written.
            """)

    @Argument(help: "The recording's folder.") var source: String
    @Option(help: "Recipe: a built-in name (\(RecipeCatalog.builtInNames.joined(separator: ", "))) or a YAML file.")
    var recipe: String = "webm"
    @Option(help: "Directory for the files and manifest.json (created if missing; not SOURCE).") var out: String
    @Flag(help: "Print the manifest as JSON on stdout.") var json = false

    func validate() throws {
        _ = try Self.recipe(recipe)
        let from = URL(fileURLWithPath: source).standardizedFileURL.path
        let to = URL(fileURLWithPath: out).standardizedFileURL.path
        guard from != to else { throw ValidationError("--out must not be SOURCE: the render would write over the recording") }
    }

    private static func recipe(_ argument: String) throws -> Recipe {
        do {
            return try RecipeCatalog.resolve(argument)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func run() throws {
        LibavLog.set(verbose: false)
        let manifest: RecordingManifest
        do {
            manifest = try RecordingRender.run(source: source, recipe: try Self.recipe(recipe), out: out, progress: { progress in
                FileHandle.standardError.write(Data((Self.describe(progress) + "\n").utf8))
            })
        } catch {
            Self.fail("\(error)")
        }
        try ManifestPrinting.print(manifest, out: out, json: json)
        guard manifest.state == .finished else {
            Self.fail("no capture held media that could be written; see \(out)/manifest.json")
        }
    }

    /// A line of progress: where the render is in the call, or a capture replayed to its end.
    private static func describe(_ progress: RecordingRender.Progress) -> String {
        func speed(_ seconds: Double, _ elapsed: Duration) -> String {
            "(\(String(format: "%.0f", seconds / max(elapsed.seconds, 0.000_001)))x)"
        }
        switch progress {
        case .position(let seconds, let elapsed):
            return "at \(String(format: "%.1f", seconds)) s of the call after \(String(format: "%.2f", elapsed.seconds)) s "
                + speed(seconds, elapsed)
        case .finished(let step):
            var line = "\(step.input): \(step.replayed) \(step.unit), \(String(format: "%.1f", step.seconds)) s of the call, "
                + "done after \(String(format: "%.2f", step.elapsed.seconds)) s"
            if !step.files.isEmpty { line += " -> " + step.files.joined(separator: ", ") }
            if let stopped = step.stoppedEarly { line += "; \(stopped)" }
            return line
        }
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("tapedeck render: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
