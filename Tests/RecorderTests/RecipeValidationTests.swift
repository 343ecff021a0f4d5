import Foundation
import Media
@testable import Recorder
import Testing

/// Every way a recipe can be wrong, and the message that says which key and why.
@Suite("Recipe validation")
struct RecipeValidationTests {
    /// A valid recipe to break one line of.
    static let valid = """
        description: test
        container: webm
        layout: per-participant
        video: passthrough
        audio: passthrough
        file_name: "{participant}"
        cpu_cost: 0.05
        """

    private func error(_ yaml: String, name: String = "x", source: String = "x.yaml") -> String {
        do {
            let recipe = try RecipeCatalog.parse(yaml: yaml, name: name, source: source)
            return "loaded: \(recipe)"
        } catch {
            return error.description
        }
    }

    private func replacing(_ line: String, with replacement: String) -> String {
        precondition(Self.valid.contains(line))
        return Self.valid.replacingOccurrences(of: line, with: replacement)
    }

    @Test("An unknown (misspelt) key is named, with file, line and the known keys")
    func unknownKey() {
        #expect(error(replacing("container: webm", with: "contaner: webm"), name: "webm", source: "Recipes/webm.yaml")
            == "unknown key 'contaner' in recipe 'webm' (Recipes/webm.yaml:2); known keys: description, container, "
            + "layout, video, audio, file_name, h264, composite, cpu_cost, capture")
    }

    @Test("A value not allowed lists the allowed ones")
    func wrongValue() {
        #expect(error(replacing("container: webm", with: "container: avi"))
            == "'container: avi' in recipe 'x' (x.yaml:2) is not one of webm, mp4, ogg")
        #expect(error(replacing("layout: per-participant", with: "layout: per-room"))
            == "'layout: per-room' in recipe 'x' (x.yaml:3) is not one of per-participant, per-track, room")
        // A YAML boolean is still just a value that is not allowed.
        #expect(error(replacing("video: passthrough", with: "video: off"))
            == "'video: off' in recipe 'x' (x.yaml:4) is not one of passthrough, h264, vp8, none")
    }

    @Test("A wrong type says what was expected and what was found")
    func wrongType() {
        #expect(error(replacing("cpu_cost: 0.05", with: "cpu_cost: cheap"))
            == "'cpu_cost' in recipe 'x' (x.yaml:7) must be a number, not the text 'cheap'")
        #expect(error(replacing("cpu_cost: 0.05", with: "cpu_cost: \"0.05\""))
            == "'cpu_cost' in recipe 'x' (x.yaml:7) must be a number, not the text '0.05'")
        #expect(error(replacing("description: test", with: "description: 42"))
            == "'description' in recipe 'x' (x.yaml:1) must be text, not the number 42")
        #expect(error(replacing("video: passthrough", with: "video: [passthrough]"))
            == "'video' in recipe 'x' (x.yaml:4) must be one of passthrough, h264, vp8, none, not a list")
        #expect(error(replacing("file_name: \"{participant}\"", with: "file_name: ~"))
            == "'file_name' in recipe 'x' (x.yaml:6) must be text, not nothing (null)")
        #expect(error(Self.valid + "\ncapture: yes please")
            == "'capture' in recipe 'x' (x.yaml:8) must be true or false, not the text 'yes please'")
        #expect(error(Self.valid + "\ncapture: 1")
            == "'capture' in recipe 'x' (x.yaml:8) must be true or false, not the number 1")
    }

    @Test("The raw capture is kept unless a recipe says capture: false")
    func captureKey() throws {
        #expect(try RecipeCatalog.parse(yaml: Self.valid, name: "x", source: "x.yaml").capture)
        #expect(try !RecipeCatalog.parse(yaml: Self.valid + "\ncapture: false", name: "x", source: "x.yaml").capture)
        #expect(try RecipeCatalog.parse(yaml: Self.valid + "\ncapture: true", name: "x", source: "x.yaml").capture)
        let base = #""name":"j","description":"d","container":"ogg","video":"none","audio":"passthrough","cpu_cost":0.02"#
        #expect(try JSONDecoder().decode(Recipe.self, from: Data("{\(base)}".utf8)).capture)
        let off = try JSONDecoder().decode(Recipe.self, from: Data("{\(base),\"capture\":false}".utf8))
        #expect(!off.capture)
        let again = try JSONDecoder().decode(Recipe.self, from: JSONEncoder().encode(off))
        #expect(again == off)
    }

    @Test("A missing required key is named")
    func missingKey() {
        #expect(error(replacing("container: webm\n", with: "")) == "recipe 'x' (x.yaml) lacks the required key 'container'")
        #expect(error(replacing("cpu_cost: 0.05", with: "")) == "recipe 'x' (x.yaml) lacks the required key 'cpu_cost'")
        // layout and file_name have defaults.
        let minimal = replacing("layout: per-participant\n", with: "").replacingOccurrences(of: "file_name: \"{participant}\"\n", with: "")
        #expect(error(minimal).hasPrefix("loaded"))
    }

    private func recipe(container: String, video: String, audio: String) -> String {
        replacing("container: webm", with: "container: \(container)")
            .replacingOccurrences(of: "video: passthrough", with: "video: \(video)")
            .replacingOccurrences(of: "audio: passthrough", with: "audio: \(audio)")
    }

    @Test("Combinations a container cannot hold are refused, naming the key and the rule", arguments: [
        ("ogg", "passthrough", "passthrough", "'video: passthrough' in recipe 'x' (x.yaml:4) cannot be used: ogg holds Opus audio only"),
        ("ogg", "h264", "passthrough", "'video: h264' in recipe 'x' (x.yaml:4) cannot be used: ogg holds Opus audio only"),
        ("ogg", "none", "aac", "'audio: aac' in recipe 'x' (x.yaml:5) cannot be used: ogg holds Opus audio only"),
        ("webm", "h264", "passthrough", "'video: h264' in recipe 'x' (x.yaml:4) cannot be used: webm holds VP8/VP9 video and Opus audio"),
        ("webm", "passthrough", "aac", "'audio: aac' in recipe 'x' (x.yaml:5) cannot be used: webm holds VP8/VP9 video and Opus audio"),
        ("mp4", "passthrough", "aac", "'video: passthrough' in recipe 'x' (x.yaml:4) cannot be used: mp4 holds H.264 video and AAC audio"),
        ("mp4", "h264", "passthrough", "'audio: passthrough' in recipe 'x' (x.yaml:5) cannot be used: mp4 holds H.264 video and AAC audio"),
    ])
    func containerRules(container: String, video: String, audio: String, expected: String) {
        let message = error(recipe(container: container, video: video, audio: audio))
        #expect(message.hasPrefix(expected), "\(message)")
    }

    @Test("What each container can hold loads", arguments: [
        ("webm", "passthrough", "passthrough"), ("webm", "none", "passthrough"), ("webm", "passthrough", "none"),
        ("mp4", "h264", "aac"), ("mp4", "none", "aac"), ("mp4", "h264", "none"), ("ogg", "none", "passthrough"),
    ])
    func containerAllows(container: String, video: String, audio: String) {
        #expect(error(recipe(container: container, video: video, audio: audio)).hasPrefix("loaded"))
    }

    @Test("A room's mix: layout room, Opus (ogg, webm) or AAC (mp4, named .m4a), no video, not named by participant")
    func roomLayout() throws {
        func room(_ container: String, video: String = "none", audio: String, fileName: String = "mix") -> String {
            replacing("container: webm", with: "container: \(container)")
                .replacingOccurrences(of: "layout: per-participant", with: "layout: room")
                .replacingOccurrences(of: "video: passthrough", with: "video: \(video)")
                .replacingOccurrences(of: "audio: passthrough", with: "audio: \(audio)")
                .replacingOccurrences(of: "file_name: \"{participant}\"", with: "file_name: \"\(fileName)\"")
        }
        #expect(error(room("ogg", audio: "opus")).hasPrefix("loaded"))
        #expect(error(room("webm", audio: "opus")).hasPrefix("loaded"))
        let m4a = try RecipeCatalog.parse(yaml: room("mp4", audio: "aac"), name: "x", source: "x.yaml")
        #expect(m4a.layout == .room && m4a.fileExtension == "m4a" && m4a.fileName.text == "mix")
        let defaultName = try RecipeCatalog.parse(yaml: room("ogg", audio: "opus").replacingOccurrences(of: "file_name: \"mix\"\n", with: ""),
                                                  name: "x", source: "x.yaml")
        #expect(defaultName.fileName.text == "mix")
        #expect(error(room("ogg", audio: "passthrough")) == "'audio: passthrough' in recipe 'x' (x.yaml:5) cannot be used: "
            + "a room's mix is encoded by the recorder: 'audio: opus' (ogg, webm) or 'aac' (mp4)")
        #expect(error(room("webm", video: "passthrough", audio: "opus")) == "'video: passthrough' in recipe 'x' (x.yaml:4) cannot be used: "
            + "a room's composite is encoded by the recorder: 'video: h264' (mp4), 'vp8' (webm) or 'none'")
        #expect(error(recipe(container: "webm", video: "vp8", audio: "passthrough")) == "'video: vp8' in recipe 'x' (x.yaml:4) cannot be used: "
            + "only a room's composite is encoded as VP8; a participant's VP8 is written as sent ('video: passthrough')")
        #expect(error(room("ogg", audio: "opus", fileName: "{room}-{participant}")) == "'file_name: \"{room}-{participant}\"' in recipe 'x' "
            + "(x.yaml:6) cannot be used: a room's file holds everyone, so it cannot be named by {participant}, {track} or {kind}")
        #expect(error(recipe(container: "ogg", video: "none", audio: "opus")) == "'audio: opus' in recipe 'x' (x.yaml:5) cannot be used: "
            + "only a room's mix is encoded as Opus; a participant's Opus is written as sent ('audio: passthrough')")
    }

    @Test("A room's composite: video h264 (mp4) or vp8 (webm), canvas defaults, settings checked by key")
    func compositeLayout() throws {
        func room(_ container: String, video: String, audio: String, composite: String? = nil) -> String {
            replacing("layout: per-participant", with: "layout: room")
                .replacingOccurrences(of: "container: webm", with: "container: \(container)")
                .replacingOccurrences(of: "video: passthrough", with: "video: \(video)")
                .replacingOccurrences(of: "audio: passthrough", with: "audio: \(audio)")
                .replacingOccurrences(of: "file_name: \"{participant}\"\n", with: composite.map { "composite: \($0)\n" } ?? "")
        }
        let mp4 = try RecipeCatalog.parse(yaml: room("mp4", video: "h264", audio: "aac"), name: "x", source: "x.yaml")
        #expect(mp4.composite == .defaults && mp4.fileName.text == "composite" && mp4.fileExtension == "mp4")
        // The recipe's H.264 settings, without x264's look-ahead (what it holds back a kill -9 loses).
        var expected = (mp4.h264 ?? .defaults).transcoderSettings
        expected.tune = "zerolatency"
        #expect(mp4.compositeEncoderSettings == expected)
        let webm = try RecipeCatalog.parse(yaml: room("webm", video: "vp8", audio: "opus", composite: "{ width: 640, height: 360, fps: 15 }"),
                                           name: "x", source: "x.yaml")
        #expect(webm.composite == CompositeSettings(width: 640, height: 360, framesPerSecond: 15, layout: .grid))
        #expect(webm.fileExtension == "webm" && webm.mayTranscode)
        #expect(error(room("mp4", video: "h264", audio: "aac", composite: "{ width: 641 }"))
            == "'composite.width: 641' in recipe 'x' (x.yaml:6) is invalid: 4:2:0 video needs an even size")
        #expect(error(room("mp4", video: "h264", audio: "aac", composite: "{ fps: 0 }")).contains("composite.fps"))
        #expect(error(room("mp4", video: "h264", audio: "aac", composite: "{ layout: mosaic }")).contains("composite.layout"))
        #expect(error(room("mp4", video: "h264", audio: "aac", composite: "{ colour: red }")).contains("composite.colour"))
        #expect(error(room("mp4", video: "none", audio: "aac", composite: "{ fps: 25 }")).contains(
            "only a room recipe with video ('layout: room', 'video: h264' or 'vp8') makes a composite"))
        // The JSON form holds the same settings.
        let json = try JSONEncoder().encode(webm)
        #expect(try JSONDecoder().decode(Recipe.self, from: json) == webm)
    }

    @Test("Neither video nor audio records nothing")
    func nothing() {
        let yaml = replacing("video: passthrough", with: "video: none").replacingOccurrences(of: "audio: passthrough", with: "audio: none")
        #expect(error(yaml) == "'audio: none' in recipe 'x' (x.yaml:5) cannot be used: with 'video: none' as well the recipe records nothing")
    }

    @Test("h264 settings: only with video: h264, defaults for what is left out, keys and values checked")
    func h264() throws {
        let mp4 = recipe(container: "mp4", video: "h264", audio: "aac")
        let byRate = try RecipeCatalog.parse(yaml: mp4 + "\nh264: { bitrate_kbps: 800 }", name: "x", source: "x.yaml")
        #expect(byRate.h264 == H264EncoderSettings(preset: .veryfast, bitrateKbps: 800, keyframeIntervalSeconds: 2))
        #expect(byRate.h264?.transcoderSettings.rateControl == .bitrate(kbps: 800))
        let byQuality = try RecipeCatalog.parse(yaml: mp4 + "\nh264: { preset: fast, keyframe_interval_s: 4 }", name: "x", source: "x.yaml")
        #expect(byQuality.h264 == H264EncoderSettings(preset: .fast, crf: 23, keyframeIntervalSeconds: 4))
        #expect(byQuality.h264?.transcoderSettings == VideoTranscoder.Settings(preset: "fast", rateControl: .constantRateFactor(23),
                                                                               keyframeInterval: .seconds(4)))
        #expect(try RecipeCatalog.parse(yaml: mp4, name: "x", source: "x.yaml").h264 == .defaults)

        #expect(error(Self.valid + "\nh264: { preset: fast }")
            == "'h264: { preset: fast, keyframe_interval_s: 2.0 }' in recipe 'x' (x.yaml:8) cannot be used: "
            + "only a recipe with 'video: h264' encodes H.264")
        #expect(error(mp4 + "\nh264: { preset: veryfast, bitrate: 1500 }")
            == "unknown key 'h264.bitrate' in recipe 'x' (x.yaml:8); known keys: preset, crf, bitrate_kbps, keyframe_interval_s")
        #expect(error(mp4 + "\nh264: { preset: fastest }")
            == "'h264.preset: fastest' in recipe 'x' (x.yaml:8) is not one of ultrafast, superfast, veryfast, faster, fast, "
            + "medium, slow, slower, veryslow")
        #expect(error(mp4 + "\nh264: { bitrate_kbps: 1500.5 }")
            == "'h264.bitrate_kbps' in recipe 'x' (x.yaml:8) must be a whole number, not the number 1500.5")
        #expect(error(mp4 + "\nh264: { bitrate_kbps: 15000000 }")
            == "'h264.bitrate_kbps: 15000000' in recipe 'x' (x.yaml:8) is out of range (50...50000)")
        #expect(error(mp4 + "\nh264: { crf: 60 }") == "'h264.crf: 60.0' in recipe 'x' (x.yaml:8) is out of range (0.0...51.0)")
        #expect(error(mp4 + "\nh264: { crf: 20, bitrate_kbps: 1500 }")
            == "'h264.bitrate_kbps: 1500' in recipe 'x' (x.yaml:8) cannot be used: give 'crf' (constant quality) or "
            + "'bitrate_kbps', not both")
        #expect(error(mp4 + "\nh264: veryfast")
            == "'h264' in recipe 'x' (x.yaml:8) must be a mapping ({ preset: veryfast, crf: 23, … }), not the text 'veryfast'")
    }

    @Test("Numbers out of range")
    func ranges() {
        #expect(error(replacing("cpu_cost: 0.05", with: "cpu_cost: 0"))
            == "'cpu_cost: 0.0' in recipe 'x' (x.yaml:7) is out of range (0.001...64.0)")
        #expect(error(replacing("cpu_cost: 0.05", with: "cpu_cost: .nan"))
            == "'cpu_cost' in recipe 'x' (x.yaml:7) must be a number, not the number .nan")
    }

    @Test("File name templates: placeholders known, braces balanced, fit for the layout")
    func fileNames() {
        #expect(error(replacing("\"{participant}\"", with: "\"{participnt}\""))
            == "'file_name: \"{participnt}\"' in recipe 'x' (x.yaml:6) is invalid: unknown placeholder {participnt} in the file name "
            + "template; known: {room}, {participant}, {track}, {kind}, {time}")
        #expect(error(replacing("\"{participant}\"", with: "\"{participant\"")).contains("the '{' at offset 0 of the file name template is never closed"))
        #expect(error(replacing("\"{participant}\"", with: "\"../{participant}\"")).contains("has a '..' path component"))
        #expect(error(replacing("\"{participant}\"", with: "\"{participant}-{track}\""))
            == "'file_name: \"{participant}-{track}\"' in recipe 'x' (x.yaml:6) cannot be used: a per-participant file holds all of "
            + "a participant's tracks, so it cannot be named by {track} or {kind}")
        let perTrack = replacing("layout: per-participant", with: "layout: per-track")
        #expect(error(perTrack).contains("a per-track recipe's file names need {track}"))
        #expect(error(perTrack.replacingOccurrences(of: "file_name: \"{participant}\"\n", with: "")).hasPrefix("loaded"))
    }

    @Test("Documents that are not a recipe at all")
    func notARecipe() {
        #expect(error("") == "recipe 'x' (x.yaml) must be a mapping of keys (container: webm, …), not an empty document")
        #expect(error("- webm\n- mp4") == "recipe 'x' (x.yaml:1) must be a mapping of keys (container: webm, …), not a list")
        #expect(error("container: [webm").hasPrefix("recipe 'x' (x.yaml) is not valid YAML: "))
        #expect(error(Self.valid + "\ncontainer: mp4") == "key 'container' appears more than once in recipe 'x' (x.yaml:2)")
        #expect(error(replacing("description: test", with: "description: WebM: VP8")).hasPrefix("recipe 'x' (x.yaml) is not valid YAML"))
    }

    @Test("NAME or FILE: a bare word is a built-in name; a path ending in .yaml/.yml or with a '/' is a file")
    func resolving() throws {
        let scratch = try ScratchDirectory()
        let file = scratch.file("custom.yml")
        try Self.valid.write(toFile: file, atomically: true, encoding: .utf8)
        let custom = try RecipeCatalog.resolve(file)
        #expect(custom.name == "custom" && custom.container == .webm)

        #expect(RecipeCatalog.isFileArgument("./webm") && RecipeCatalog.isFileArgument("my.yaml"))
        #expect(!RecipeCatalog.isFileArgument("webm") && !RecipeCatalog.isFileArgument("per-track-webm"))

        #expect(throws: RecipeError.self) { try RecipeCatalog.resolve("wbm") }
        do {
            _ = try RecipeCatalog.resolve("wbm")
        } catch {
            #expect(error.description == "no recipe named 'wbm'; available: audio-mix, audio-ogg, composite, mp4, per-track-webm, webm "
                + "(or a recipe file: a path ending in .yaml or .yml, or containing a '/')")
        }
        do {
            _ = try RecipeCatalog.resolve(scratch.file("absent.yaml"))
            Issue.record("an absent file loaded")
        } catch {
            #expect(error.description == "cannot read recipe 'absent' (\(scratch.file("absent.yaml"))): no such file")
        }
        do {
            _ = try RecipeCatalog.resolve(scratch.path + "/")
            Issue.record("a directory loaded")
        } catch {
            #expect(error.description.hasSuffix(": it is a directory"))
        }
    }

    @Test("JSON is held to the same rules: unknown keys, values, combinations")
    func jsonValidation() throws {
        func decodeError(_ json: String) -> String {
            do {
                _ = try JSONDecoder().decode(Recipe.self, from: Data(json.utf8))
                return "decoded"
            } catch let DecodingError.dataCorrupted(context) {
                return context.debugDescription
            } catch {
                return "\(error)"
            }
        }
        let base = #""name":"j","description":"d","container":"ogg","video":"none","audio":"passthrough","cpu_cost":0.02"#
        #expect(decodeError("{\(base)}") == "decoded")
        #expect(decodeError("{\(base),\"contaner\":\"ogg\"}").hasPrefix("unknown key 'contaner' in recipe 'j'; known keys: name, description"))
        #expect(decodeError("{\(base),\"h264\":{\"preset\":\"fast\",\"tune\":\"film\"}}").hasPrefix("unknown key 'h264.tune' in recipe 'j'"))
        let mp4 = #""name":"m","description":"d","container":"mp4","video":"h264","audio":"aac","cpu_cost":0.5"#
        let decoded = try JSONDecoder().decode(Recipe.self, from: Data("{\(mp4),\"h264\":{\"bitrate_kbps\":900}}".utf8))
        #expect(decoded.h264 == H264EncoderSettings(preset: .veryfast, bitrateKbps: 900, keyframeIntervalSeconds: 2))
        #expect(decodeError("{\(base.replacingOccurrences(of: #""video":"none""#, with: #""video":"passthrough""#))}")
            == "'video: passthrough' in recipe 'j' cannot be used: ogg holds Opus audio only (video: none, audio: passthrough, or opus for a room's mix)")
    }
}
