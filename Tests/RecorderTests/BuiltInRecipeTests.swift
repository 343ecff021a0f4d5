import Foundation
import Media
import RTC
@testable import Recorder
import Signaling
import Testing

@Suite("Built-in recipes")
struct BuiltInRecipeTests {
    @Test("The embedded text is Recipes/*.yaml, byte for byte (run scripts/embed-recipes after a change)")
    func embeddedMatchesFiles() throws {
        let files = try RepositoryFiles.recipeFiles()
        #expect(Set(files.keys) == Set(BuiltInRecipes.yaml.keys), "Recipes/ and BuiltInRecipes.swift name different recipes")
        for (name, text) in files {
            #expect(BuiltInRecipes.yaml[name] == text, "Recipes/\(name).yaml differs from its embedded copy")
        }
    }

    @Test("Every built-in recipe loads")
    func allLoad() throws {
        for (name, yaml) in BuiltInRecipes.yaml {
            _ = try RecipeCatalog.parse(yaml: yaml, name: name, source: "Recipes/\(name).yaml")
        }
        #expect(RecipeCatalog.builtInNames == ["audio-mix", "audio-ogg", "composite", "mp4", "per-track-webm", "webm"])
    }

    @Test("The four recipes say what the issue asks of them")
    func theFour() throws {
        let webm = try RecipeCatalog.named("webm")
        #expect(webm.container == .webm && webm.layout == .perParticipant)
        #expect(webm.video == .passthrough && webm.audio == .passthrough && webm.h264 == nil)
        #expect(webm.fileName.text == "{participant}" && !webm.mayTranscode)

        let mp4 = try RecipeCatalog.named("mp4")
        #expect(mp4.container == .mp4 && mp4.video == .h264 && mp4.audio == .aac && mp4.mayTranscode)
        #expect(mp4.h264 == H264EncoderSettings(preset: .veryfast, crf: 23, keyframeIntervalSeconds: 2))
        #expect(mp4.h264?.transcoderSettings == VideoTranscoder.Settings(preset: "veryfast", rateControl: .constantRateFactor(23),
                                                                          keyframeInterval: .seconds(2)))
        #expect(mp4.cpuCost > webm.cpuCost)
        #expect(webm.capture && mp4.capture)

        let ogg = try RecipeCatalog.named("audio-ogg")
        #expect(ogg.container == .ogg && ogg.video == .none && ogg.audio == .passthrough)

        let perTrack = try RecipeCatalog.named("per-track-webm")
        #expect(perTrack.container == .webm && perTrack.layout == .perTrack)
        #expect(perTrack.fileName.placeholders == [.participant, .kind, .track])

        let mix = try RecipeCatalog.named("audio-mix")
        #expect(mix.container == .ogg && mix.layout == .room && mix.video == .none && mix.audio == .opus)
        #expect(mix.fileName.text == "mix" && mix.fileExtension == "ogg" && mix.mayTranscode)
        #expect(mix.cpuCost > ogg.cpuCost && mix.cpuCost < mp4.cpuCost)

        let composite = try RecipeCatalog.named("composite")
        #expect(composite.container == .mp4 && composite.layout == .room && composite.video == .h264 && composite.audio == .aac)
        #expect(composite.composite == CompositeSettings(width: 1_280, height: 720, framesPerSecond: 30, layout: .grid))
        #expect(composite.h264 == H264EncoderSettings(preset: .veryfast, bitrateKbps: 2_000, keyframeIntervalSeconds: 1))
        #expect(composite.fileName.text == "composite" && composite.fileExtension == "mp4" && composite.mayTranscode)
        #expect(composite.cpuCost > mix.cpuCost)
    }

    @Test("A recipe file in Recipes/ loads by path as it does by name")
    func byPath() throws {
        for name in RecipeCatalog.builtInNames {
            let path = RepositoryFiles.recipes.appendingPathComponent("\(name).yaml").path
            let fromFile = try RecipeCatalog.resolve(path)
            let builtIn = try RecipeCatalog.resolve(name)
            #expect(fromFile == builtIn)
        }
    }

    @Test("JSON (the API's form) has the YAML keys and round-trips")
    func json() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for recipe in RecipeCatalog.builtIn.values {
            let data = try encoder.encode(recipe)
            #expect(try JSONDecoder().decode(Recipe.self, from: data) == recipe)
        }
        let mp4 = String(decoding: try encoder.encode(try RecipeCatalog.named("mp4")), as: UTF8.self)
        #expect(mp4.contains(#""cpu_cost":0.5"#))
        #expect(mp4.contains(#""file_name":"{participant}""#))
        #expect(mp4.contains(#""h264":{"crf":23,"keyframe_interval_s":2,"preset":"veryfast"}"#))
    }
}

@Suite("The codec a recording asks senders for")
struct RecordingCodecRequestTests {
    private func asked(recipe: String, told: SDP.SupportedCodec? = nil) throws -> SDP.SupportedCodec? {
        var room = RoomSessionConfiguration(signaling: SignalingClientConfiguration(url: "ws://127.0.0.1:1", room: "r"))
        room.codecs.preferredVideo = told
        let configuration = RecordingConfiguration(room: room, roomName: "r", recipe: try RecipeCatalog.named(recipe), directory: "/tmp/x")
        return configuration.room.codecs.preferredVideo
    }

    @Test("MP4 asks for H.264, which it writes as sent; WebM leaves the sender's choice; a codec asked for on the command line wins")
    func mp4AsksForH264() throws {
        #expect(try asked(recipe: "mp4") == .h264)
        #expect(try asked(recipe: "webm") == nil)
        #expect(try asked(recipe: "per-track-webm") == nil)
        #expect(try asked(recipe: "audio-ogg") == nil)
        #expect(try asked(recipe: "audio-mix") == nil)
        // The composite decodes whatever a sender sends.
        #expect(try asked(recipe: "composite") == nil)
        #expect(try asked(recipe: "mp4", told: .vp8) == .vp8)
        #expect(try asked(recipe: "webm", told: .vp9) == .vp9)
    }
}
