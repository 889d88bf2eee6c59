// swift-tools-version: 6.1
// evalgate: load → run → score → report → gate. One module per stage; see README.md and DESIGN notes.
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "evalgate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "evalgate", targets: ["evalgate"]),
        .library(name: "Transport", targets: ["Transport"]),
        .library(name: "EvalCore", targets: ["EvalCore"]),
        .library(name: "EvalRunner", targets: ["EvalRunner"]),
        .library(name: "Scoring", targets: ["Scoring"]),
        .library(name: "Reporting", targets: ["Reporting"]),
        // The scripted OpenAI-compatible endpoint: used by every module's tests and by the demo.
        .library(name: "ScriptedEndpoint", targets: ["ScriptedEndpoint"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // libcurl's headers at build time (libcurl4-openssl-dev); the library itself is loaded with dlopen when the
        // first client is made (Sources/CCurl/include/CCurl.h says why), so the binary does not link it.
        .target(
            name: "CCurl",
            linkerSettings: [.linkedLibrary("dl")]
        ),
        // SHA-256 from OpenSSL's libcrypto: its headers at build time (libssl-dev), the library loaded with dlopen on
        // the first digest (Sources/CCrypto/include/CCrypto.h).
        .target(
            name: "CCrypto",
            linkerSettings: [.linkedLibrary("dl")]
        ),
        // glibc's mallopt for the CLI (Swift's Glibc module leaves malloc.h out).
        .systemLibrary(name: "CMalloc"),
        .target(
            name: "Transport",
            dependencies: ["CCurl"],
            swiftSettings: upcoming
        ),
        .target(
            name: "EvalCore",
            dependencies: ["CCrypto", .product(name: "Yams", package: "Yams")],
            swiftSettings: upcoming
        ),
        .target(
            name: "Scoring",
            dependencies: ["EvalCore"],
            // The packs' JSON is compiled in (scripts/embed-resources → BuiltinPacks.generated.swift): no resource
            // bundle to lose when the binary is copied alone.
            exclude: ["Promises/Packs"],
            swiftSettings: upcoming
        ),
        .target(
            name: "Reporting",
            dependencies: ["EvalCore"],
            swiftSettings: upcoming
        ),
        .target(
            name: "EvalRunner",
            dependencies: ["Transport", "EvalCore", "Scoring"],
            swiftSettings: upcoming
        ),
        .target(
            name: "ScriptedEndpoint",
            dependencies: [
                "EvalCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "evalgate",
            dependencies: [
                "Transport", "EvalCore", "EvalRunner", "Scoring", "ScriptedEndpoint", "Reporting",
                .target(name: "CMalloc", condition: .when(platforms: [.linux])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),  // evalgate import reads promptfoo's YAML
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "TransportTests",
            dependencies: ["Transport", "ScriptedEndpoint"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "EvalCoreTests",
            dependencies: ["EvalCore"],
            exclude: ["Fixtures"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "EvalRunnerTests",
            dependencies: ["EvalRunner", "Transport", "EvalCore", "Scoring", "ScriptedEndpoint"],
            exclude: ["Fixtures"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ScoringTests",
            dependencies: ["Scoring", "EvalCore"],
            exclude: ["Fixtures"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ReportingTests",
            dependencies: ["Reporting", "EvalCore"],
            exclude: ["Golden"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "EvalgateCLITests",
            dependencies: ["evalgate", "ScriptedEndpoint", .product(name: "Yams", package: "Yams")],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ScriptedEndpointTests",
            dependencies: ["ScriptedEndpoint", "EvalCore"],
            swiftSettings: upcoming
        ),
    ],
    swiftLanguageModes: [.v6]
)
