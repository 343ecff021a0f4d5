import CFuzzerDriver
import Foundation

/// libFuzzer's entry point: it calls this once per input, in one process, for hours. Which parser
/// gets the input is chosen once, from `FUZZ_TARGET`, so every parser has its own run, corpus and
/// crash directory (see docs/fuzzing.md) while all of them share one instrumented build.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selectedTarget.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

/// The target named by `FUZZ_TARGET`; an unknown or missing name stops the run before any input,
/// listing the names, rather than fuzzing nothing.
let selectedTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: " ")
        FileHandle.standardError.write(Data("tapedeck-fuzz: set FUZZ_TARGET to one of: \(names)\n".utf8))
        exit(2)
    }
    return target
}()

/// The process's `main` in debug builds, where SwiftPM links `main` to `tapedeck_fuzz_main` (so
/// that tests could import the executable) and libFuzzer's own `main` is never pulled in. In a
/// release build nothing calls it and libFuzzer's `main` runs the same driver.
@_cdecl("tapedeck_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { fuzz($0, $1) }
}
