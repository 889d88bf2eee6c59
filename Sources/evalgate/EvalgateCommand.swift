import ArgumentParser

@main
struct Evalgate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evalgate",
        abstract: "Tells whether a new model version got better or worse, with evidence, and gates the release.",
        version: EvalgateVersion.current,
        subcommands: []
    )
}

enum EvalgateVersion {
    static let current = "0.1.0"
}
