/// A property a parser broke. Trapping is the point: libFuzzer saves the input as a crash, the
/// same way it does for an out-of-bounds read, so a broken invariant is found like any other bug.
func fuzzCheck(_ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    if !condition { fatalError("fuzz invariant broken: \(message())", file: file, line: line) }
}
