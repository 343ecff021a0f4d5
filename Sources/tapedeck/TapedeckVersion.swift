/// What `tapedeck --version` prints. Raised with each release; between releases, `-dev`.
enum TapedeckVersion {
    static let current = "0.9.0-dev"
}
