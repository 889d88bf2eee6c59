import ArgumentParser

@main
struct Evalgate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evalgate",
        abstract: "Tells whether a new model version got better or worse, with evidence, and gates the release.",
        version: EvalgateVersion.current,
        subcommands: [ChatCommand.self, ModelsCommand.self, BenchCommand.self, BenchEndpointCommand.self]
    )
}

enum EvalgateVersion {
    static let current = "0.1.0"
}
