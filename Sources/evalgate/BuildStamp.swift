/// The commit this binary was built from, for `evalgate --version` and bug reports.
///
/// A plain `swift build` of a fresh clone knows no commit: `BuildStamp.commit` is then the protocol's default, nil.
/// scripts/setup, scripts/install and scripts/release run scripts/stamp-build first, which writes the git-ignored
/// Generated/BuildStamp.generated.swift declaring `BuildStamp.commit` itself; a member of the type wins over the
/// protocol's default, so the stamp needs no build plugin and no compilation flag.
protocol BuildStamping {
    static var commit: String? { get }
}

extension BuildStamping {
    static var commit: String? { nil }
}

enum BuildStamp: BuildStamping {}

enum EvalgateVersion {
    /// The release number, also recorded in every run log.
    static let current = "0.1.0"

    /// What `--version` prints: the number and the commit, or how to get the commit into the binary.
    static var described: String {
        "\(current) (commit \(BuildStamp.commit ?? "unknown: built without scripts/setup or scripts/install"))"
    }
}
