/// The known name a misspelt one was probably meant to be: `stop_when_empty` → `stop_when_empty_s`.
enum FieldNameSuggestion {
    /// The closest of `names` by edit distance, if it is within a third of the name's length.
    static func closest(to name: String, among names: [String]) -> String? {
        let scored = names.map { (name: $0, distance: editDistance(Array(name), Array($0))) }
        guard let best = scored.min(by: { $0.distance < $1.distance }),
              best.distance <= max(1, best.name.count / 3)
        else { return nil }
        return best.name
    }

    /// Levenshtein distance: insertions, deletions and substitutions.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, cb) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
